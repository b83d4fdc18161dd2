import { createHash, randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { Caller } from "./context";
import {
    APPWRITE_VERSION,
    ApiError,
    moreFactorsRequired,
    notImplemented,
    projectIdMissing,
    projectNotFound,
    rateLimitExceeded,
    routeNotFound,
    serverError,
    unauthorizedScope,
    userBlocked,
    userUnauthorized,
} from "./errors";
import { type Fault, type FaultSpec, Faults, rateLimitHeaders } from "./faults";
import { parseJsonBody, parsePhpQuery, readBody, sendError, sendJson, sendNoContent } from "./http-io";
import { clientInfo } from "./models-auth";
import { ROUTES, type Route, type Scope, isOtherServicePath, matchRoute } from "./routes";
import { Store, formatDate } from "./store";
import { handleAdmin } from "./admin";

/** The default key's scopes: every scope a Users route accepts. */
const ALL_SCOPES: Scope[] = ["users.read", "users.write", "sessions.read", "sessions.write"];
/** The scopes of Appwrite's guests role that some route here accepts. */
const GUEST_SCOPES = new Set<Scope>(["public", "sessions.write"]);
/** The scopes of Appwrite's users role (a caller signed in with a session) that some route here accepts. */
const USER_SCOPES = new Set<Scope>(["public", "sessions.write", "account"]);
/** What audit logs name an emulator key (Appwrite uses the key's name from the console). */
const KEY_NAME = "Emulator key";
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Key::decode knows these prefixes; any other `<type>_` prefix falls back to a guest key.
const KNOWN_KEY_TYPES = new Set(["standard", "dynamic"]);

export interface ServerOptions {
    projectId: string;
    apiKey: string;
    latencyMs: number;
}

/** The HTTP side of the emulator: auth, request counts, latency, faults and dispatch to the routes. */
export class EmulatorServer {
    readonly store = new Store();
    readonly faults = new Faults();
    readonly counts = new Map<string, number>();
    readonly keys = new Map<string, Set<string>>();
    latencyMs: number;
    readonly projectId: string;
    /** Signs JWTs, as the server's `_APP_OPENSSL_KEY_V1` does; fresh per emulator. */
    readonly jwtSecret = randomBytes(32).toString("hex");
    readonly http: Server;

    constructor(options: ServerOptions) {
        this.projectId = options.projectId;
        this.latencyMs = options.latencyMs;
        this.keys.set(options.apiKey, new Set(ALL_SCOPES));
        this.http = createServer((req, res) => {
            this.handle(req, res).catch((error: unknown) => {
                process.stderr.write(`appwrite emulator: ${String(error instanceof Error ? error.stack : error)}\n`);
                if (!res.headersSent) sendError(res, serverError());
            });
        });
        this.http.keepAliveTimeout = 5000;
    }

    /** Queues a fault, refusing a route that no request could ever be counted under. */
    addFault(spec: FaultSpec): void {
        if (spec.route !== "*" && !ROUTES.some((r) => `${r.method} ${r.pattern}` === spec.route)) {
            throw new Error(
                `Unknown route "${spec.route}" for a fault; use "*" or one of: ${ROUTES.map((r) => `${r.method} ${r.pattern}`).join(", ")}`,
            );
        }
        this.faults.add(spec);
    }

    totalRequests(): number {
        let n = 0;
        for (const v of this.counts.values()) n += v;
        return n;
    }

    writeRequests(): number {
        let n = 0;
        for (const [k, v] of this.counts) if (WRITE_METHODS.has(k.slice(0, k.indexOf(" ")))) n += v;
        return n;
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const method = req.method ?? "GET";
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const text = await readBody(req);
        if (url.pathname.startsWith("/__emulator/")) return handleAdmin(this, method, url.pathname, parseJsonBody(text), res);

        const warning = versionWarning(header(req, "x-appwrite-response-format"));
        if (warning) res.setHeader("X-Appwrite-Warning", warning);
        const match = matchRoute(method, url.pathname);
        const key = `${method} ${match ? match.route.pattern : url.pathname}`;
        if (url.pathname.startsWith("/v1/")) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

        const injected: Fault | undefined = url.pathname.startsWith("/v1/") ? this.faults.take(key) : undefined;
        const fault = injected?.kind;
        if (fault === "drop-before") return void req.socket.destroy();
        if (fault === "500") return sendError(res, serverError());
        if (fault === "503") return sendError(res, new ApiError(503, "general_unknown", "Service Unavailable"));
        if (injected?.kind === "429") return sendError(res, rateLimitExceeded(), rateLimitHeaders(injected, Date.now()));

        try {
            if (!match) {
                if (isOtherServicePath(url.pathname)) throw notImplemented(method, url.pathname);
                throw routeNotFound();
            }
            const caller = this.authorize(req, match.route);
            const params = method === "GET" ? parsePhpQuery(url.search) : parseJsonBody(text);
            const nowMs = Date.now();
            const reply = match.route.handler({
                store: this.store,
                path: match.path,
                params,
                nowMs,
                caller,
                jwtSecret: this.jwtSecret,
                projectName: this.projectId,
            });
            this.audit(match.route, auditResource(match.route, match.path, reply.body), caller, nowMs);
            this.store.flush();
            if (fault === "drop-after") return void req.socket.destroy();
            if (reply.body === undefined) return sendNoContent(res);
            return sendJson(res, reply.status, reply.body);
        } catch (error) {
            this.store.flush();
            if (!(error instanceof ApiError)) throw error;
            if (fault === "drop-after") return void req.socket.destroy();
            return sendError(res, error);
        }
    }

    /**
     * Project and key first, then scope: Appwrite's order (users-api.md §6). A key needs one of the route's
     * scopes; without a usable key the caller is a guest, who has `public` and `sessions.write` but, with
     * authorization on, sees no user.
     */
    private authorize(req: IncomingMessage, route: Route): Caller {
        const scopes = route.scopes;
        const project = header(req, "x-appwrite-project");
        const key = header(req, "x-appwrite-key");
        const hostname = (req.headers.host ?? "localhost").replace(/:\d+$/, "");
        const caller: Caller = {
            guest: true,
            ip: (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
            userAgent: header(req, "user-agent") || "UNKNOWN",
            mode: header(req, "x-appwrite-mode") || "default",
            hostname,
        };
        const asGuest = (): Caller => {
            if (!scopes.some((s) => GUEST_SCOPES.has(s))) throw unauthorizedScope("User (role: guests)", scopes);
            return caller;
        };
        if (project === "") {
            if (key !== "") throw projectIdMissing();
            return asGuest();
        }
        // Appwrite's own project always exists; the emulator has no console users, so its callers are guests.
        if (project === "console") return asGuest();
        if (project !== this.projectId) throw projectNotFound();
        if (key === "") {
            const account = this.sessionOf(header(req, "x-appwrite-session"));
            return account === undefined ? asGuest() : this.signedIn({ ...caller, account }, route);
        }
        const granted = this.keys.get(key);
        if (!granted) {
            const prefix = /^([^_]+)_/.exec(key)?.[1];
            if (prefix !== undefined && !KNOWN_KEY_TYPES.has(prefix)) return asGuest();
            throw userUnauthorized();
        }
        if (!scopes.some((s) => granted.has(s))) {
            throw unauthorizedScope(`app.${this.projectId}@service.${hostname} (role: applications)`, scopes);
        }
        return { ...caller, guest: false };
    }

    /**
     * The user and session a session secret (base64 of `{"id": userId, "secret": secret}`) stands for: an
     * unexpired session of that user whose stored SHA-256 matches. Anything else leaves the caller a guest.
     */
    private sessionOf(encoded: string): Caller["account"] {
        if (encoded === "") return undefined;
        let decoded: { id?: unknown; secret?: unknown };
        try {
            decoded = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as typeof decoded;
        } catch {
            return undefined;
        }
        const user = typeof decoded.id === "string" ? this.store.user(decoded.id) : undefined;
        if (user === undefined || typeof decoded.secret !== "string") return undefined;
        const hash = createHash("sha256").update(decoded.secret).digest("hex");
        const session = this.store.side.sessionsOf(user.seq).find((s) => s.secret === hash && Date.parse(s.expire) > Date.now());
        return session === undefined ? undefined : { user, session };
    }

    /**
     * Appwrite's checks for a signed-in user, in its order: the route's scope for the users role, then a blocked
     * user, then the factors the session still owes (two when MFA is on and the user has a second factor: a
     * verified email, phone or authenticator), which only the routes of the `mfa` group let through.
     */
    private signedIn(caller: Caller, route: Route): Caller {
        const { user, session } = caller.account!;
        if (!route.scopes.some((s) => USER_SCOPES.has(s))) throw unauthorizedScope(`${user.email || "User"} (role: users)`, route.scopes);
        if (!user.status) throw userBlocked();
        const secondFactor = user.emailVerification || user.phoneVerification || this.store.side.totpOf(user.seq)?.verified === true;
        const owed = user.mfa && secondFactor ? 2 : 1;
        if (!route.mfa && session.factors.length < owed) throw moreFactorsRequired();
        return caller;
    }

    /** The audit entry Appwrite's audit worker writes for a key's successful request: the key is the actor. */
    private audit(route: Route, resource: string, caller: Caller, nowMs: number): void {
        if (route.audit === undefined || caller.guest) return;
        this.store.side.addLog({
            ...clientInfo(caller.ip),
            event: route.audit,
            resource,
            actorSeq: null,
            userId: "",
            userName: KEY_NAME,
            userEmail: `app.${this.projectId}@service.${caller.hostname}`,
            userType: "keyProject",
            mode: caller.mode,
            userAgent: caller.userAgent,
            time: formatDate(nowMs),
        });
    }
}

/** The route's `audits.resource` label rendered: `user/<id>`, `target/<id>` or `identity/<id>`. */
function auditResource(route: Route, path: Record<string, string>, body: unknown): string {
    const createdId = body !== null && typeof body === "object" ? String((body as { $id?: unknown }).$id ?? "") : "";
    if (route.audit?.startsWith("target.")) return `target/${path.targetId ?? createdId}`;
    if (route.audit === "identity.delete") return `identity/${path.identityId ?? ""}`;
    return `user/${path.userId ?? createdId}`;
}

function header(req: IncomingMessage, name: string): string {
    const v = req.headers[name];
    return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

function newerThanServer(format: string): boolean {
    const a = format.split(".").map((n) => Number.parseInt(n, 10) || 0);
    const b = APPWRITE_VERSION.split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const d = (a[i] ?? 0) - (b[i] ?? 0);
        if (d !== 0) return d > 0;
    }
    return false;
}

/** Appwrite warns (and node-appwrite prints the warning) when an SDK is built for a newer server. */
function versionWarning(format: string): string | undefined {
    if (format === "" || !newerThanServer(format)) return undefined;
    return `The current SDK is built for Appwrite ${format}. However, the current Appwrite server version is ${APPWRITE_VERSION}. Please downgrade your SDK to match the Appwrite version: https://appwrite.io/docs/sdks`;
}
