import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { Stack } from "../engine";

/** The generated program: `users` users with the five resource kinds each. */
const PROGRAM_DIR = path.join(__dirname, "program");
export const KINDS_PER_USER = 5;
const PASSPHRASE = "bench passphrase";

/** A stack of the generated program against the emulator, with its state in a temporary directory. */
export interface BenchStack {
    stack: Stack;
    stateFile: string;
    dispose(): void;
}

export function benchStack(emu: Emulator, users: number, options: { parallel?: number } = {}): BenchStack {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "users-bench-"));
    const stateFile = path.join(dir, "state.json");
    const stack = new Stack({
        projectDir: PROGRAM_DIR,
        stackName: "bench",
        passphrase: PASSPHRASE,
        stateFile,
        useStackConfigFile: false,
        ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
        config: {
            "appwrite:endpoint": emu.endpoint,
            "appwrite:projectId": emu.projectId,
            "appwrite:apiKey": { value: emu.apiKey, secret: true },
            users: String(users),
            password: { value: "bench-password-0123456789", secret: true },
        },
    });
    return { stack, stateFile, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
