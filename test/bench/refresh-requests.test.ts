import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { total } from "./figures";
import { benchStack, type BenchStack } from "./stack";

/**
 * The requests of `preview --refresh` and `refresh` of a seeded stack (300 users with contiguous IDs, five
 * resources each), through the engine harness with the packed package and a modelled network delay. One GET per
 * resource would be 1,500 requests; reads ahead in ID order answer them from pages of 100 users.
 */

const USERS = 300;
const LATENCY_MS = 10;

let emu: Emulator;
let bench: BenchStack;

beforeAll(async () => {
    emu = await startEmulator();
    bench = benchStack(emu, USERS);
    await bench.stack.up();
    emu.setLatency(LATENCY_MS);
}, 600_000);

afterAll(async () => {
    bench?.dispose();
    await emu?.stop();
});

async function requestsOf(run: () => Promise<unknown>): Promise<Record<string, number>> {
    emu.resetRequestCounts();
    await run();
    return emu.requestCounts();
}

describe(`refresh of ${USERS} seeded users × 5 resources`, { timeout: 600_000 }, () => {
    // Three pages hold 300 users; each kind's pass over the state may start its pages afresh, and each may end
    // with a read-ahead that finds nothing more: 20 is the most that allows, against 1,500 GETs.
    it("refresh sends only list requests, at most 20 of them, and finds no change", async () => {
        let changes: Record<string, number> = {};
        const counts = await requestsOf(async () => (changes = (await bench.stack.refresh()).changeSummary));
        expect(changes).toEqual({ same: USERS * 5 + 1 });
        expect(Object.keys(counts)).toEqual(["GET /v1/users"]);
        expect(total(counts)).toBeLessThanOrEqual(20);
    });

    it("preview --refresh sends only list requests, at most 20 of them, and proposes no change", async () => {
        let changes: Record<string, number> = {};
        const counts = await requestsOf(async () => (changes = (await bench.stack.preview({ refresh: true })).changeSummary));
        expect(changes).toEqual({ same: USERS * 5 + 1 });
        expect(Object.keys(counts)).toEqual(["GET /v1/users"]);
        expect(total(counts)).toBeLessThanOrEqual(20);
    });
});
