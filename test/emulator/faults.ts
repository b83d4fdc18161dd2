export type FaultKind = "500" | "503" | "429" | "drop-before" | "drop-after";

const FAULT_KINDS: readonly FaultKind[] = ["500", "503", "429", "drop-before", "drop-after"];

export interface FaultSpec {
    /** A request-count key such as `PATCH /v1/users/:userId/email`, or `*` for any /v1 route. */
    route: string;
    /** How many matching requests it hits; 1 when not given. */
    count?: number;
    kind: FaultKind;
    /** For "429": the `Retry-After` header in seconds, as a proxy or an edge sends it; absent when not given. */
    retryAfter?: number;
    /**
     * For "429": seconds from the answer to the end of the window, sent as Appwrite's abuse limit sends it:
     * `X-RateLimit-Reset` in unix seconds, with `X-RateLimit-Limit` and `X-RateLimit-Remaining: 0`.
     */
    resetAfter?: number;
    /** For "429": the `X-RateLimit-Limit` sent with `resetAfter` (default 10). */
    limit?: number;
}

export type Fault = Required<Pick<FaultSpec, "kind">> & Omit<FaultSpec, "route" | "count" | "kind">;

function seconds(name: string, value: unknown): void {
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
        throw new Error(`Fault ${name} must be a whole number of seconds, got ${String(value)}`);
    }
}

/** Queued faults, consumed in the order they were injected. */
export class Faults {
    private queue: Array<{ route: string; remaining: number; fault: Fault }> = [];

    add(spec: FaultSpec): void {
        if (!FAULT_KINDS.includes(spec.kind)) throw new Error(`Unknown fault kind "${String(spec.kind)}"; use ${FAULT_KINDS.join(", ")}`);
        const count = spec.count ?? 1;
        if (!Number.isInteger(count) || count < 1) throw new Error(`Fault count must be a positive integer, got ${String(spec.count)}`);
        seconds("retryAfter", spec.retryAfter);
        seconds("resetAfter", spec.resetAfter);
        const { route, count: _count, ...fault } = spec;
        this.queue.push({ route, remaining: count, fault });
    }

    /** The fault for this request, if one is pending for its route. */
    take(routeKey: string): Fault | undefined {
        const i = this.queue.findIndex((f) => f.route === routeKey || f.route === "*");
        if (i < 0) return undefined;
        const pending = this.queue[i]!;
        pending.remaining -= 1;
        if (pending.remaining === 0) this.queue.splice(i, 1);
        return pending.fault;
    }

    pending(): number {
        return this.queue.reduce((n, f) => n + f.remaining, 0);
    }

    clear(): void {
        this.queue = [];
    }
}

/** The headers of an injected 429, computed when it is answered. */
export function rateLimitHeaders(fault: Fault, nowMs: number): Record<string, string> {
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
    if (fault.resetAfter !== undefined) {
        headers["X-RateLimit-Limit"] = String(fault.limit ?? 10);
        headers["X-RateLimit-Remaining"] = "0";
        headers["X-RateLimit-Reset"] = String(Math.floor(nowMs / 1000) + fault.resetAfter);
    }
    return headers;
}
