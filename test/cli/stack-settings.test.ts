import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { envLines } from "./run";

/**
 * The credential subcommands with `--stack`: the settings, the API key a secret among them, come from a
 * real stack's config through the real `pulumi` CLI. Needs `pulumi` on PATH; without one it is skipped, and says so.
 */

const bin = path.resolve(__dirname, "..", "..", "dist", "cli", "main.js");
const cli = spawnSync("pulumi", ["version"], { encoding: "utf8" });
const cliVersion = cli.error === undefined && cli.status === 0 ? cli.stdout.trim() : undefined;
if (cliVersion === undefined) console.warn("SKIPPED test/cli/stack-settings.test.ts: no `pulumi` CLI on PATH, so --stack was not run against a real stack.");

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

describe.skipIf(cliVersion === undefined)(`appwrite-users --stack with the real pulumi CLI (${cliVersion ?? "absent"})`, () => {
    let dir: string;
    let pulumiEnv: Record<string, string>;

    beforeAll(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-stack-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: cli-stack\nruntime: nodejs\n");
        pulumiEnv = { PULUMI_CONFIG_PASSPHRASE: "cli stack passphrase", PULUMI_BACKEND_URL: `file://${dir}/backend`, PULUMI_HOME: path.join(dir, "home") };
        fs.mkdirSync(path.join(dir, "backend"));
        const stack = await LocalWorkspace.createStack({ stackName: "ci", workDir: dir }, { envVars: pulumiEnv, pulumiHome: pulumiEnv.PULUMI_HOME });
        await stack.setAllConfig({
            "appwrite:endpoint": { value: appwrite.endpoint },
            "appwrite:projectId": { value: appwrite.projectId },
            "appwrite:apiKey": { value: appwrite.apiKey, secret: true },
        });
        expect(fs.readFileSync(path.join(dir, "Pulumi.ci.yaml"), "utf8")).not.toContain(appwrite.apiKey);
    }, 120_000);

    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (argv: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, [bin, ...argv], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: os.homedir(), ...pulumiEnv } });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            child.once("close", (code) => resolve({ code, stdout, stderr }));
        });

    it("session create and delete take the endpoint, project and encrypted key from the stack's config", async () => {
        const userId = uniqueId("stack-session");
        await appwrite.users.create({ userId, email: `${userId}@example.com` });
        const created = await run(["session", "create", "--user", userId, "--stack", "ci"]);
        expect(created.stderr).toBe("");
        const { APPWRITE_SESSION_ID } = envLines(created.stdout);
        expect((await appwrite.users.listSessions({ userId })).sessions.map((s) => s.$id)).toEqual([APPWRITE_SESSION_ID]);

        const deleted = await run(["session", "delete", "--user", userId, "--all", "--stack", "ci", "--cwd", dir]);
        expect(deleted.code).toBe(0);
        expect((await appwrite.users.listSessions({ userId })).total).toBe(0);
    });

    it("exec runs as the user with the stack's endpoint and project but never hands on its key, and names a stack that does not exist", async () => {
        const userId = uniqueId("stack-exec");
        await appwrite.users.create({ userId, email: `${userId}@example.com` });
        const script = "const e = process.env; console.log(JSON.stringify([e.APPWRITE_USER_ID, e.APPWRITE_ENDPOINT, e.APPWRITE_PROJECT_ID, e.APPWRITE_API_KEY ?? null]))";
        const ran = await run(["exec", "--user", userId, "--stack", "ci", "--", process.execPath, "-e", script]);
        expect(ran.code).toBe(0);
        expect(JSON.parse(ran.stdout)).toEqual([userId, appwrite.endpoint, appwrite.projectId, null]);
        expect((await appwrite.users.listSessions({ userId })).total).toBe(0);

        const missing = await run(["token", "--user", userId, "--stack", "nope"]);
        expect(missing.code).toBe(1);
        expect(missing.stderr).toContain(`appwrite-users token: cannot select stack "nope" in ${dir}`);
    });
});
