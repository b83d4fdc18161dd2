/**
 * What an answer said beyond what node-appwrite's AppwriteException carries (only the message, code,
 * type and body text): the request it answered and its headers, which connection.ts records for every
 * request. retry.ts reads a 429's wait from them; errors.ts words failures with them.
 */
import { isAppwriteException } from "./load-node-appwrite";

const ANSWER = Symbol("answer");
const GAVE_UP = Symbol("rateLimitGaveUp");

/** The request an answer was for, and its headers (names in lower case). */
export interface Answer {
    method: string;
    /** The URL tried, without its query string. */
    url: string;
    headers: Readonly<Record<string, string>>;
}

/** Keeps `answer` on the exception node-appwrite threw for it. */
export function withAnswer(err: unknown, answer: Answer): unknown {
    if (isAppwriteException(err)) Object.assign(err, { [ANSWER]: answer });
    return err;
}

/** The answer kept on `err`, when connection.ts recorded one. */
export function answerOf(err: unknown): Answer | undefined {
    return (err as { [ANSWER]?: Answer } | undefined)?.[ANSWER];
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
    const headers = answerOf(err)?.headers ?? {};
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
