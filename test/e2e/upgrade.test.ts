import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entrySubpath } from "../../provider/kinds";
import { providerTextOf } from "../support/provider-text";
import { CliProject, EXAMPLES, REPO_ROOT, changes } from "./support";

/**
 * Upgrading under the real CLI: a state whose resources hold 0.1.0's forwarder `__provider` (what a linked
 * checkout still stores), brought back with `pulumi stack import` into a project that has the packed package
 * installed, previews with no changes, refreshes, updates nothing and destroys with the code installed now;
 * another version of the same code keeps the same `__provider` text; and a state an older build compiled
 * for ES2015 still refreshes and destroys.
 */

let project: CliProject;
let oldState: string;

beforeAll(async () => {
    project = await CliProject.create({
        source: path.join(EXAMPLES, "quickstart"),
        config: { ciBotPassword: { value: "e2e-upgrade-Password-31k", secret: true } },
        linkCheckout: true,
    });
    await project.up();
    oldState = path.join(project.dir, "old-state.json");
    fs.writeFileSync(oldState, project.exportText());
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

function providerTexts(deployment: ReturnType<CliProject["exportDeployment"]>): string[] {
    return [
        ...new Set(
            deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).map((r) => String(r.inputs?.["__provider"])),
        ),
    ];
}

describe("a state written with the forwarder __provider, after the package changed", { timeout: 300_000 }, () => {
    it("holds the forwarder text, about 2.4 KB per kind", () => {
        const texts = providerTexts(JSON.parse(fs.readFileSync(oldState, "utf8")).deployment);
        expect(texts).toHaveLength(5);
        for (const text of texts) {
            expect(text).toContain('require("pulumi-appwrite-users/provider").providers[this.kind]');
            expect(Buffer.byteLength(text)).toBeGreaterThan(2048);
            expect(Buffer.byteLength(text)).toBeLessThan(2560);
        }
    });

    it("a linked checkout refreshes with it, finding everything as it is and writing nothing", async () => {
        project.emu.resetRequestCounts();
        const { result, log } = await project.refresh();
        expect((result as { summary: { resourceChanges?: Record<string, number> } }).summary.resourceChanges).toEqual({ same: 16 });
        expect(changes(log)).toEqual([]);
        expect(project.emu.writeRequests()).toBe(0);
    });

    it("is imported with pulumi stack import where the packed package is installed, and previews with no changes and no request", async () => {
        await project.installPackedPackage();
        const imported = project.cli(["stack", "import", "--file", oldState, "--stack", project.stack.name]);
        expect(imported.status, imported.stderr).toBe(0);
        project.emu.resetRequestCounts();
        const { result, log } = await project.preview();
        expect(changes(log)).toEqual([]);
        expect(result.changeSummary).toEqual({ same: 16 });
        expect(project.emu.totalRequests()).toBe(0);
    });

    it("refreshes with the installed code, finding everything as it is", async () => {
        project.emu.resetRequestCounts();
        const { result, log } = await project.refresh();
        expect((result as { summary: { resourceChanges?: Record<string, number> } }).summary.resourceChanges).toEqual({ same: 16 });
        expect(changes(log)).toEqual([]);
        expect(log.resources()).toHaveLength(15);
        expect(project.emu.writeRequests()).toBe(0);
    });

    // The program registers the installed package's text; diff ignores __provider, so nothing is updated, and
    // the outputs (which read and delete run) keep the forwarder.
    it("an up updates nothing and writes nothing, storing the installed text as inputs while the outputs keep the forwarder", async () => {
        project.emu.resetRequestCounts();
        const { result, log } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ same: 16 });
        expect(changes(log)).toEqual([]);
        expect(project.emu.writeRequests()).toBe(0);
        const ciBot = project
            .exportDeployment()
            .resources.find((r) => r.type === "pulumi-nodejs:dynamic/appwrite:User" && r.urn.endsWith("::ci-bot"));
        expect(ciBot?.inputs?.["__provider"]).toBe(providerTextOf(entrySubpath("User")));
        expect(String(ciBot?.outputs?.["__provider"])).toContain('require("pulumi-appwrite-users/provider").providers[this.kind]');
    });

    it("another version of the same code previews no change and stores the same __provider texts", async () => {
        const before = providerTexts(project.exportDeployment());
        const manifestFile = path.join(project.workDir, "node_modules", "pulumi-appwrite-users", "package.json");
        const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { version: string };
        fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: "99.0.0" }));

        project.emu.resetRequestCounts();
        const { result, log } = await project.preview();
        expect(result.changeSummary).toEqual({ same: 16 });
        expect(log.resources().flatMap((s) => s.diffs)).toEqual([]);
        expect(project.emu.writeRequests()).toBe(0);

        // A same step stores the inputs the program just registered: the text the new version serialized.
        await project.up();
        expect(providerTexts(project.exportDeployment()).sort()).toEqual(before.sort());
        expect(project.emu.totalRequests()).toBe(0);
    });

    it("destroys with the installed code", async () => {
        await project.destroy();
        expect((await project.users.list()).total).toBe(0);
        expect(project.exportDeployment().resources ?? []).toEqual([]);
    });
});

// test/fixtures/state: the quickstart's `dev` stack after one up by a build whose forwarder was compiled for
// ES2015 (`__awaiter` wrappers), and the emulator's data from that same up.
const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "state");

describe("a state an older build wrote, with a __provider compiled for ES2015", { timeout: 300_000 }, () => {
    let old: CliProject;
    let dataDir: string;

    beforeAll(async () => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-es2015-state-"));
        const appwriteData = path.join(dataDir, "appwrite.json");
        fs.copyFileSync(path.join(FIXTURES, "quickstart-es2015-shim.appwrite.json"), appwriteData);
        old = await CliProject.create({
            source: path.join(EXAMPLES, "quickstart"),
            stackName: "dev",
            // The values the fixture was encrypted and made with (scripts/quickstart-dev-stack.yaml, the dev stack of `npm run up`).
            passphrase: "appwrite-users-dev",
            emulator: { projectId: "quickstart", apiKey: "quickstart-dev-key", stateFile: appwriteData },
            config: { ciBotPassword: { value: "Qs-ci-bot-7f3K9vR2mX8pL4wN", secret: true } },
        });
        // Refresh and destroy configure the provider with the config stored in the state: point it at this emulator.
        const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, "quickstart-es2015-shim.json"), "utf8")) as {
            deployment: { resources: { type: string; inputs: Record<string, unknown> }[] };
        };
        const provider = fixture.deployment.resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
        if (!provider) throw new Error("the fixture has no provider");
        provider.inputs["appwrite:endpoint"] = old.emu.endpoint;
        const stateFile = path.join(dataDir, "state.json");
        fs.writeFileSync(stateFile, JSON.stringify(fixture));
        const imported = old.cli(["stack", "import", "--file", stateFile, "--stack", old.stack.name]);
        expect(imported.status, imported.stderr).toBe(0);
    }, 900_000);

    afterAll(async () => {
        await old?.dispose();
        if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const ciBot = () =>
        old.exportDeployment().resources.find((r) => r.type === "pulumi-nodejs:dynamic/appwrite:User" && r.urn.endsWith("::ci-bot"));

    it("refreshes with the current code, reading each of the 15 resources and finding everything as it is", async () => {
        expect(String(ciBot()?.outputs?.["__provider"])).toContain("__awaiter");
        const { result, log } = await old.refresh();
        expect((result as { summary: { resourceChanges?: Record<string, number> } }).summary.resourceChanges).toEqual({ same: 16 });
        expect(log.resources()).toHaveLength(15);
        expect(changes(log)).toEqual([]);
        expect(old.emu.writeRequests()).toBe(0);
    });

    it("an up updates nothing and writes nothing; the outputs, which read and delete run, keep the old text", async () => {
        const { result } = await old.up();
        expect(result.summary.resourceChanges).toEqual({ same: 16 });
        expect(old.emu.writeRequests()).toBe(0);
        expect(ciBot()?.inputs?.["__provider"]).toBe(providerTextOf(entrySubpath("User")));
        expect(String(ciBot()?.outputs?.["__provider"])).toContain("__awaiter");
    });

    it("destroys every resource with the old text, leaving Appwrite empty", async () => {
        const { log } = await old.destroy();
        expect(changes(log).filter((c) => c.startsWith("delete "))).toHaveLength(15);
        expect(old.emu.store.users.size).toBe(0);
        expect(old.exportDeployment().resources ?? []).toEqual([]);
    });
});
