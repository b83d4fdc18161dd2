import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedProject } from "../bench/cli-bench";
import { stateFigures } from "../bench/cli-state";
import { total } from "../bench/figures";
import { RESOURCES_PER_SEED_USER, benchSeed } from "../bench/seed";
import type { CliProject } from "./support";

/**
 * The benchmark's seed (200 users with contiguous IDs, five resources each, through SeededUsers) under the real
 * `pulumi` CLI with a file:// backend: the request counts and state sizes the benchmark reports, pinned.
 * Times are never asserted; the emulator models 10 ms per request so that reads overlap as on a network.
 */

const USERS = 200;
const RESOURCES = USERS * RESOURCES_PER_SEED_USER;
/** What the CLI's summary counts: the stack, the SeededUsers component and the five resources per user. */
const SUMMARY_RESOURCES = RESOURCES + 2;
let project: CliProject;

// Without checkpoints, which cost most of a 1,000-resource up and change none of the counts or the final state
// pinned here (the backend writes the same snapshot at the end); the benchmark measures them.
beforeAll(async () => {
    project = await seedProject(benchSeed(USERS), 0, { skipCheckpoints: true, layout: "resources" });
    await project.up();
    project.emu.setLatency(10);
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

describe(`the seed of ${USERS} users x ${RESOURCES_PER_SEED_USER} resources under the real pulumi CLI`, { timeout: 600_000 }, () => {
    it("a no-change up sends no request to Appwrite", async () => {
        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ same: SUMMARY_RESOURCES });
        expect(project.emu.totalRequests()).toBe(0);
    });

    // Two pages of 100 users hold the seed; each kind's pass over the state may start its own pages and end
    // with a read-ahead that finds nothing more, and a read the engine sends alone, outside any batch, is one
    // GET: how the reads fall depends on timing. One GET per resource would be 1,000 requests.
    it("refresh only reads, with at most 20 requests, and finds no change", async () => {
        project.emu.resetRequestCounts();
        const { result } = await project.refresh();
        expect((result as { summary: { resourceChanges?: Record<string, number> } }).summary.resourceChanges).toEqual({
            same: SUMMARY_RESOURCES,
        });
        const counts = project.emu.requestCounts();
        expect(Object.keys(counts).filter((route) => !route.startsWith("GET "))).toEqual([]);
        expect(total(counts)).toBeLessThanOrEqual(20);
    });

    it("preview --refresh only reads, with at most 20 requests", async () => {
        project.emu.resetRequestCounts();
        await project.preview({ refresh: true });
        const counts = project.emu.requestCounts();
        expect(Object.keys(counts).filter((route) => !route.startsWith("GET "))).toEqual([]);
        expect(total(counts)).toBeLessThanOrEqual(20);
    });

    // Measured here: 4,080 bytes per resource exported (indented JSON), 2,566 in the backend's file; about a third
    // of it is the stack trace the engine keeps of where each resource was declared, two __provider texts 560.
    it("the state holds every kind with a __provider of at most 512 bytes, under 4,600 bytes per resource exported and 3,000 in the backend", () => {
        const state = stateFigures(project);
        expect(state.resources).toBe(RESOURCES);
        expect(Object.keys(state.providerBytesByKind).sort()).toEqual(["User", "UserLabels", "UserPrefs", "UserStatus", "UserTarget"]);
        for (const bytes of Object.values(state.providerBytesByKind)) expect(bytes).toBeLessThanOrEqual(512);
        expect(state.bytesPerResource).toBeLessThan(4600);
        expect(state.checkpointBytes / state.resources).toBeLessThan(3000);
    });
});
