/**
 * The one place that repeats requests. Requests that are safe to repeat (reads, PUT labels, PATCH
 * updates, deletes whose 404 counts as done) are retried on network errors and 5xx answers with
 * exponential backoff. Creates are never sent twice blindly: a create whose answer was lost is resolved
 * by looking the object up first.
 */
import { isConflict, isTransient } from "./errors";

export interface RetrySettings {
    /** How many times a request is sent at most. */
    attempts: number;
    /** The wait before the second attempt; it doubles for each further one. */
    initialDelayMs: number;
    maxDelayMs: number;
}

const settings: RetrySettings = { attempts: 4, initialDelayMs: 250, maxDelayMs: 2_000 };

/** Changes the retry policy for this process (tests use tiny delays). Returns the previous settings. */
export function configureRetries(next: Partial<RetrySettings>): RetrySettings {
    const previous = { ...settings };
    Object.assign(settings, next);
    return previous;
}

function delay(attempt: number): Promise<void> {
    const ms = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
    return new Promise((resolve) => setTimeout(resolve, ms));
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
 * the object is absent or is not the one this create would have made; it does its own retrying.
 */
export async function createOnce<T>(create: () => Promise<T>, lookup: () => Promise<T | undefined>): Promise<T> {
    let answerLost = false;
    for (let attempt = 1; ; attempt++) {
        try {
            return await create();
        } catch (err) {
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
