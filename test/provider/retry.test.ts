import { AppwriteException } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimitOf, withAnswer } from "../../provider/appwrite/answer-headers";
import { configureRetries, createOnce, retrying, type RetrySettings } from "../../provider/appwrite/retry";

let previous: RetrySettings;
beforeAll(() => {
    previous = configureRetries({ attempts: 4, initialDelayMs: 1, maxDelayMs: 2 });
});
afterAll(() => {
    configureRetries(previous);
});

const unavailable = () => new AppwriteException("Service unavailable", 503, "general_server_error", "");
const networkDown = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });

/** A request that fails with the given errors, in order, then answers `value`. */
function flaky<T>(value: T, ...failures: Error[]) {
    let sent = 0;
    const send = async () => {
        const failure = failures[sent];
        sent += 1;
        if (failure !== undefined) throw failure;
        return value;
    };
    return { send, sent: () => sent };
}

describe("retrying", () => {
    it("repeats a request after 5xx answers and network errors until it succeeds", async () => {
        const request = flaky("ok", unavailable(), networkDown());
        await expect(retrying(request.send)).resolves.toBe("ok");
        expect(request.sent()).toBe(3);
    });

    it("sends a request that keeps failing four times, then gives up with the last error", async () => {
        const request = flaky("never", unavailable(), unavailable(), unavailable(), unavailable(), unavailable());
        await expect(retrying(request.send)).rejects.toMatchObject({ code: 503 });
        expect(request.sent()).toBe(4);
    });

    it("never repeats a request Appwrite refused with a 4xx", async () => {
        const request = flaky("never", new AppwriteException("Invalid", 400, "general_argument_invalid", ""));
        await expect(retrying(request.send)).rejects.toMatchObject({ code: 400 });
        expect(request.sent()).toBe(1);
    });
});

describe("createOnce", () => {
    it("returns what the lookup finds when a create's answer was lost, without sending the create again", async () => {
        const create = flaky("created", networkDown());
        let lookups = 0;
        const made = await createOnce(create.send, async () => {
            lookups += 1;
            return "found";
        });
        expect([made, create.sent(), lookups]).toEqual(["found", 1, 1]);
    });

    it("sends the create again when the lookup shows it never took effect", async () => {
        const create = flaky("created", unavailable());
        let lookups = 0;
        const made = await createOnce(create.send, async () => {
            lookups += 1;
            return undefined;
        });
        expect([made, create.sent(), lookups]).toEqual(["created", 2, 1]);
    });

    it("resolves an 'already exists' after a lost answer by the lookup, so a retried create never fails on its own object", async () => {
        const conflict = new AppwriteException("exists", 409, "user_already_exists", "");
        const create = flaky("created", unavailable(), conflict);
        const answers = [undefined, "ours"];
        const made = await createOnce(create.send, async () => answers.shift());
        expect([made, create.sent()]).toEqual(["ours", 2]);
    });

    it("passes an 'already exists' straight through when no answer was lost", async () => {
        const create = flaky("created", new AppwriteException("exists", 409, "user_already_exists", ""));
        let lookups = 0;
        await expect(
            createOnce(create.send, async () => {
                lookups += 1;
                return "someone";
            }),
        ).rejects.toMatchObject({ code: 409 });
        expect(lookups).toBe(0);
    });
});

describe("the wait a 429 names", () => {
    const limited = (headers: Record<string, string>) =>
        withAnswer(new AppwriteException("Rate limit", 429, "general_rate_limit_exceeded", ""), {
            method: "GET",
            url: "https://appwrite.example.org/v1/users",
            headers,
        });
    const now = Date.parse("2026-03-01T12:00:00Z");

    it("reads Retry-After as seconds or as an HTTP date, before X-RateLimit-Reset", () => {
        expect(rateLimitOf(limited({ "retry-after": "12", "x-ratelimit-reset": String(now / 1000 + 50) }), now)).toEqual({
            waitMs: 12_000,
            namedBy: "Retry-After",
        });
        expect(rateLimitOf(limited({ "retry-after": "Sun, 01 Mar 2026 12:00:30 GMT" }), now)).toEqual({
            waitMs: 30_000,
            namedBy: "Retry-After",
        });
    });

    it("reads X-RateLimit-Reset as the window's end in unix seconds, with the limit", () => {
        expect(rateLimitOf(limited({ "x-ratelimit-reset": String(now / 1000 + 50), "x-ratelimit-limit": "10" }), now)).toEqual({
            waitMs: 50_000,
            namedBy: "X-RateLimit-Reset",
            limit: "10",
        });
    });

    it("names no wait for a 429 without those headers, and nothing for other errors", () => {
        expect(rateLimitOf(limited({}), now)).toEqual({});
        expect(rateLimitOf(unavailable(), now)).toBeUndefined();
    });
});
