/**
 * The one place that repeats requests. Requests that are safe to repeat (reads, PUT labels, PATCH
 * updates, deletes whose 404 counts as done) are retried on network errors and 5xx answers with
 * exponential backoff. Creates are never sent twice blindly: a create whose answer was lost is resolved
 * by looking the object up first. A 429 means the request was refused before anything was done, so any
 * request, creates included, is sent again after the wait the answer names, up to a cap.
 */
import { isConflict, isTransient } from "./errors";
import { rateLimitGaveUp, rateLimitOf } from "./answer-headers";

export interface RetrySettings {
    /** How many times a request is sent at most. */
    attempts: number;
    /** The wait before the second attempt; it doubles for each further one. */
    initialDelayMs: number;
    maxDelayMs: number;
    /** The longest wait for a rate limit; a 429 asking for more fails at once, naming the wait. */
    maxRateLimitWaitMs: number;
    /** How a wait is made (tests record the waits instead of sleeping). */
    sleep: (ms: number) => Promise<void>;
}

const settings: RetrySettings = {
    attempts: 4,
    initialDelayMs: 250,
    maxDelayMs: 2_000,
    maxRateLimitWaitMs: 60_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Changes the retry policy for this process (tests use tiny delays). Returns the previous settings. */
export function configureRetries(next: Partial<RetrySettings>): RetrySettings {
    const previous = { ...settings };
    Object.assign(settings, next);
    return previous;
}

function backoff(attempt: number): number {
    return Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
}

function delay(attempt: number): Promise<void> {
    return settings.sleep(backoff(attempt));
}

/**
 * Waits out a 429: as long as the answer asks (`Retry-After` or `X-RateLimit-Reset`), or with backoff
 * when it names no wait. Throws it, marked for errors.ts to word, when the attempts are used up or the
 * wait is longer than the cap.
 */
async function waitOutRateLimit(err: unknown, attempt: number): Promise<boolean> {
    const limit = rateLimitOf(err);
    if (limit === undefined) return false;
    const waitMs = limit.waitMs ?? backoff(attempt);
    if (attempt >= settings.attempts || waitMs > settings.maxRateLimitWaitMs) {
        throw rateLimitGaveUp(err, attempt, settings.maxRateLimitWaitMs);
    }
    await settings.sleep(waitMs);
    return true;
}

/**
 * Sends a request that is safe to repeat, retrying network errors and 5xx answers, except those that
 * `permanent` recognises as a known answer to this request (Appwrite reports some conflicts as a 500).
 */
export async function retrying<T>(send: () => Promise<T>, permanent: (err: unknown) => boolean = () => false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await send();
        } catch (err) {
            if (await waitOutRateLimit(err, attempt)) continue;
            if (!isTransient(err) || permanent(err) || attempt >= settings.attempts) throw err;
            await delay(attempt);
        }
    }
}

/**
 * Sends a create at most once per lost answer. When a create fails without a usable answer (network
 * error or 5xx), `lookup` decides whether it took effect: if it finds the object, that is the result; if
 * not, the create is sent again. A conflict after a lost answer is also resolved by `lookup`, so a retried
 * create never fails with "already exists" for an object it made itself. `lookup` returns undefined when
 * the object is absent or is not the one this create would have made; it does its own retrying. A 429
 * made nothing, so the create is simply sent again after the wait.
 */
export async function createOnce<T>(create: () => Promise<T>, lookup: () => Promise<T | undefined>): Promise<T> {
    let answerLost = false;
    for (let attempt = 1; ; attempt++) {
        try {
            return await create();
        } catch (err) {
            if (await waitOutRateLimit(err, attempt)) continue;
            if (isTransient(err)) {
                answerLost = true;
                const made = await lookup();
                if (made !== undefined) return made;
                if (attempt >= settings.attempts) throw err;
                await delay(attempt);
                continue;
            }
            if (answerLost && isConflict(err)) {
                const made = await lookup();
                if (made !== undefined) return made;
            }
            throw err;
        }
    }
}
