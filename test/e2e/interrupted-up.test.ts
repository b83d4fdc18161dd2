import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { cliUpProcess, disposedAfterEach, killAll, projectProcesses, runCli, until } from "./processes";
import { CliProject, EXAMPLES, type StateResource } from "./support";

/**
 * examples/staging-seed with the first 15 users of its file, five resources each, under the real `pulumi` CLI,
 * its `up` killed while creates are in flight (every request to the emulator takes 200 ms), then recovered the
 * way the CLI says. The figures each test logs are the ones docs/guides/troubleshooting.md quotes. (Ctrl-C, which
 * is safe, is set-seed-interrupted.test.ts's, on SeededUsers' default sets.)
 */

const SECRET = "staging-seed-secret-for-e2e-0123456789";
const SEEDED = 15;
/** Each seeded user's User, UserLabels, UserPrefs and UserStatus, and the 2 push targets of these 15 users. */
const RESOURCES = SEEDED * 4 + 2;
/** The targets an uninterrupted up leaves: Appwrite's own for each of the 15 emails and 3 phones, and the 2 push targets. */
const TARGETS_IN_APPWRITE = 20;
const USER_TYPE = "pulumi-nodejs:dynamic/appwrite:User";
const CREATE_ROUTE = "POST /v1/users";
const STACK = "staging";

const disposeAfterTest = disposedAfterEach();

async function seedProject(): Promise<CliProject> {
    const project = await CliProject.create({
        source: path.join(EXAMPLES, "staging-seed"),
        stackName: STACK,
        config: { seedPasswordSecret: { value: SECRET, secret: true }, layout: { value: "resources" } },
    });
    disposeAfterTest(project);
    fs.writeFileSync(path.join(project.workDir, "users.yaml"), firstSeedUsers(SEEDED));
    return project;
}

/** The example's users.yaml cut to its first `count` users: enough for creates in flight when the CLI is stopped. */
function firstSeedUsers(count: number): string {
    const [header, ...entries] = fs.readFileSync(path.join(EXAMPLES, "staging-seed", "users.yaml"), "utf8").split(/^(?= {2}- id: )/m);
    return [header, ...entries.slice(0, count)].join("");
}

interface Deployment {
    resources?: StateResource[];
    pending_operations?: { type: string; resource: StateResource }[];
}

/**
 * The `file://` backend (gocloud's fileblob) writes a checkpoint to a temporary file and renames it, but
 * writes the metadata beside it (`<stack>.json.attrs`: content type and MD5) in place. A SIGKILL in that
 * moment leaves the sidecar empty or cut short, and every command then says `failed to load checkpoint:
 * EOF` although the checkpoint itself is whole. The recovery in docs/guides/troubleshooting.md is to delete the sidecar; this does
 * that for every sidecar of the backend that is not JSON, and names what it removed.
 */
function removeTruncatedSidecars(project: CliProject): string[] {
    const root = path.join(project.backendDir, ".pulumi");
    const sidecars = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".attrs"));
    const truncated = sidecars.filter((f) => !parsesAsJson(fs.readFileSync(path.join(root, f), "utf8")));
    for (const f of truncated) fs.rmSync(path.join(root, f));
    if (truncated.length > 0) console.log(`the kill cut short ${truncated.join(", ")}; removed, as docs/guides/troubleshooting.md says`);
    return truncated;
}

function parsesAsJson(text: string): boolean {
    try {
        JSON.parse(text);
        return true;
    } catch {
        return false;
    }
}

const deployment = (project: CliProject) => (JSON.parse(project.exportText()) as { deployment: Deployment }).deployment;
const usersInState = (d: Deployment) =>
    (d.resources ?? [])
        .filter((r) => r.type === USER_TYPE)
        .map((r) => String(r.id))
        .sort();
const pendingCreates = (d: Deployment) => (d.pending_operations ?? []).filter((op) => op.type === "creating").map((op) => op.resource);
const usersInAppwrite = (project: CliProject) => [...project.emu.store.users.values()].map((u) => u.$id).sort();
const creates = (project: CliProject) => project.emu.requestCounts()[CREATE_ROUTE] ?? 0;
const declaredUserIds = Array.from({ length: SEEDED }, (_, i) => `staging-user-${String(i + 1).padStart(2, "0")}`);

/** Starts `pulumi up` with 200 ms per request and resolves once Appwrite has seen `inFlight` user creates. */
async function upUntilCreatesInFlight(project: CliProject, inFlight = 3): Promise<void> {
    project.emu.setLatency(200);
    // The tests kill this up's processes; an up that finished instead fails the run.
    void project.stack.up().then(
        () => {
            throw new Error("the interrupted up finished");
        },
        () => undefined,
    );
    await until(() => creates(project) >= inFlight, "user creates in flight");
}

/** What a finished recovery leaves: every declared user once in Appwrite and in the state, nothing else. */
async function expectEveryUserOnce(project: CliProject): Promise<void> {
    const state = deployment(project);
    expect(pendingCreates(state)).toEqual([]);
    expect(usersInState(state)).toEqual(declaredUserIds);
    expect(usersInAppwrite(project)).toEqual(declaredUserIds);
    expect((state.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/appwrite:"))).toHaveLength(RESOURCES);
    const targets = [...project.emu.store.targets.values()];
    expect(targets.every((t) => declaredUserIds.includes(t.userId))).toBe(true);
    expect(new Set(targets.map((t) => `${t.userId} ${t.providerType} ${t.identifier.toLowerCase()}`)).size).toBe(targets.length);
    expect(targets).toHaveLength(TARGETS_IN_APPWRITE);
    project.emu.resetRequestCounts();
    const again = await project.up();
    expect(again.result.summary.resourceChanges).toEqual({ same: RESOURCES + 2 });
    expect(projectProcesses(project)).toEqual([]);
}

const lines = (text: string, pattern: RegExp) =>
    text
        .split("\n")
        .filter((line) => pattern.test(line))
        .map((line) => line.trim());

describe("an interrupted pulumi up of the staging seed", { timeout: 600_000 }, () => {
    it("SIGKILL of the CLI leaves its provider host running, pending creates, a lock; cancel, refresh --clear-pending-creates and up make every user once", async () => {
        const project = await seedProject();
        await upUntilCreatesInFlight(project);
        const hosts = projectProcesses(project).filter((p) => p.pid !== cliUpProcess(project)?.pid);
        killAll([cliUpProcess(project)!]);
        await until(() => cliUpProcess(project) === undefined, "the CLI to die");
        await requestsSettled(project);
        // The dynamic-provider host outlives the CLI: it finished the creates in flight and would stay forever.
        expect(hosts.map((p) => p.command)).toEqual([
            expect.stringContaining("pulumi-resource-pulumi-nodejs"),
            expect.stringContaining("dynamic-provider"),
        ]);
        expect(
            projectProcesses(project)
                .map((p) => p.pid)
                .sort(),
        ).toEqual(hosts.map((p) => p.pid).sort());
        killAll(hosts);
        await until(() => projectProcesses(project).length === 0, "the orphaned host to be killed");

        const { made, pending } = afterKill(project, "SIGKILL of the CLI");
        expect(made.length).toBeGreaterThan(0);

        const locked = await runCli(project, ["refresh", "--yes", "--stack", STACK]);
        expect(locked.status).toBe(1);
        expect(locked.output).toContain(
            "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
        );
        const cancel = await runCli(project, ["cancel", "--yes", "--stack", STACK]);
        expect({ status: cancel.status, output: cancel.output.trim() }).toEqual({
            status: 0,
            output: `The currently running update for '${STACK}' has been canceled!`,
        });

        // Without a terminal, refresh keeps pending creates: only its interactive prompt or a flag settles them.
        const plain = await runCli(project, ["refresh", "--yes", "--non-interactive", "--stack", STACK]);
        expect(plain.status).toBe(0);
        expect(pendingCreates(deployment(project))).toHaveLength(pending.length);

        const clear = await runCli(project, ["refresh", "--clear-pending-creates", "--yes", "--stack", STACK]);
        expect(clear.status).toBe(0);
        expect(pendingCreates(deployment(project))).toEqual([]);

        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ create: RESOURCES, same: 2 });
        // The users the killed run made answer 409 and are taken over (their password set again), never made twice.
        expect(creates(project)).toBe(SEEDED);
        expect(project.emu.requestCounts()["PATCH /v1/users/:userId/password"]).toBe(made.length);
        await expectEveryUserOnce(project);
    });

    it("after SIGKILL of the CLI and its plugins, an up before the refresh warns of the pending creates, still makes every user once, and refresh --clear-pending-creates settles the state", async () => {
        const project = await seedProject();
        await upUntilCreatesInFlight(project);
        // As a kill of the whole process group (a CI job cancelled) does.
        killAll(projectProcesses(project));
        await until(() => projectProcesses(project).length === 0, "the CLI and the plugins to die");
        await requestsSettled(project);
        const { made, pending } = afterKill(project, "SIGKILL of the CLI and its plugins");
        expect((await runCli(project, ["cancel", "--yes", "--stack", STACK])).status).toBe(0);

        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ create: RESOURCES, same: 2 });
        if (pending.length > 0) {
            const warning = result.stdout.slice(result.stdout.indexOf("Diagnostics:"));
            expect(warning).toContain(
                `warning: Attempting to deploy or update resources with ${pending.length} pending operations from previous deployment.`,
            );
            for (const op of pending) expect(warning).toContain(`* ${op.urn}, interrupted while creating`);
            expect(warning).toContain(
                "Once you have confirmed the status of the interrupted operations, you can repair your stack using `pulumi refresh`",
            );
            expect(warning).toContain("Note that `pulumi refresh` will need to be run interactively to clear pending CREATE operations.");
            console.log(lines(warning, /warning|interrupted|pulumi refresh/).join("\n"));
        }
        expect(creates(project)).toBe(SEEDED);
        expect(project.emu.requestCounts()["PATCH /v1/users/:userId/password"] ?? 0).toBe(made.length);
        // The up does not drop the pending creates; the refresh does.
        expect(pendingCreates(deployment(project))).toHaveLength(pending.length);
        expect((await runCli(project, ["refresh", "--clear-pending-creates", "--yes", "--stack", STACK])).status).toBe(0);
        await expectEveryUserOnce(project);
    });

    it("a checkpoint sidecar the kill cut short fails every command with failed to load checkpoint, and deleting the sidecar brings back the whole state", async () => {
        const project = await seedProject();
        const before = project.exportText();
        const stackDir = path.join(project.backendDir, ".pulumi", "stacks");
        const [sidecar] = fs.readdirSync(stackDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(`${STACK}.json.attrs`));
        expect(sidecar).toBeDefined();
        const sidecarPath = path.join(stackDir, sidecar as string);
        const whole = fs.readFileSync(sidecarPath, "utf8");
        for (const [cut, message] of [
            ["", "error: failed to load checkpoint: EOF"],
            [
                whole.slice(0, whole.length / 2),
                `error: failed to load checkpoint: blob (key ".pulumi/stacks/${sidecar?.slice(0, -".attrs".length)}") (code=Unknown): unexpected EOF`,
            ],
        ] as const) {
            fs.writeFileSync(sidecarPath, cut);
            const exported = project.cli(["stack", "export", "--stack", STACK]);
            expect({ status: exported.status, stderr: exported.stderr.trim() }).toEqual({ status: 1, stderr: message });
            expect(removeTruncatedSidecars(project)).toEqual([path.join("stacks", sidecar as string)]);
            expect(project.exportText()).toBe(before);
        }
    });

    it("after SIGKILL, refresh --import-pending-creates drops the imported creates instead of recording them, and the up takes those users over, each user once", async () => {
        const project = await seedProject();
        await upUntilCreatesInFlight(project);
        killAll(projectProcesses(project));
        await until(() => projectProcesses(project).length === 0, "the CLI and the plugins to die");
        await requestsSettled(project);
        const { made, pending } = afterKill(project, "SIGKILL before import");
        expect((await runCli(project, ["cancel", "--yes", "--stack", STACK])).status).toBe(0);

        // The IDs Appwrite has: a User's Pulumi ID is its user ID.
        const imports = pending.filter((r) => made.includes(String(r.inputs?.userId)));
        const args = imports.flatMap((r) => ["--import-pending-creates", r.urn, "--import-pending-creates", String(r.inputs?.userId)]);
        const imported = await runCli(project, ["refresh", ...args, "--yes", "--stack", STACK]);
        expect(imported.status).toBe(0);
        // Pulumi 3.274.1 and 3.276.0 turn them into pending imports, which nothing then performs: the refresh drops
        // them, so the state knows none of these users, while the creates not imported stay pending.
        const state = deployment(project);
        expect(usersInState(state)).toEqual([]);
        expect(pendingCreates(state)).toHaveLength(pending.length - imports.length);
        expect((await runCli(project, ["refresh", "--clear-pending-creates", "--yes", "--stack", STACK])).status).toBe(0);

        project.emu.resetRequestCounts();
        await project.up();
        expect(creates(project)).toBe(SEEDED);
        expect(project.emu.requestCounts()["PATCH /v1/users/:userId/password"] ?? 0).toBe(made.length);
        await expectEveryUserOnce(project);
    });
});

/** Waits until the emulator has answered every request it was sent: nothing new for well over its latency. */
async function requestsSettled(project: CliProject): Promise<void> {
    let last = "";
    let since = Date.now();
    await until(() => {
        const now = `${project.emu.totalRequests()} ${project.emu.store.users.size}`;
        if (now !== last) [last, since] = [now, Date.now()];
        return Date.now() - since > 1_000;
    }, "the requests in flight to end");
}

/** The state a SIGKILL left: no user recorded, a pending create for each user Appwrite has (and maybe more). */
function afterKill(project: CliProject, what: string) {
    removeTruncatedSidecars(project);
    const killed = deployment(project);
    const made = usersInAppwrite(project);
    const pending = pendingCreates(killed);
    // A create that finished before the kill may already be recorded (a busy machine leaves it time to);
    // every user made is either recorded or a pending create, and the creates in flight are pending.
    const recorded = usersInState(killed);
    expect(pending.length).toBeGreaterThan(0);
    expect(recorded.every((id) => made.includes(id))).toBe(true);
    expect(made.every((id) => recorded.includes(id) || pending.some((r) => r.inputs?.userId === id))).toBe(true);
    console.log(
        `${what}: ${creates(project)} user creates sent, ${made.length} users in Appwrite, ${recorded.length} in the state, ${pending.length} pending creates`,
    );
    project.emu.setLatency(0);
    return { made, pending };
}
