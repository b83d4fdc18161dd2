import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./support";

/** The built `appwrite-users` command, as package.json's `bin` names it. */
const APPWRITE_USERS_BIN = path.join(
    REPO_ROOT,
    (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["appwrite-users"] ??
        "",
);

export interface CommandRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** The Appwrite settings a CI job could have in its environment; the --stack tests run without them. */
const APPWRITE_VARIABLES = ["APPWRITE_ENDPOINT", "APPWRITE_PROJECT_ID", "APPWRITE_API_KEY", "APPWRITE_SELF_SIGNED", "APPWRITE_PROJECTS"];

/**
 * Runs the built `appwrite-users ARGS` in its own process with exactly `env`, minus any APPWRITE_* variable.
 * Asynchronously: the emulator that answers it runs in this process, so spawnSync would deadlock.
 */
export function runAppwriteUsers(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CommandRun> {
    if (!fs.existsSync(APPWRITE_USERS_BIN))
        throw new Error(`${path.relative(REPO_ROOT, APPWRITE_USERS_BIN)} is missing: run \`npm run build\` first`);
    const clean = { ...env };
    for (const key of APPWRITE_VARIABLES) delete clean[key];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [APPWRITE_USERS_BIN, ...args], { env: clean, cwd, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
}
