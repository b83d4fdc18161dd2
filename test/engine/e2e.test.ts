import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, Stack as AutomationStack } from "@pulumi/pulumi/automation";
import { Client, Users } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Emulator, startEmulator } from "../emulator";
import { installedProject } from "../support/installed-package";
import { REPO_ROOT, assertBuilt } from "./project";

/**
 * The quickstart's lifecycle through the real `pulumi` CLI and the Automation API, with a `file://` backend in a
 * temporary directory. It needs a `pulumi` CLI on PATH; without one it is skipped, and says so.
 */

const cli = spawnSync("pulumi", ["version"], { encoding: "utf8" });
const cliVersion = cli.error === undefined && cli.status === 0 ? cli.stdout.trim() : undefined;
if (cliVersion === undefined) {
    console.warn("SKIPPED test/engine/e2e.test.ts: no `pulumi` CLI on PATH, so the real-CLI lifecycle did not run (the engine harness tests cover it without the CLI).");
}

const quickstartDir = path.join(REPO_ROOT, "examples", "quickstart");

describe.skipIf(cliVersion === undefined)(`the quickstart with the real pulumi CLI (${cliVersion ?? "absent"})`, () => {
    let emu: Emulator;
    let backend: string;
    let stack: AutomationStack;
    let users: Users;
    let projectDir: string | undefined;
    const stackName = `e2e-${process.pid}`;

    beforeAll(async () => {
        assertBuilt();
        projectDir = installedProject(quickstartDir);
        emu = await startEmulator();
        backend = fs.mkdtempSync(path.join(os.tmpdir(), "engine-e2e-"));
        users = new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName, workDir: projectDir },
            {
                envVars: { PULUMI_CONFIG_PASSPHRASE: "e2e", PULUMI_BACKEND_URL: `file://${backend}` },
                pulumiHome: path.join(backend, "home"),
            },
        );
        await stack.setAllConfig({
            "appwrite:endpoint": { value: emu.endpoint },
            "appwrite:projectId": { value: emu.projectId },
            "appwrite:apiKey": { value: emu.apiKey, secret: true },
            ciBotPassword: { value: "e2e-ci-bot-Password-91x", secret: true },
        });
    }, 180_000);

    afterAll(async () => {
        await stack?.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
        if (projectDir) fs.rmSync(path.join(projectDir, `Pulumi.${stackName}.yaml`), { force: true });
        await emu?.stop();
        if (backend) fs.rmSync(backend, { recursive: true, force: true });
    });

    it("previews, creates, finds nothing to change, refreshes clean and destroys", async () => {
        const preview = await stack.preview();
        expect(preview.changeSummary).toMatchObject({ create: 17 });
        expect(emu.writeRequests()).toBe(0);

        const up = await stack.up();
        expect(up.summary.resourceChanges).toMatchObject({ create: 17 });
        expect(up.outputs["serviceAccountId"]?.value).toBe("ci-bot");

        emu.resetRequestCounts();
        const again = await stack.up();
        expect(again.summary.resourceChanges).toEqual({ same: 17 });
        expect(emu.totalRequests()).toBe(0);

        const exported = JSON.stringify(await stack.exportStack());
        expect(exported).not.toContain(emu.apiKey);
        expect(exported).not.toContain("e2e-ci-bot-Password-91x");

        const refresh = await stack.refresh();
        expect(Object.keys(refresh.summary.resourceChanges ?? {}).filter((op) => op !== "same")).toEqual([]);

        await stack.destroy();
        expect((await users.list()).total).toBe(0);
    }, 600_000);
});
