import { AppwriteException } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureRetries, createOnce, retrying, type RetrySettings } from "../../provider/retry";

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
        await expect(createOnce(create.send, async () => { lookups += 1; return "someone"; })).rejects.toMatchObject({ code: 409 });
        expect(lookups).toBe(0);
    });
});
