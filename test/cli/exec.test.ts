import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

/**
 * `appwrite-users exec` as CI runs it: the built command in its own process, running a child command
 * that reports the environment it got.
 */

const bin = path.resolve(__dirname, "..", "..", "dist", "cli", "main.js");

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

beforeAll(() => {
    if (!fs.existsSync(bin)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
});

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Starts `appwrite-users exec --user ID ... -- node -e SCRIPT`; `onStdout` sees the output as it comes. */
function exec(
    userId: string,
    script: string,
    extra: string[] = [],
    onStdout?: (text: string, pid: number) => void,
    moreEnv: Record<string, string> = {},
): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, "exec", "--user", userId, ...extra, "--", process.execPath, "-e", script], {
            env: {
                PATH: process.env.PATH,
                APPWRITE_ENDPOINT: appwrite.endpoint,
                APPWRITE_PROJECT_ID: appwrite.projectId,
                APPWRITE_API_KEY: appwrite.apiKey,
                ...moreEnv,
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            onStdout?.(stdout, child.pid as number);
        });
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
}

const PRINT_ENV = `console.log(JSON.stringify({ user: process.env.APPWRITE_USER_ID, session: process.env.APPWRITE_SESSION_ID, secret: process.env.APPWRITE_SESSION_SECRET, jwt: process.env.APPWRITE_JWT ?? null }))`;

async function newUser(prefix: string): Promise<string> {
    const userId = uniqueId(prefix);
    await appwrite.users.create({ userId, email: `${userId}@example.com` });
    return userId;
}

const sessionIds = async (userId: string) => (await appwrite.users.listSessions({ userId })).sessions.map((s) => s.$id);

describe("appwrite-users exec", () => {
    it("runs the command with the user's session in its environment, then deletes the session and exits 0", async () => {
        const userId = await newUser("exec-ok");
        const run = await exec(userId, PRINT_ENV);
        expect(run.code).toBe(0);
        const seen = JSON.parse(run.stdout) as { user: string; session: string; secret: string; jwt: string | null };
        expect(seen).toMatchObject({ user: userId, jwt: null });
        expect(JSON.parse(Buffer.from(seen.secret, "base64").toString())).toMatchObject({ id: userId });
        expect(appwrite.emulator.requestCounts()).toMatchObject({
            "POST /v1/users/:userId/sessions": 1,
            "DELETE /v1/users/:userId/sessions/:sessionId": 1,
        });
        expect(await sessionIds(userId)).toEqual([]);
        expect(run.stderr).not.toContain(seen.secret);
    });

    it("adds a JWT for the session with --jwt", async () => {
        const userId = await newUser("exec-jwt");
        const run = await exec(userId, PRINT_ENV, ["--jwt", "--jwt-duration", "120"]);
        const seen = JSON.parse(run.stdout) as { session: string; jwt: string };
        const claims = JSON.parse(Buffer.from(seen.jwt.split(".")[1]!, "base64url").toString()) as { userId: string; sessionId: string };
        expect(claims).toEqual(expect.objectContaining({ userId, sessionId: seen.session }));
        expect(await sessionIds(userId)).toEqual([]);
    });

    it("keeps the API key from the command, under any name, and what decrypts it from the stack", async () => {
        const userId = await newUser("exec-no-key");
        const carriers = {
            CI_APPWRITE_SERVER_KEY: appwrite.apiKey,
            PULUMI_CONFIG_PASSPHRASE: "stack-passphrase",
            PULUMI_CONFIG_PASSPHRASE_FILE: "/dev/null",
            UNRELATED: "kept",
        };
        const printKeys = `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(["APPWRITE_API_KEY", "APPWRITE_ENDPOINT", ...Object.keys(carriers)])}.map((n) => [n, process.env[n] ?? null]))))`;
        const withheld = await exec(userId, printKeys, [], undefined, carriers);
        expect(withheld.code).toBe(0);
        expect(JSON.parse(withheld.stdout)).toEqual({
            APPWRITE_API_KEY: null,
            APPWRITE_ENDPOINT: appwrite.endpoint,
            CI_APPWRITE_SERVER_KEY: null,
            PULUMI_CONFIG_PASSPHRASE: null,
            PULUMI_CONFIG_PASSPHRASE_FILE: null,
            UNRELATED: "kept",
        });
        const passed = await exec(userId, printKeys, ["--pass-api-key"], undefined, carriers);
        expect(JSON.parse(passed.stdout)).toEqual({ APPWRITE_API_KEY: appwrite.apiKey, APPWRITE_ENDPOINT: appwrite.endpoint, ...carriers });
        expect(await sessionIds(userId)).toEqual([]);
    });

    it("says in --help that the command gets no API key unless --pass-api-key asks", async () => {
        const help = await new Promise<string>((resolve) => {
            const child = spawn(process.execPath, [bin, "exec", "--help"], { stdio: ["ignore", "pipe", "inherit"] });
            let out = "";
            child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
            child.once("close", () => resolve(out));
        });
        expect(help).toContain("COMMAND does not get the API key: APPWRITE_API_KEY, every other variable holding the same value");
        expect(help).toContain("--pass-api-key  keep them");
    });

    it("refuses --jwt-duration 0 before any request, naming the range Appwrite accepts", async () => {
        const userId = await newUser("exec-jwt-zero");
        appwrite.emulator.resetRequestCounts();
        const run = await exec(userId, PRINT_ENV, ["--jwt", "--jwt-duration", "0"]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('--jwt-duration must be a whole number from 1 to 3600, not "0"');
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("exits with the command's status when it fails, and still deletes the session", async () => {
        const userId = await newUser("exec-fail");
        const run = await exec(userId, `${PRINT_ENV}; process.exit(3)`);
        expect(run.code).toBe(3);
        expect(JSON.parse(run.stdout)).toMatchObject({ user: userId });
        expect(await sessionIds(userId)).toEqual([]);
    });

    it.each([
        ["SIGTERM", 143],
        ["SIGINT", 130],
    ] as const)("passes %s on to the command, deletes the session, and exits %i (128 + the signal's number)", async (signal, status) => {
        const userId = await newUser(`exec-${signal.toLowerCase()}`);
        let live: string[] | undefined;
        let signalled = false;
        const run = await exec(userId, `${PRINT_ENV}; setInterval(() => {}, 1000)`, [], (text, pid) => {
            if (signalled || !text.includes("\n")) return;
            signalled = true;
            void sessionIds(userId).then((ids) => {
                live = ids;
                process.kill(pid, signal);
            });
        });
        const seen = JSON.parse(run.stdout) as { session: string };
        expect(live).toEqual([seen.session]);
        expect(run.code).toBe(status);
        expect(await sessionIds(userId)).toEqual([]);
    });

    it("explains the sessions-per-user limit when the session is gone before the end", async () => {
        const userId = await newUser("exec-evicted");
        const evict = `const e = process.env; fetch(e.APPWRITE_ENDPOINT + "/users/" + e.APPWRITE_USER_ID + "/sessions/" + e.APPWRITE_SESSION_ID, { method: "DELETE", headers: { "X-Appwrite-Project": e.APPWRITE_PROJECT_ID, "X-Appwrite-Key": e.APPWRITE_API_KEY } }).then((r) => process.exit(r.status === 204 ? 0 : 9))`;
        const run = await exec(userId, evict, ["--pass-api-key"]);
        expect(run.code).toBe(0);
        expect(run.stderr).toContain(
            "was already gone when it was to be deleted. Appwrite keeps at most a set number of sessions per user (10 by default",
        );
    });

    it("deletes the session when the command cannot be started, exiting 127", async () => {
        const userId = await newUser("exec-missing");
        const run = await new Promise<Run>((resolve) => {
            const child = spawn(process.execPath, [bin, "exec", "--user", userId, "--", "no-such-command-anywhere"], {
                env: {
                    PATH: process.env.PATH,
                    APPWRITE_ENDPOINT: appwrite.endpoint,
                    APPWRITE_PROJECT_ID: appwrite.projectId,
                    APPWRITE_API_KEY: appwrite.apiKey,
                },
            });
            let stderr = "";
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            child.once("close", (code) => resolve({ code, stdout: "", stderr }));
        });
        expect(run.code).toBe(127);
        expect(run.stderr).toContain("appwrite-users exec: cannot run no-such-command-anywhere");
        expect(await sessionIds(userId)).toEqual([]);
    });

    it("makes no session when the arguments are wrong", async () => {
        const userId = await newUser("exec-usage");
        const run = await exec(userId, PRINT_ENV, ["--jwt-duration", "60"]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain("--jwt-duration needs --jwt");
        expect(appwrite.emulator.requestCounts()["POST /v1/users/:userId/sessions"]).toBeUndefined();
    });
});
