import { Query } from "node-appwrite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configureRetries, type RetrySettings } from "../../provider/appwrite/retry";
import type { FaultSpec } from "../emulator";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

/**
 * 429 answers, injected by the emulator with the headers Appwrite's abuse limit sends (`X-RateLimit-*`)
 * or a proxy's `Retry-After`. The waits are recorded instead of slept, so the tests assert the wait the
 * provider chose, not how long anything took.
 */
let appwrite: EmulatedAppwrite;
let waits: number[];
let previous: RetrySettings;

useEmulatedAppwrite((started) => (appwrite = started));

beforeEach(() => {
    waits = [];
    previous = configureRetries({ sleep: async (ms) => void waits.push(ms) });
});
afterEach(() => configureRetries(previous));

const limited = (route: string, fault: Omit<FaultSpec, "route" | "kind"> = {}) =>
    appwrite.emulator.injectFault({ route, kind: "429", ...fault });

describe("a request refused by a rate limit", () => {
    it("a create answered 429 is sent again after the Retry-After wait and makes the user once", async () => {
        const userId = uniqueId("limited-create");
        limited("POST /v1/users", { retryAfter: 2 });
        const { id } = await appwrite.provider("User").create({ userId, email: `${userId}@example.org`, name: "Limited" });
        expect(id).toBe(userId);
        expect(waits).toEqual([2000]);
        expect(appwrite.emulator.requestCounts()).toEqual({ "POST /v1/users": 2 });
        expect((await appwrite.users.list({ queries: [Query.equal("$id", [userId])] })).total).toBe(1);
    });

    it("a target create answered 429 is sent again, not looked up, as nothing was made", async () => {
        const userId = uniqueId("limited-target");
        await appwrite.users.create({ userId });
        appwrite.emulator.resetRequestCounts();
        limited("POST /v1/users/:userId/targets", { retryAfter: 1 });
        await appwrite.provider("UserTarget").create({ userId, targetId: "t1", providerType: "push", identifier: uniqueId("token") });
        expect(appwrite.emulator.requestCounts()).toEqual({ "POST /v1/users/:userId/targets": 2 });
        expect(waits).toEqual([1000]);
    });

    it("without Retry-After, waits until Appwrite's X-RateLimit-Reset", async () => {
        const userId = uniqueId("limited-labels");
        await appwrite.users.create({ userId });
        limited("PUT /v1/users/:userId/labels", { resetAfter: 5 });
        await appwrite.provider("UserLabels").create({ userId, labels: ["vip"] });
        expect(waits).toHaveLength(1);
        // The reset is in whole unix seconds, so the wait is up to a second short of the five.
        expect(waits[0]).toBeGreaterThan(4000);
        expect(waits[0]).toBeLessThanOrEqual(5000);
    });

    it("a read answered 429 during a refresh is read again after the wait", async () => {
        const userId = uniqueId("limited-read");
        await appwrite.users.create({ userId, name: "Read" });
        appwrite.emulator.resetRequestCounts();
        limited("*", { retryAfter: 3 });
        const read = await appwrite.provider("User").read(userId, { userId });
        expect(read.id).toBe(userId);
        expect(waits).toEqual([3000]);
        expect(appwrite.emulator.totalRequests()).toBe(2);
    });

    it("a 429 naming no wait is retried with the usual backoff", async () => {
        const userId = uniqueId("limited-plain");
        await appwrite.users.create({ userId });
        limited("PATCH /v1/users/:userId/status");
        await appwrite.provider("UserStatus").create({ userId, blocked: true });
        expect(waits).toEqual([1]);
    });

    it("after the last attempt the error names the limit, the wait and how often it was refused", async () => {
        const userId = uniqueId("limited-out");
        await appwrite.users.create({ userId });
        appwrite.emulator.resetRequestCounts();
        limited("PATCH /v1/users/:userId/prefs", { count: 4, retryAfter: 3, resetAfter: 30, limit: 60 });
        await expect(appwrite.provider("UserPrefs").create({ userId, prefs: { a: 1 } })).rejects.toThrow(
            `UserPrefs create failed for user "${userId}": Rate limit for the current endpoint has been exceeded. Please try again after some time ` +
                "(general_rate_limit_exceeded, HTTP 429). Appwrite's rate limit of 60 requests refused the request 4 times; it asks to wait 3 s " +
                "(Retry-After). Nothing was changed by it: run again after the wait, or send fewer requests at once (`pulumi up --parallel 4`).",
        );
        expect(appwrite.emulator.requestCounts()).toEqual({ "PATCH /v1/users/:userId/prefs": 4 });
        expect(waits).toEqual([3000, 3000, 3000]);
    });

    it("a wait longer than the cap fails at once, naming the wait and the cap", async () => {
        const userId = uniqueId("limited-long");
        await appwrite.users.create({ userId });
        appwrite.emulator.resetRequestCounts();
        limited("PATCH /v1/users/:userId/name", { resetAfter: 3600 });
        await expect(appwrite.provider("User").update(userId, { userId, name: "Old" }, { userId, name: "New" })).rejects.toThrow(
            /HTTP 429\)\. Appwrite's rate limit of 10 requests refused the request once; it asks to wait 3[56]\d\d s \(X-RateLimit-Reset\), longer than the 60 s the provider waits\. Nothing was changed/,
        );
        expect(appwrite.emulator.requestCounts()).toEqual({ "PATCH /v1/users/:userId/name": 1 });
        expect(waits).toEqual([]);
    });
});
