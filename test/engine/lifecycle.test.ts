import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client, Users } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Emulator, startEmulator } from "../emulator";
import { OperationResult, Stack, UntypedDeployment, isSecret } from "./index";
import { ALL_KINDS, entrySubpath, type ResourceKind } from "../../provider/kinds";
import { installPackage } from "../support/installed-package";
import { providerTextOf } from "../support/provider-text";
import { QUICKSTART_DRIFT, driftQuickstart } from "../support/lifecycle-fixtures";
import { REPO_ROOT } from "./project";

/**
 * The quickstart example, run through the engine harness against the emulator, from an empty stack to destroy.
 * The tests in this block build on each other in order, as one stack's history.
 */

/**
 * The quickstart as `npm run up` runs it: the example's program with the dev stack's config, which the repository
 * keeps in scripts/ rather than in the example (a copied example is a user's project). Its encrypted values:
 */
const quickstartDir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-quickstart-"));
for (const f of ["Pulumi.yaml", "index.ts", "tsconfig.json"]) fs.copyFileSync(path.join(REPO_ROOT, "examples", "quickstart", f), path.join(quickstartDir, f));
fs.copyFileSync(path.join(REPO_ROOT, "scripts", "quickstart-dev-stack.yaml"), path.join(quickstartDir, "Pulumi.dev.yaml"));
const PASSPHRASE = "appwrite-users-dev";
const API_KEY = "quickstart-dev-key";
const CI_BOT_PASSWORD = "Qs-ci-bot-7f3K9vR2mX8pL4wN";
const KINDS = ["User", "UserLabels", "UserPrefs", "UserTarget", "UserStatus"];

let emu: Emulator;
let dir: string;
let stack: Stack;
let users: Users;
const hostOutputs: string[] = [];

function quickstart(extra: { stateFile?: string; projectDir?: string } = {}): Stack {
    return new Stack({
        projectDir: extra.projectDir ?? quickstartDir,
        passphrase: PASSPHRASE,
        config: { "appwrite:endpoint": emu.endpoint },
        stateFile: extra.stateFile ?? path.join(dir, "state.json"),
    });
}

function dynamicSteps(result: OperationResult, op?: string): string[] {
    return result.steps
        .filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/appwrite:") && (op === undefined || s.op === op))
        .map((s) => `${s.type.slice(s.type.lastIndexOf(":") + 1)} ${s.name}`)
        .sort();
}

function changes(result: OperationResult): string[] {
    return result.steps
        .filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/appwrite:") && s.op !== "same" && s.op !== "refresh")
        .map((s) => `${s.op} ${s.type.slice(s.type.lastIndexOf(":") + 1)} ${s.name}${s.diffs.length ? ` [${s.diffs.join(",")}]` : ""}`)
        .sort();
}

function record(result: OperationResult): OperationResult {
    hostOutputs.push(result.hostOutput, result.programOutput);
    return result;
}

beforeAll(async () => {
    emu = await startEmulator({ projectId: "quickstart", apiKey: API_KEY });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-lifecycle-"));
    stack = quickstart();
    users = new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
});

afterAll(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(quickstartDir, { recursive: true, force: true });
});

// Each operation starts node processes; on a busy machine a sequence of them outlasts the default timeout.
describe("the quickstart through the engine harness", { timeout: 180_000 }, () => {
    it("1. preview on an empty stack shows five creates per declared user and sends no write", async () => {
        const preview = record(await stack.preview());
        const perUser = (id: string) => dynamicSteps(preview, "create").filter((s) => s.endsWith(` ${id}`) || s.startsWith(`UserTarget ${id}-`));
        for (const id of ["ci-bot", "test-alice", "test-bob"]) expect(perUser(id)).toHaveLength(5);
        expect(dynamicSteps(preview)).toHaveLength(15);
        expect(preview.changeSummary).toEqual({ create: 16 });
        expect(emu.writeRequests()).toBe(0);
        expect(stack.state).toHaveLength(0);
    });

    it("2. up creates them, and a second up reports all same and sends no request at all", async () => {
        const up = record(await stack.up());
        expect(up.changeSummary).toEqual({ create: 16 });
        expect(stack.outputs()).toEqual({ serviceAccountId: "ci-bot", testUserIds: ["test-alice", "test-bob"] });
        const list = await users.list();
        expect(list.users.map((u) => u.$id).sort()).toEqual(["ci-bot", "test-alice", "test-bob"]);
        expect(list.users.find((u) => u.$id === "ci-bot")?.labels).toEqual(["service"]);

        emu.resetRequestCounts();
        const again = record(await stack.up());
        expect(again.changeSummary).toEqual({ same: 16 });
        expect(emu.totalRequests()).toBe(0);
    });

    it("keeps the API key, the password and Appwrite's hash out of the state and the host output", () => {
        const exported = JSON.stringify(stack.exportState());
        const hash = emu.store.users.get("ci-bot")?.password;
        expect(hash).toBeTruthy();
        for (const secret of [API_KEY, CI_BOT_PASSWORD, hash ?? ""]) {
            expect(exported).not.toContain(secret);
            for (const output of hostOutputs) expect(output).not.toContain(secret);
        }
        expect(exported).not.toMatch(/"hash(Options)?"/);

        const ciBot = stack.resource("ci-bot", "pulumi-nodejs:dynamic/appwrite:User");
        expect(isSecret(ciBot?.outputs["password"])).toBe(true);
        expect(isSecret(ciBot?.inputs["password"])).toBe(true);

        const doc = JSON.parse(exported) as UntypedDeployment;
        const resources = (doc.deployment.resources ?? []) as { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[];
        const apiKey = resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs")?.inputs?.["appwrite:apiKey"];
        expect(apiKey).toMatchObject({ ciphertext: expect.stringMatching(/^v1:/) });
        for (const kind of KINDS) {
            const texts = resources
                .filter((r) => r.type === `pulumi-nodejs:dynamic/appwrite:${kind}`)
                .flatMap((r) => [r.inputs?.["__provider"], r.outputs?.["__provider"]]);
            expect(texts.length).toBeGreaterThanOrEqual(2);
            expect(new Set(texts).size).toBe(1);
            const text = texts[0];
            if (typeof text !== "string") throw new Error(`${kind}'s __provider is not plain text`);
            for (const secret of [API_KEY, CI_BOT_PASSWORD, emu.endpoint, "127.0.0.1", "quickstart"]) expect(text).not.toContain(secret);
        }
    });

    // Loaded from node_modules, each kind's provider object is its entry module's exports, which the closure
    // serializer writes as a require of the package subpath: the whole text, pinned byte for byte.
    it("stores the same __provider text of at most 512 bytes for every resource of a kind: a require of the kind's subpath", () => {
        for (const kind of KINDS) {
            const texts = new Set(
                stack.state.filter((r) => r.type === `pulumi-nodejs:dynamic/appwrite:${kind}`).flatMap((r) => [r.inputs["__provider"], r.outputs["__provider"]]),
            );
            expect(texts.size, `${kind}'s __provider texts`).toBe(1);
            const [text] = texts;
            expect(text).toBe(providerTextOf(entrySubpath(kind as ResourceKind)));
            expect(Buffer.byteLength(String(text)), `${kind}'s __provider`).toBeLessThanOrEqual(512);
        }
        expect(Buffer.byteLength(providerTextOf(entrySubpath("User")))).toBe(275);
        // The quickstart declares no UserBundle; its text is the same require of its own subpath (pinned as
        // stored by test/e2e/compact-seed.test.ts), and every kind's stays within 512 bytes.
        expect(Buffer.byteLength(providerTextOf(entrySubpath("UserBundle")))).toBe(282);
        for (const kind of ALL_KINDS) expect(Buffer.byteLength(providerTextOf(entrySubpath(kind))), kind).toBeLessThanOrEqual(512);
    });

    it("5. preview --refresh shows changes made directly in Appwrite on the right resource and field, and up repairs them", async () => {
        await driftQuickstart(users);
        emu.resetRequestCounts();

        const preview = record(await stack.preview({ refresh: true }));
        expect(emu.writeRequests()).toBe(0);
        // Soft, so that the repair below is checked even when the drift display is off.
        expect.soft(changes(preview)).toEqual(QUICKSTART_DRIFT);

        const up = record(await stack.up({ refresh: true }));
        expect(up.errors).toEqual([]);
        const after = record(await stack.preview({ refresh: true }));
        expect(changes(after)).toEqual([]);
        const ciBot = await users.get({ userId: "ci-bot" });
        expect(ciBot.name).toBe("CI bot");
        expect(ciBot.labels).toEqual(["service"]);
        const alice = await users.get({ userId: "test-alice" });
        expect(alice.email).toBe("alice@example.com");
        expect(alice.status).toBe(true);
        expect(alice.prefs).toEqual({ locale: "en", theme: "dark" });
        expect((await users.get({ userId: "test-bob" })).labels).toEqual(["test", "beta"]);
    });

    it("6. destroy removes everything the program made and leaves Appwrite as before", async () => {
        const destroy = record(await stack.destroy());
        expect(destroy.changeSummary).toEqual({ delete: 16 });
        expect((await users.list()).total).toBe(0);
        expect(stack.state).toHaveLength(0);
    });

    it("7. a state written by an older __provider text still refreshes, updates nothing and destroys with the current code", async () => {
        const fixtures = path.join(REPO_ROOT, "test", "fixtures", "state");
        const appwriteData = path.join(dir, "appwrite.json");
        fs.copyFileSync(path.join(fixtures, "quickstart-es2015-shim.appwrite.json"), appwriteData);
        const oldEmu = await startEmulator({ projectId: "quickstart", apiKey: API_KEY, stateFile: appwriteData });
        try {
            const old = new Stack({
                projectDir: quickstartDir,
                passphrase: PASSPHRASE,
                config: { "appwrite:endpoint": oldEmu.endpoint },
                stateFile: path.join(dir, "old.json"),
            });
            old.importState(JSON.parse(fs.readFileSync(path.join(fixtures, "quickstart-es2015-shim.json"), "utf8")) as UntypedDeployment);
            // Refresh and destroy configure the provider with the config stored in the state: point it at this emulator.
            const provider = old.state.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
            if (!provider) throw new Error("the fixture has no provider");
            provider.inputs["appwrite:endpoint"] = oldEmu.endpoint;
            expect(String(old.resource("ci-bot", "pulumi-nodejs:dynamic/appwrite:User")?.outputs["__provider"])).toContain("__awaiter");

            const refresh = record(await old.refresh());
            expect(refresh.changeSummary).toEqual({ same: 16 });
            expect(refresh.rpcs.filter((c) => c.method === "Read")).toHaveLength(15);
            expect(oldEmu.writeRequests()).toBe(0);

            // The program now registers the new text; diff ignores __provider, so nothing is updated, and the
            // outputs (which read and delete run) keep the old text.
            const up = record(await old.up());
            expect(up.changeSummary).toEqual({ same: 16 });
            expect(oldEmu.writeRequests()).toBe(0);
            const ciBot = old.resource("ci-bot", "pulumi-nodejs:dynamic/appwrite:User");
            expect(ciBot?.inputs["__provider"]).toBe(providerTextOf(entrySubpath("User")));
            expect(String(ciBot?.outputs["__provider"])).toContain("__awaiter");

            const destroy = record(await old.destroy());
            expect(destroy.rpcs.filter((c) => c.method === "Delete")).toHaveLength(15);
            expect(oldEmu.store.users.size).toBe(0);
        } finally {
            await oldEmu.stop();
        }
    });

    it("7. upgrading the package version changes nothing in a preview, and keeps the same __provider text", async () => {
        await stack.up();
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "engine-upgrade-"));
        try {
            // A consumer project with the next version of the package installed: same code, another version.
            for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "index.ts"]) fs.copyFileSync(path.join(quickstartDir, f), path.join(project, f));
            const manifestFile = path.join(installPackage(project), "package.json");
            const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { version: string };
            fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: "99.0.0" }));

            const upgraded = new Stack({
                projectDir: project,
                passphrase: PASSPHRASE,
                config: { "appwrite:endpoint": emu.endpoint },
                packageInstall: "none",
            });
            upgraded.importState(stack.exportState());
            emu.resetRequestCounts();
            const preview = record(await upgraded.preview());
            expect(preview.changeSummary).toEqual({ same: 16 });
            expect(preview.steps.flatMap((s) => s.diffs)).toEqual([]);
            expect(emu.writeRequests()).toBe(0);

            // A same step stores the inputs the program just registered: the text the new version serialized.
            record(await upgraded.up());
            const textsOf = (s: Stack) => s.state.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).map((r) => `${r.urn} ${String(r.inputs["__provider"])}`);
            expect(textsOf(upgraded)).toEqual(textsOf(stack));
            expect(emu.totalRequests()).toBe(0);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
            await stack.destroy();
        }
    });

    it("8. a checkout linked into node_modules, which Node resolves outside it, stores the larger forwarder text, which the installed package still runs", async () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "engine-linked-"));
        try {
            for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "index.ts"]) fs.copyFileSync(path.join(quickstartDir, f), path.join(project, f));
            fs.mkdirSync(path.join(project, "node_modules"));
            fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(project, "node_modules", "@pulumi"), "dir");
            const linked = new Stack({
                projectDir: project,
                passphrase: PASSPHRASE,
                config: { "appwrite:endpoint": emu.endpoint },
                stateFile: path.join(dir, "linked.json"),
                packageInstall: "linked",
            });
            expect(record(await linked.up()).changeSummary).toEqual({ create: 16 });
            const text = String(linked.resource("ci-bot", "pulumi-nodejs:dynamic/appwrite:User")?.outputs["__provider"]);
            expect(text).toContain('require("pulumi-appwrite-users/provider").providers[this.kind]');
            expect(Buffer.byteLength(text)).toBeGreaterThan(2048);
            expect(Buffer.byteLength(text)).toBeLessThan(2560);

            emu.resetRequestCounts();
            expect(record(await linked.refresh()).changeSummary).toEqual({ same: 16 });
            expect(emu.writeRequests()).toBe(0);

            // That forwarder is also the text every resource of 0.1.0 holds: installed, the package refreshes
            // such a state, updates nothing (storing the short text as inputs) and destroys it.
            const installed = quickstart({ stateFile: path.join(dir, "from-linked.json") });
            installed.importState(linked.exportState());
            expect(record(await installed.refresh()).changeSummary).toEqual({ same: 16 });
            expect(record(await installed.up()).changeSummary).toEqual({ same: 16 });
            expect(emu.writeRequests()).toBe(0);
            const ciBot = installed.resource("ci-bot", "pulumi-nodejs:dynamic/appwrite:User");
            expect(ciBot?.inputs["__provider"]).toBe(providerTextOf(entrySubpath("User")));
            expect(ciBot?.outputs["__provider"]).toBe(text);
            expect(record(await installed.destroy()).changeSummary).toEqual({ delete: 16 });
            expect((await users.list()).total).toBe(0);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});
