import { Readable } from "stream";
import { runCli } from "../../cli/main";
import type { EmulatedAppwrite } from "../support/appwrite";

/** Runs `appwrite-users <argv...>` in this process with these environment variables, capturing its output. */
export async function appwriteUsers(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, {
        stdin: Object.assign(Readable.from([]), { isTTY: true }),
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        env,
        cwd,
    });
    return { code, stdout, stderr };
}

/** Reads `NAME=value` lines as printed by `--format env`. */
export function envLines(text: string): Record<string, string> {
    return Object.fromEntries(
        text
            .trim()
            .split("\n")
            .filter((line) => line !== "")
            .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
}

/** The APPWRITE_* variables that point a command at this emulated Appwrite, with its API key unless another is given. */
export function emulatorEnv(appwrite: EmulatedAppwrite, apiKey = appwrite.apiKey): NodeJS.ProcessEnv {
    return { APPWRITE_ENDPOINT: appwrite.endpoint, APPWRITE_PROJECT_ID: appwrite.projectId, APPWRITE_API_KEY: apiKey };
}
