/**
 * The bound on requests in flight to Appwrite across the whole provider process: every resource, every
 * UserSet and every read share it, because they share one host process and one Appwrite project's rate
 * limits. Every request passes through the client's `call` (connection.ts), which takes a slot here; the
 * waits between retries hold none. Requests beyond the bound wait their turn in order.
 */

/** Requests in flight when neither `appwrite:maxConcurrency` nor APPWRITE_MAX_CONCURRENCY says otherwise. */
export const DEFAULT_MAX_CONCURRENCY = 8;

let limit = DEFAULT_MAX_CONCURRENCY;
let active = 0;
const waiting: (() => void)[] = [];

/** The bound now in force. */
export function maxConcurrency(): number {
    return limit;
}

/** Sets the bound (from the provider's settings); requests already waiting are let through as slots allow. */
export function setMaxConcurrency(next: number): void {
    limit = next;
    while (active < limit && waiting.length > 0) {
        active++;
        waiting.shift()?.();
    }
}

/** Sends one request once a slot is free, and frees the slot when its answer (or failure) is in. */
export async function inFlight<T>(send: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
        return await send();
    } finally {
        const next = waiting.shift();
        if (next !== undefined && active <= limit) next();
        else active--;
    }
}
