import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator/index";

/**
 * The official Appwrite CLI, a client we did not write, against the emulator. It runs with a temporary
 * HOME (its global config, key included) and working directory (its project file), so nothing is written
 * into the user's home or the repository.
 */
const cliEntry = createRequire(__filename).resolve("appwrite-cli/index.js");
const run = promisify(execFile);
let home: string;
let emu: Emulator;

async function appwrite(...args: string[]): Promise<string> {
    const env = { ...process.env, HOME: home, USERPROFILE: home, NO_COLOR: "1", FORCE_COLOR: "0" };
    const { stdout } = await run(process.execPath, [cliEntry, ...args], { cwd: home, env, timeout: 30_000 });
    return stdout;
}

/** `--json` output, which the CLI prints after any status lines. */
async function appwriteJson(...args: string[]): Promise<Record<string, unknown>> {
    const out = await appwrite("--json", ...args);
    return JSON.parse(out.slice(out.indexOf("{"))) as Record<string, unknown>;
}

beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "appwrite-cli-home-"));
    emu = await startEmulator();
});

afterAll(async () => {
    await emu.stop();
    rmSync(home, { recursive: true, force: true });
});

describe("the Appwrite CLI against the emulator", () => {
    it("sets up its client after checking the endpoint's health version as the console project", async () => {
        const out = await appwrite("client", "--endpoint", emu.endpoint, "--project-id", emu.projectId, "--key", emu.apiKey);
        expect(out).toContain("Setting client");
        expect(emu.requestCounts()["GET /v1/health/version"]).toBe(1);
    });

    it("creates, gets, labels, lists and deletes a user", async () => {
        const created = await appwriteJson("users", "create", "--user-id", "cliuser", "--email", "cli@example.org", "--name", "CLI User");
        expect(created).toMatchObject({ $id: "cliuser", email: "cli@example.org", name: "CLI User" });

        expect(await appwriteJson("users", "get", "--user-id", "cliuser")).toMatchObject({ $id: "cliuser", labels: [] });

        const labelled = await appwriteJson("users", "update-labels", "--user-id", "cliuser", "--labels", "admin", "beta");
        expect(labelled.labels).toEqual(["admin", "beta"]);
        expect(emu.store.user("cliuser")!.labels).toEqual(["admin", "beta"]);

        const listed = await appwriteJson("users", "list");
        expect(listed.total).toBe(1);
        expect((listed.users as Array<{ $id: string }>).map((u) => u.$id)).toEqual(["cliuser"]);

        await appwrite("users", "delete", "--user-id", "cliuser");
        expect(emu.store.user("cliuser")).toBeUndefined();
        expect(emu.requestCounts()).toMatchObject({
            "POST /v1/users": 1,
            "GET /v1/users/:userId": 1,
            "PUT /v1/users/:userId/labels": 1,
            "GET /v1/users": 1,
            "DELETE /v1/users/:userId": 1,
        });
    });
});
