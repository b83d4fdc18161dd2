import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { total } from "./figures";
import { benchStack, type BenchStack } from "./stack";

/**
 * The number of requests each operation sends to Appwrite, through the engine harness with the benchmark's
 * program (five resources per user). `npm run bench` prints the same figures for many users; this pins them
 * for a few, so a change that costs extra requests fails here. A modelled network delay keeps concurrent
 * reads overlapping as they do against a real server.
 */

const USERS = 5;
const LATENCY_MS = 5;

let emu: Emulator;
let bench: BenchStack;

beforeAll(async () => {
    emu = await startEmulator({ latencyMs: LATENCY_MS });
    bench = benchStack(emu, USERS);
});

afterAll(async () => {
    bench.dispose();
    await emu.stop();
});

/** Requests by route during `run`. */
async function requestsOf(run: () => Promise<unknown>): Promise<Record<string, number>> {
    emu.resetRequestCounts();
    await run();
    return emu.requestCounts();
}

describe("the request budget of five resources per user", () => {
    it("up of new users sends exactly one request per resource: create, labels, prefs, target, status", async () => {
        expect(await requestsOf(() => bench.stack.up())).toEqual({
            "POST /v1/users": USERS,
            "PUT /v1/users/:userId/labels": USERS,
            "PATCH /v1/users/:userId/prefs": USERS,
            "POST /v1/users/:userId/targets": USERS,
            "PATCH /v1/users/:userId/status": USERS,
        });
    });

    it("an up with nothing changed sends no request at all", async () => {
        expect(await requestsOf(() => bench.stack.up())).toEqual({});
    });

    it("refresh only reads, and reads arriving together share list requests: well under one request per resource", async () => {
        // Refresh reads several resources at once in state order, reads of distinct users that arrive together
        // are combined into one list request, and that request reads ahead the users after them in ID order.
        // How reads fall into batches depends on timing, so the bound allows two per user
        // (test/provider/users.test.ts and read-ahead.test.ts pin the batching and read-ahead themselves).
        const counts = await requestsOf(() => bench.stack.refresh());
        const reads = ["GET /v1/users", "GET /v1/users/:userId"];
        expect(Object.keys(counts).filter((route) => !reads.includes(route))).toEqual([]);
        expect(counts["GET /v1/users"]).toBeGreaterThan(0);
        expect(total(counts)).toBeLessThanOrEqual(2 * USERS);
    });

    it("destroy sends one request per resource: the four resets, then the user's delete", async () => {
        expect(await requestsOf(() => bench.stack.destroy())).toEqual({
            "PUT /v1/users/:userId/labels": USERS,
            "PATCH /v1/users/:userId/prefs": USERS,
            "DELETE /v1/users/:userId/targets/:targetId": USERS,
            "PATCH /v1/users/:userId/status": USERS,
            "DELETE /v1/users/:userId": USERS,
        });
        expect(emu.store.users.size).toBe(0);
    });
});
