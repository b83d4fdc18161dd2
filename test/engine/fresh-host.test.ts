import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client, Users } from "node-appwrite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Emulator, startEmulator } from "../emulator";
import { ProviderHost, Stack } from "./index";
import { makeSecret } from "./properties";
import type { UserSpec } from "./programs/users";
import { userSpec } from "../support/lifecycle-fixtures";

/**
 * Calls arriving together at a fresh provider host, which only the harness can send and watch: creates before
 * any Check has configured the host, and a refresh's Read RPCs. Users are declared from a spec in the stack
 * config, against the emulator. The lifecycle of each change is judged by the real CLI in test/e2e/changes.test.ts.
 */

const projectDir = path.join(__dirname, "programs", "users");

let emu: Emulator;
let dir: string;
let users: Users;

beforeEach(async () => {
    emu = await startEmulator();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-changes-"));
    users = new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
});

afterEach(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

function stack(specs: UserSpec[], parallel?: number): Stack {
    return new Stack({
        projectDir,
        passphrase: "changes",
        stateFile: path.join(dir, "state.json"),
        ...(parallel !== undefined ? { parallel } : {}),
        config: {
            "appwrite:endpoint": emu.endpoint,
            "appwrite:projectId": emu.projectId,
            "appwrite:apiKey": { value: emu.apiKey, secret: true },
            "users-lifecycle:users": JSON.stringify(specs),
        },
    });
}

// Each operation starts node processes; on a busy machine a sequence of them outlasts the default timeout.
describe("a fresh provider host, through the engine harness", { timeout: 180_000 }, () => {
    it("many creates arriving together at a fresh host all see the configuration", async () => {
        const specs = ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"].map((id) => userSpec(id));
        const previewed = stack(specs);
        const preview = await previewed.preview();
        const checks = preview.rpcs.filter((c) => c.method === "Check" && c.urn?.includes("dynamic/appwrite:User::"));
        expect(checks).toHaveLength(8);

        const config = {
            "appwrite:endpoint": emu.endpoint,
            "appwrite:projectId": emu.projectId,
            "appwrite:apiKey": makeSecret(emu.apiKey),
        };
        const host = await ProviderHost.start({ projectDir: previewed.projectDir, projectName: "users-lifecycle", config });
        try {
            await host.negotiate();
            await host.configure(config, "urn:pulumi:dev::users-lifecycle::pulumi:providers:pulumi-nodejs::default", "race");
            // No Check first: the first call for this __provider text configures it while the others arrive.
            const created = await Promise.all(checks.map((c) => host.create(c.urn ?? "", c.request["news"] as Record<string, never>)));
            expect(created.map((c) => c.id).sort()).toEqual(specs.map((x) => x.userId));
        } finally {
            await host.stop();
        }
        expect(emu.requestCounts()["POST /v1/users"]).toBe(8);
        expect((await users.list()).total).toBe(8);
    });

    it("a refresh of many resources at a fresh host reads them all with the stored configuration, one Read each", async () => {
        const s = stack([userSpec("a1"), userSpec("a2"), userSpec("a3")], 16);
        await s.up();
        const refresh = await s.refresh();
        expect(refresh.changeSummary).toEqual({ same: 16 });
        expect(refresh.rpcs.filter((c) => c.method === "Read")).toHaveLength(15);
    });
});
