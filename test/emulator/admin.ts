import type { ServerResponse } from "node:http";
import type { FaultKind } from "./faults";
import { sendJson, sendNoContent } from "./http-io";
import type { EmulatorServer } from "./server";

const fail = (res: ServerResponse, status: number, message: string): void => sendJson(res, status, { message });

/**
 * Control routes outside /v1 for other processes (benchmarks, reliability tests): the same counters, faults,
 * latency and keys the programmatic handle offers. They need no key; the server only listens on 127.0.0.1.
 */
export function handleAdmin(
    server: EmulatorServer,
    method: string,
    pathname: string,
    body: Record<string, unknown>,
    res: ServerResponse,
): void {
    const route = `${method} ${pathname.replace(/\/+$/, "")}`;
    switch (route) {
        case "GET /__emulator/requests":
            return sendJson(res, 200, {
                counts: Object.fromEntries(server.counts),
                total: server.totalRequests(),
                writes: server.writeRequests(),
            });
        case "DELETE /__emulator/requests":
            server.counts.clear();
            return sendNoContent(res);
        case "POST /__emulator/faults":
            try {
                server.addFault({
                    route: String(body.route ?? ""),
                    count: body.count === undefined ? undefined : Number(body.count),
                    kind: String(body.kind) as FaultKind,
                    retryAfter: body.retryAfter === undefined ? undefined : Number(body.retryAfter),
                    resetAfter: body.resetAfter === undefined ? undefined : Number(body.resetAfter),
                    limit: body.limit === undefined ? undefined : Number(body.limit),
                });
            } catch (error) {
                return fail(res, 400, (error as Error).message);
            }
            return sendJson(res, 201, { pending: server.faults.pending() });
        case "DELETE /__emulator/faults":
            server.faults.clear();
            return sendNoContent(res);
        case "POST /__emulator/latency": {
            const ms = Number(body.ms);
            if (!Number.isFinite(ms) || ms < 0) return fail(res, 400, 'latency needs {"ms": <non-negative number>}');
            server.latencyMs = ms;
            return sendJson(res, 200, { ms });
        }
        case "POST /__emulator/keys": {
            const scopes = body.scopes;
            if (typeof body.secret !== "string" || body.secret === "" || !Array.isArray(scopes)) {
                return fail(res, 400, 'keys needs {"secret": string, "scopes": string[]}');
            }
            server.keys.set(body.secret, new Set(scopes.map(String)));
            return sendJson(res, 201, { secret: body.secret, scopes });
        }
        case "GET /__emulator/health":
            return sendJson(res, 200, { projectId: server.projectId, users: server.store.users.size, latencyMs: server.latencyMs });
        default:
            return fail(res, 404, `No emulator admin route ${route}`);
    }
}
