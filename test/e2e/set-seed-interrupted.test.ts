import { describe, expect, it } from "vitest";
import { exitCodeOf } from "../../scripts/pulumi-stack";
import { seedProject, seedResources } from "../bench/cli-bench";
import { benchSeed } from "../bench/seed";
import { disposedAfterEach, projectProcesses, until } from "./processes";
import type { CliProject, StateResource } from "./support";

/**
 * A seed in UserSets (SeededUsers' default) under the real `pulumi` CLI, its `up` interrupted with SIGINT
 * while sets are being made (every request to the emulator takes 100 ms), then recovered with another `up`.
 */

const USERS = 120;
const seed = benchSeed(USERS);
const SETS = seedResources(seed, "sets");
const SET = "pulumi-nodejs:dynamic/appwrite:UserSet";
const CREATE_ROUTE = "POST /v1/users";

const disposeAfterTest = disposedAfterEach();

interface Deployment {
    resources?: StateResource[];
    pending_operations?: unknown[];
}

const deployment = (project: CliProject) => (JSON.parse(project.exportText()) as { deployment: Deployment }).deployment;
/** The users the state's sets hold, by their outputs. */
const membersInState = (d: Deployment) =>
    (d.resources ?? [])
        .filter((r) => r.type === SET)
        .flatMap((r) => Object.keys((r.outputs?.["users"] ?? {}) as Record<string, unknown>))
        .sort();
const usersInAppwrite = (project: CliProject) => [...project.emu.store.users.values()].map((u) => u.$id).sort();
const creates = (project: CliProject) => project.emu.requestCounts()[CREATE_ROUTE] ?? 0;

describe("an interrupted pulumi up of a seed in UserSets", { timeout: 600_000 }, () => {
    it("SIGINT lets the sets being made finish and record every user they made, and the next up makes the rest, each user once", async () => {
        const project = await seedProject(seed, 100, { layout: "sets" });
        disposeAfterTest(project);
        const controller = new AbortController();
        const done = project.stack.up({ signal: controller.signal }).then(
            () => {
                throw new Error("the interrupted up finished");
            },
            (err: unknown) => err,
        );
        await until(() => creates(project) >= 10, "user creates in flight");
        controller.abort();
        const failure = await done;
        expect(exitCodeOf(failure)).toBe(1);
        // What docs/guides/troubleshooting.md quotes.
        expect(String(failure)).toContain("^C received; cancelling. If you would like to terminate immediately, press ^C again.");
        expect(String(failure)).toContain("error: update canceled");

        const state = deployment(project);
        expect(state.pending_operations ?? []).toEqual([]);
        const made = usersInAppwrite(project);
        expect(made.length).toBeGreaterThanOrEqual(10);
        expect(made.length).toBeLessThan(USERS);
        // Every user made is recorded, whole: the sets in flight finished each of their members.
        expect(membersInState(state)).toEqual(made);
        for (const id of made) expect(project.emu.store.user(id)?.labels).toEqual(seed.find((u) => u.id === id)?.labels);
        console.log(
            `SIGINT: ${made.length} of ${USERS} users made and recorded in ${(state.resources ?? []).filter((r) => r.type === SET).length} of ${SETS} sets`,
        );

        project.emu.setLatency(0);
        project.emu.resetRequestCounts();
        await project.up();
        expect(creates(project)).toBe(USERS - made.length);
        expect(usersInAppwrite(project)).toEqual(seed.map((u) => u.id));
        expect(membersInState(deployment(project))).toEqual(seed.map((u) => u.id));

        project.emu.resetRequestCounts();
        const again = await project.up();
        expect(again.result.summary.resourceChanges).toEqual({ same: SETS + 2 });
        expect(project.emu.totalRequests()).toBe(0);
        expect(projectProcesses(project)).toEqual([]);
    });
});
