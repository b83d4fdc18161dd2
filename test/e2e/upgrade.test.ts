import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliProject, EXAMPLES, changes } from "./support";

/**
 * Upgrading under the real CLI: a state whose resources hold 0.1.0's forwarder `__provider` (what a linked
 * checkout still stores), brought back with `pulumi stack import` into a project that has the packed package
 * installed, previews with no changes, refreshes and destroys with the code installed now.
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
    await project.installPackedPackage();
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

function providerTexts(deployment: ReturnType<CliProject["exportDeployment"]>): string[] {
    return [...new Set(deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).map((r) => String(r.inputs?.["__provider"])))];
}

describe("a state written with the forwarder __provider, after the package changed", { timeout: 300_000 }, () => {
    it("holds the forwarder text, about 2.4 KB per kind", () => {
        const texts = providerTexts(JSON.parse(fs.readFileSync(oldState, "utf8")).deployment);
        expect(texts).toHaveLength(5);
        for (const text of texts) {
            expect(text).toContain('require("pulumi-appwrite-users/provider").providers[this.kind]');
            expect(Buffer.byteLength(text)).toBeGreaterThan(2000);
        }
    });

    it("is imported with pulumi stack import and previews with no changes and no request", async () => {
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

    it("destroys with the installed code", async () => {
        await project.destroy();
        expect((await project.users.list()).total).toBe(0);
        expect(project.exportDeployment().resources ?? []).toEqual([]);
    });
});
