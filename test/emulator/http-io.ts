import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiError } from "./errors";

const JSON_TYPE = "application/json; charset=UTF-8";

export function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}

/** A JSON body as params; anything that is not a JSON object gives no params, so required ones are missing. */
export function parseJsonBody(text: string): Record<string, unknown> {
    if (text.trim() === "") return {};
    try {
        const value: unknown = JSON.parse(text);
        return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    } catch {
        return {};
    }
}

/** Query strings as PHP reads them: `queries[0]=a&queries[1]=b` becomes a list-like object. */
export function parsePhpQuery(search: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [rawKey, value] of new URLSearchParams(search)) {
        const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
        if (!m) continue;
        const keys = [m[1]!, ...[...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!)];
        let node: Record<string, unknown> = out;
        for (let i = 0; i < keys.length; i++) {
            let key = keys[i]!;
            if (key === "" && i > 0) key = String(Object.keys(node).length);
            if (i === keys.length - 1) node[key] = value;
            else {
                const next = node[key];
                node = (next !== null && typeof next === "object" ? next : (node[key] = {})) as Record<string, unknown>;
            }
        }
    }
    return out;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
    const text = JSON.stringify(Array.isArray(body) && body.length === 0 ? {} : body);
    res.writeHead(status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text), ...extraHeaders });
    res.end(text);
}

/** Appwrite's error response: the JSON body plus the no-cache headers of its error hook. */
export function sendError(res: ServerResponse, error: ApiError, extraHeaders: Record<string, string> = {}): void {
    sendJson(res, error.code, error.body(), {
        "Cache-Control": "no-cache, no-store, must-revalidate",
        Expires: "0",
        Pragma: "no-cache",
        ...extraHeaders,
    });
}

/** 204 with an empty body and no content type, which node-appwrite needs to resolve `{message: ""}`. */
export function sendNoContent(res: ServerResponse): void {
    res.writeHead(204);
    res.end();
}
