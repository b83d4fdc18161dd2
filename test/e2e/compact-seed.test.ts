import type { EngineEvent } from "@pulumi/pulumi/automation";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedProject } from "../bench/cli-bench";
import { driftCommand, stateFigures } from "../bench/cli-state";
import { benchSeed, seedRequests } from "../bench/seed";
import { changedInputs, exitCodeOf } from "../../scripts/pulumi-stack";
import { seededUserPassword } from "../../sdk/seed-password";
import type { DriftReport } from "../../cli/drift-report";
import { readmeBlock } from "../support/readme";
import { providerTextOf } from "../support/provider-text";
import type { CliProject } from "./support";

/**
 * The benchmark's seed program with `compact: true` (SeededUsers declaring one UserBundle per user) under the
 * real `pulumi` CLI with a file:// backend, against the emulator: from an empty stack to destroy, in order.
 */

const USERS = 30;
/** The stack, the SeededUsers component and one bundle per user. */
const SUMMARY_RESOURCES = USERS + 2;
/** The bench program's seed secret (test/bench/cli-bench.ts). */
const SECRET = "bench-seed-secret-0123456789abcdef";
const BUNDLE = "pulumi-nodejs:dynamic/appwrite:UserBundle";
let project: CliProject;

beforeAll(async () => {
    project = await seedProject(benchSeed(USERS), 0, { layout: "bundles" });
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

/**
 * Runs a shell block in the project as a user would, with this project's `pulumi` first on the PATH.
 * Asynchronous: the emulator answers from this process.
 */
function runShell(code: string, project: CliProject): Promise<{ code: number | null; output: string }> {
    const env = { ...project.cliEnv(), PATH: `${project.cliDir}${path.delimiter}${process.env.PATH ?? ""}` };
    return new Promise((resolve, reject) => {
        const child = spawn("bash", ["-c", code], { cwd: project.workDir, env });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr.on("data", (d: Buffer) => (output += d.toString()));
        child.on("error", reject);
        child.on("close", (exit) => resolve({ code: exit, output }));
    });
}

interface BundleStep {
    name: string;
    op: string;
    diffs: string[];
    oldInputs: Record<string, unknown>;
    newInputs: Record<string, unknown>;
}

/** A preview's steps of bundles, with the inputs the engine compared (refreshed ones, then the program's). */
async function previewRefresh(): Promise<BundleStep[]> {
    const steps: BundleStep[] = [];
    await project.stack.preview({
        refresh: true,
        onEvent: (event: EngineEvent) => {
            const meta = event.resourcePreEvent?.metadata;
            if (meta?.type !== BUNDLE || meta.op === "same" || meta.op === "refresh" || meta.op === "read") return;
            const oldInputs = (meta.old?.inputs ?? {}) as Record<string, unknown>;
            const newInputs = (meta.new?.inputs ?? {}) as Record<string, unknown>;
            // As the CLI shows it: the engine compares the inputs the refresh read with the program's.
            const diffs = meta.diffs?.length ? meta.diffs : changedInputs(oldInputs, newInputs);
            steps.push({ name: meta.urn.split("::").pop() ?? meta.urn, op: meta.op, diffs, oldInputs, newInputs });
        },
    });
    return steps.sort((a, b) => a.name.localeCompare(b.name));
}

describe(`a compact seed of ${USERS} users (one UserBundle each) under the real pulumi CLI`, { timeout: 600_000 }, () => {
    it("up makes each user with its labels, prefs, target and status in one resource, five requests per user", async () => {
        const { result, log } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ create: SUMMARY_RESOURCES });
        expect(
            log
                .resources()
                .filter((s) => s.op === "create")
                .map((s) => s.type),
        ).toEqual(Array.from({ length: USERS }, () => BUNDLE));
        expect(project.emu.requestCounts()).toEqual(seedRequests(USERS));
        expect(project.emu.store.users.size).toBe(USERS);
        const third = await project.users.get({ userId: "seed-00003" });
        expect(third).toMatchObject({ labels: ["bench", "odd"], prefs: { locale: "en", theme: "dark" }, status: true });
        expect(third.targets.map((t) => t.$id)).toContain("seed-00003-alerts");
    });

    it("stores one __provider text of at most 512 bytes for every bundle: a require of its subpath", () => {
        const bundles = project.exportDeployment().resources.filter((r) => r.type === BUNDLE);
        expect(bundles).toHaveLength(USERS);
        const texts = new Set(bundles.flatMap((r) => [r.inputs?.["__provider"], r.outputs?.["__provider"]]));
        expect([...texts]).toEqual([providerTextOf("pulumi-appwrite-users/provider/user-bundle")]);
        expect(Buffer.byteLength(String([...texts][0]))).toBe(282);
    });

    it("a no-change up sends no request to Appwrite", async () => {
        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ same: SUMMARY_RESOURCES });
        expect(project.emu.totalRequests()).toBe(0);
    });

    it("the password, the seed secret and the API key never appear in plaintext in the exported state", () => {
        const exported = project.exportText();
        expect(exported).not.toContain(SECRET);
        expect(exported).not.toContain(project.emu.apiKey);
        for (const id of ["seed-00001", "seed-00030"]) expect(exported).not.toContain(seededUserPassword(SECRET, id));
        const bundle = project.exportDeployment().resources.find((r) => r.type === BUNDLE);
        expect(bundle?.outputs?.["password"]).toMatchObject({ ciphertext: expect.any(String) });
        expect(bundle?.inputs?.["password"]).toMatchObject({ ciphertext: expect.any(String) });
        expect(exported).not.toMatch(/"hash(Options)?"/);
    });

    // Measured here: 6,854 bytes per user exported (indented JSON) and 3,765 in the backend's file, the stack's
    // own resources included (each further user adds about 6,650 and 3,640), against five resources per user
    // without compact: 20,400 and 12,830 (4,080 and 2,566 per resource, test/e2e/seed-scale.test.ts).
    it("the state holds under 7,500 bytes per user exported and 4,200 in the backend", () => {
        const state = stateFigures(project);
        expect(state.resources).toBe(USERS);
        expect(Object.keys(state.providerBytesByKind)).toEqual(["UserBundle"]);
        expect(state.exportBytes / USERS, `${state.exportBytes} bytes exported`).toBeLessThan(7500);
        expect(state.checkpointBytes / USERS, `${state.checkpointBytes} bytes in the backend`).toBeLessThan(4200);
    });

    it("preview --refresh shows each change made with node-appwrite on the right user and field, and sends no write", async () => {
        await project.users.updateName({ userId: "seed-00003", name: "Renamed elsewhere" });
        await project.users.updatePrefs({ userId: "seed-00007", prefs: { locale: "en", theme: "neon" } });
        await project.users.updateTarget({ userId: "seed-00011", targetId: "seed-00011-alerts", identifier: "moved@example.com" });
        await project.users.updateStatus({ userId: "seed-00013", status: false });
        project.emu.resetRequestCounts();
        const steps = await previewRefresh();
        expect(project.emu.writeRequests()).toBe(0);
        expect(steps.map((s) => `${s.op} ${s.name} [${s.diffs.join(",")}]`)).toEqual([
            "update bench-seed-00003 [name]",
            "update bench-seed-00007 [prefs]",
            "update bench-seed-00011 [targets]",
            "update bench-seed-00013 [blocked]",
        ]);
        const [renamed, prefs, target, blocked] = steps;
        expect([renamed?.oldInputs["name"], renamed?.newInputs["name"]]).toEqual(["Renamed elsewhere", "Seeded user 3"]);
        expect([
            (prefs?.oldInputs["prefs"] as Record<string, unknown>)["theme"],
            (prefs?.newInputs["prefs"] as Record<string, unknown>)["theme"],
        ]).toEqual(["neon", "light"]);
        expect((target?.oldInputs["targets"] as Record<string, unknown>[])[0]?.["identifier"]).toBe("moved@example.com");
        expect([blocked?.oldInputs["blocked"], blocked?.newInputs["blocked"]]).toEqual([true, false]);
    });

    it("appwrite-users drift reports the same drift per user and field, with the nested field's path", async () => {
        const run = await driftCommand(project);
        expect(run.code).toBe(2);
        const report = JSON.parse(run.stdout) as DriftReport;
        expect(report.checked).toBe(USERS);
        const found = report.drift
            .map(
                (d) =>
                    `${d.kind} ${d.userId} ${d.fields.map((f) => `${f.field}: ${JSON.stringify(f.pulumi)} -> ${JSON.stringify(f.live)}`).join("; ")}`,
            )
            .sort();
        expect(found).toEqual([
            'UserBundle seed-00003 name: "Seeded user 3" -> "Renamed elsewhere"',
            'UserBundle seed-00007 prefs.theme: "light" -> "neon"',
            'UserBundle seed-00011 targets[seed-00011-alerts].identifier: "seed-00011.alerts@example.com" -> "moved@example.com"',
            "UserBundle seed-00013 blocked: false -> true",
        ]);
    });

    it("up --refresh repairs exactly those users, and the next preview --refresh shows nothing", async () => {
        project.emu.resetRequestCounts();
        const { result } = await project.up({ refresh: true });
        expect(result.summary.resourceChanges).toEqual({ same: SUMMARY_RESOURCES - 4, update: 4 });
        const writes = Object.entries(project.emu.requestCounts()).filter(([route]) => !route.startsWith("GET "));
        expect(Object.fromEntries(writes)).toEqual({
            "PATCH /v1/users/:userId/name": 1,
            "PATCH /v1/users/:userId/prefs": 1,
            "PATCH /v1/users/:userId/targets/:targetId": 1,
            "PATCH /v1/users/:userId/status": 1,
        });
        expect(await previewRefresh()).toEqual([]);
        expect((await project.users.get({ userId: "seed-00013" })).status).toBe(true);
    });

    it("destroy deletes every user, and Appwrite their targets, with one request per user", async () => {
        project.emu.resetRequestCounts();
        await project.destroy();
        expect(project.emu.requestCounts()).toEqual({ "DELETE /v1/users/:userId": USERS });
        expect(project.emu.store.users.size).toBe(0);
        expect(project.emu.store.targets.size).toBe(0);
    });
});

describe("switching a seeded stack to compact", { timeout: 600_000 }, () => {
    const SWITCHED = 3;
    let five: CliProject;

    beforeAll(async () => {
        five = await seedProject(benchSeed(SWITCHED), 0, { layout: "resources" });
        await five.up();
    }, 900_000);

    afterAll(async () => {
        await five?.dispose();
    });

    /** Runs an `up` that must be refused, and checks that no user, target or resource was deleted. */
    async function refusedUp(): Promise<string> {
        const registrations = await Promise.all(
            benchSeed(SWITCHED).map(async (u) => (await five.users.get({ userId: u.id })).registration),
        );
        five.emu.resetRequestCounts();
        const failure = await five.up().then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        expect(five.emu.writeRequests()).toBe(0);
        const after = await Promise.all(benchSeed(SWITCHED).map(async (u) => (await five.users.get({ userId: u.id })).registration));
        expect(after).toEqual(registrations);
        expect(five.exportDeployment().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/appwrite:User"))).toHaveLength(
            SWITCHED * 5,
        );
        return String(failure);
    }

    it("by setting compact alone is refused before anything is written, naming the way to switch", async () => {
        await five.stack.setConfig("layout", { value: "bundles" });
        const failure = await refusedUp();
        // Diffs run in parallel: whichever seeded user's diff fails first is the one named.
        expect(failure).toMatch(/UserBundle diff failed for user "seed-\d{5}": the stack holds this user as a User resource/);
        expect(failure).toContain('docs/guides/seed-files.md, "Switching a seed to compact"');
    });

    it("with adopt as well is refused just the same", async () => {
        await five.stack.setConfig("adopt", { value: "true" });
        expect(await refusedUp()).toContain("Nothing was changed");
    });

    it("by the procedure in the seed files guide (the five resources taken out of the state, then up with compact and adopt) keeps every user", async () => {
        const registrations = await Promise.all(
            benchSeed(SWITCHED).map(async (u) => (await five.users.get({ userId: u.id })).registration),
        );
        const switchBlock = readmeBlock("compact-switch");
        expect(switchBlock.lang).toBe("sh");
        const run = await runShell(switchBlock.code, five);
        expect(run.code, run.output).toBe(0);
        const left = five.exportDeployment().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/appwrite:"));
        expect(left).toEqual([]);
        expect(five.emu.store.users.size).toBe(SWITCHED);
        five.emu.resetRequestCounts();
        const { result } = await five.up();
        expect(result.summary.resourceChanges).toMatchObject({ create: SWITCHED });
        expect(Object.keys(five.emu.requestCounts()).filter((route) => route.startsWith("DELETE") || route === "POST /v1/users")).toEqual(
            [],
        );
        const after = await Promise.all(benchSeed(SWITCHED).map(async (u) => await five.users.get({ userId: u.id })));
        expect(after.map((u) => u.registration)).toEqual(registrations);
        expect(after.map((u) => u.targets.filter((t) => t.$id.endsWith("-alerts")).length)).toEqual([1, 1, 1]);

        five.emu.resetRequestCounts();
        const again = await five.up();
        expect(again.result.summary.resourceChanges).toEqual({ same: SWITCHED + 2 });
        expect(five.emu.totalRequests()).toBe(0);
    });
});
