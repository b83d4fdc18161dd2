/**
 * What a 429 answer says about its limit. node-appwrite's AppwriteException carries only the message,
 * code, type and body text of an answer, so connection.ts records the headers of every request and
 * attaches them here; retry.ts reads the wait from them and errors.ts words the failure.
 */
import { AppwriteException } from "node-appwrite";

const RESPONSE_HEADERS = Symbol("responseHeaders");
const GAVE_UP = Symbol("rateLimitGaveUp");

function isAppwriteException(err: unknown): err is AppwriteException {
    return err instanceof AppwriteException || (err instanceof Error && err.name === "AppwriteException");
}

/** Keeps the headers of the answer (names in lower case) on the exception node-appwrite throws. */
export function withResponseHeaders(err: unknown, headers: Readonly<Record<string, string>>): unknown {
    if (isAppwriteException(err)) Object.assign(err, { [RESPONSE_HEADERS]: headers });
    return err;
}

/** What a 429 answer says about its limit. */
export interface RateLimit {
    /** How long the answer asks to wait, in milliseconds; undefined when it names no wait. */
    waitMs?: number;
    /** The header that named the wait. */
    namedBy?: "Retry-After" | "X-RateLimit-Reset";
    /** `X-RateLimit-Limit`: how many requests the window allows, when the answer says. */
    limit?: string;
}

/**
 * The limit of a 429 answer, or undefined for any other error. A 429 means the request was refused
 * before anything was done, so any request (creates included) may be sent again after the wait.
 * `Retry-After` is seconds or an HTTP date; Appwrite's own `X-RateLimit-Reset` is the window's end in
 * unix seconds.
 */
export function rateLimitOf(err: unknown, nowMs: number = Date.now()): RateLimit | undefined {
    if (!isAppwriteException(err) || err.code !== 429) return undefined;
    const headers = (err as { [RESPONSE_HEADERS]?: Record<string, string> })[RESPONSE_HEADERS] ?? {};
    const limit = headers["x-ratelimit-limit"];
    const base = limit === undefined ? {} : { limit };
    const retryAfter = headers["retry-after"]?.trim() ?? "";
    const afterMs = /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - nowMs;
    if (retryAfter !== "" && Number.isFinite(afterMs)) return { ...base, waitMs: Math.max(0, afterMs), namedBy: "Retry-After" };
    const reset = headers["x-ratelimit-reset"]?.trim() ?? "";
    if (/^\d+$/.test(reset)) return { ...base, waitMs: Math.max(0, Number(reset) * 1000 - nowMs), namedBy: "X-RateLimit-Reset" };
    return base;
}

/** Marks the 429 that retry.ts stopped at, with the attempts made and the longest wait it makes. */
export function rateLimitGaveUp(err: unknown, attempts: number, maxWaitMs: number): unknown {
    if (isAppwriteException(err)) Object.assign(err, { [GAVE_UP]: { attempts, maxWaitMs } });
    return err;
}

/** The attempts and the longest wait of a 429 that retry.ts stopped at; undefined when it did not. */
export function rateLimitGaveUpOf(err: unknown): { attempts: number; maxWaitMs: number } | undefined {
    return (err as { [GAVE_UP]?: { attempts: number; maxWaitMs: number } } | undefined)?.[GAVE_UP];
}
