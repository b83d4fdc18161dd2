import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import {
  APPWRITE_VERSION, ApiError, notImplemented, projectIdMissing, projectNotFound, rateLimitExceeded, routeNotFound, serverError,
  unauthorizedScope, userUnauthorized,
} from "./errors";
import { type Fault, type FaultSpec, Faults, rateLimitHeaders } from "./faults";
import { parseJsonBody, parsePhpQuery, readBody, sendError, sendJson, sendNoContent } from "./http-io";
import { ROUTES, type Scope, isUsersPath, matchRoute } from "./routes";
import { Store } from "./store";
import { handleAdmin } from "./admin";

export const ALL_SCOPES: Scope[] = ["users.read", "users.write"];
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
      throw new Error(`Unknown route "${spec.route}" for a fault; use "*" or one of: ${ROUTES.map((r) => `${r.method} ${r.pattern}`).join(", ")}`);
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
        if (!isUsersPath(url.pathname)) throw routeNotFound();
        this.authorize(req, method === "GET" ? "users.read" : "users.write");
        throw notImplemented(method, url.pathname);
      }
      this.authorize(req, match.route.scope);
      if (!match.route.handler) throw notImplemented(method, url.pathname);
      const params = method === "GET" ? parsePhpQuery(url.search) : parseJsonBody(text);
      const reply = match.route.handler({ store: this.store, path: match.path, params, nowMs: Date.now() });
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

  /** Project and key first, then scope: Appwrite's order (users-api.md §6). */
  private authorize(req: IncomingMessage, scope: Scope): void {
    const project = header(req, "x-appwrite-project");
    const key = header(req, "x-appwrite-key");
    if (project === "") {
      if (key !== "") throw projectIdMissing();
      throw unauthorizedScope("User (role: guests)", scope);
    }
    if (project !== this.projectId) throw projectNotFound();
    if (key === "") throw unauthorizedScope("User (role: guests)", scope);
    const scopes = this.keys.get(key);
    if (!scopes) {
      const prefix = /^([^_]+)_/.exec(key)?.[1];
      if (prefix !== undefined && !KNOWN_KEY_TYPES.has(prefix)) throw unauthorizedScope("User (role: guests)", scope);
      throw userUnauthorized();
    }
    if (!scopes.has(scope)) {
      const host = (req.headers.host ?? "localhost").replace(/:\d+$/, "");
      throw unauthorizedScope(`app.${this.projectId}@service.${host} (role: applications)`, scope);
    }
  }
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
