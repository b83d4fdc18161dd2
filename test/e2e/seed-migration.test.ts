import { afterAll, describe, expect, it } from "vitest";
import { seedProject } from "../bench/cli-bench";
import { benchSeed } from "../bench/seed";
import { exitCodeOf } from "../../scripts/pulumi-stack";
import type { SeedLayout } from "../../sdk/seeded-users";
import type { CliProject } from "./support";

/**
 * A stack seeded in the layouts before sets (five resources per user, or one UserBundle each) moved to
 * SeededUsers' default, UserSets, through the real `pulumi` CLI: one `up` with `adopt`, as
 * docs/guides/seeding-staging.md says, and nothing deleted in Appwrite.
 */

const USERS = 4;
const seed = benchSeed(USERS);
const projects: CliProject[] = [];

afterAll(async () => {
    for (const project of projects) await project.dispose();
});

const appwriteKinds = (project: CliProject) =>
    project
        .exportDeployment()
        .resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/appwrite:"))
        .map((r) => r.type.slice(r.type.lastIndexOf(":") + 1));

describe.each<[SeedLayout, number]>([
    ["resources", USERS * 5],
    ["bundles", USERS],
])("a stack seeded with layout %s moved to sets", { timeout: 900_000 }, (layout, resources) => {
    let project: CliProject;

    it("is refused without adopt before anything is written", async () => {
        project = await seedProject(seed, 0, { layout });
        projects.push(project);
        await project.up();
        expect(appwriteKinds(project)).toHaveLength(resources);
        await project.stack.setConfig("layout", { value: "sets" });
        project.emu.resetRequestCounts();
        const failure = await project.up().then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        expect(String(failure)).toMatch(/UserSet create failed for user "seed-0000\d" while creating the user: .*409/);
        // Each member's create was answered 409 (the user exists); nothing else was sent.
        const writes = Object.keys(project.emu.requestCounts()).filter((route) => !route.startsWith("GET "));
        expect(writes).toEqual(["POST /v1/users"]);
        expect(project.emu.store.users.size).toBe(USERS);
        expect(appwriteKinds(project)).toHaveLength(resources);
    });

    it("with adopt keeps every user, sends no delete and leaves only sets in the state", async () => {
        const registrations = await Promise.all(seed.map(async (u) => (await project.users.get({ userId: u.id })).registration));
        await project.stack.setConfig("adopt", { value: "true" });
        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toMatchObject({ delete: resources });
        const routes = Object.keys(project.emu.requestCounts());
        expect(routes.filter((route) => route.startsWith("DELETE") || route === "POST /v1/users")).toEqual([]);
        expect(new Set(appwriteKinds(project))).toEqual(new Set(["UserSet"]));
        const after = await Promise.all(seed.map(async (u) => await project.users.get({ userId: u.id })));
        expect(after.map((u) => u.registration)).toEqual(registrations);
        expect(after.map((u) => [u.labels, u.targets.filter((t) => t.$id.endsWith("-alerts")).length])).toEqual(
            seed.map((u) => [u.labels, 1]),
        );

        project.emu.resetRequestCounts();
        const again = await project.up();
        expect(again.result.summary.resourceChanges).not.toHaveProperty("update");
        expect(project.emu.totalRequests()).toBe(0);
    });
});
