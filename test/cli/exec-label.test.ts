import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { appwriteUsers } from "./run";

/** `appwrite-users exec --label` as CI runs it: the built command in its own process. */

const bin = path.resolve(__dirname, "..", "..", "dist", "cli", "main.js");

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

beforeAll(() => {
    if (!fs.existsSync(bin)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
});

const env = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    APPWRITE_ENDPOINT: appwrite.endpoint,
    APPWRITE_PROJECT_ID: appwrite.projectId,
    APPWRITE_API_KEY: appwrite.apiKey,
});

/** Runs `appwrite-users ARGS -- node -e SCRIPT`; `onStdout` sees the output as it comes, with the command's process. */
function run(
    args: string[],
    script: string,
    onStdout?: (text: string, kill: () => void) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args, "--", process.execPath, "-e", script], {
            env: env(),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            onStdout?.(stdout, () => child.kill("SIGKILL"));
        });
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
}

const labelled = async (label: string) =>
    (await appwrite.users.list({ queries: [`{"method":"contains","attribute":"labels","values":["${label}"]}`] })).users;

describe("appwrite-users exec --label", () => {
    it("runs the command as a new user carrying the label, and deletes the user afterwards", async () => {
        const label = uniqueId("run").replace(/-/g, "");
        const result = await run(["exec", "--label", label], "console.log(process.env.APPWRITE_USER_ID)");
        expect(result.code).toBe(0);
        const userId = result.stdout.trim();
        expect(userId).toMatch(/^[0-9a-f]{20}$/);
        await expect(appwrite.users.get({ userId })).rejects.toMatchObject({ type: "user_not_found" });
        expect(appwrite.emulator.requestCounts()).toMatchObject({
            "POST /v1/users": 1,
            "PUT /v1/users/:userId/labels": 1,
            "DELETE /v1/users/:userId": 1,
        });
    });

    it("leaves a killed run's user labelled, for sweep to remove", async () => {
        const label = uniqueId("killed").replace(/-/g, "");
        const killed = await run(
            ["exec", "--label", label],
            "console.log(process.env.APPWRITE_USER_ID); setTimeout(() => {}, 1500)",
            (text, kill) => {
                if (text.includes("\n")) kill();
            },
        );
        expect(killed.code).toBe(null);
        const [left] = await labelled(label);
        expect(left?.$id).toBe(killed.stdout.trim());
        expect(left?.labels).toEqual([label]);

        await new Promise((resolve) => setTimeout(resolve, 1100));
        const swept = await appwriteUsers(["sweep", "--label", label, "--older-than", "1s", "--yes"], env());
        expect(swept.code).toBe(0);
        expect(await labelled(label)).toEqual([]);
    });

    it("takes either --user or --label", async () => {
        const both = await run(["exec", "--user", "someone", "--label", "ci"], "");
        expect(both.code).toBe(1);
        expect(both.stderr).toContain("give either --user or --label");
    });
});
