import * as fs from "fs";
import { parseStackExport, stackStateOf, StateError, type StackState } from "./drift-state";
import type { StateSource } from "./drift-args";
import { readStack, selectStack, stackConfig } from "./stack";

/** The state to compare and the stack config to fall back on for credentials. */
export interface LoadedStack {
    state: StackState;
    /** Config values, secrets included when they could be decrypted (only through --stack). */
    config: Record<string, string>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString("utf8");
}

/** Exports a stack through the Automation API, with its config for the credentials. */
async function exportThroughAutomation(name: string, cwd: string): Promise<LoadedStack> {
    const stack = await selectStack(name, cwd, "pipe `pulumi stack export` into this command");
    const deployment = await readStack(stack, "state", () => stack.exportStack());
    return { state: stackStateOf(deployment, `stack "${name}"`), config: await stackConfig(stack) };
}

/** Loads the state from a file, stdin or the Automation API. */
export async function loadStack(source: StateSource, stdin: NodeJS.ReadableStream): Promise<LoadedStack> {
    switch (source.kind) {
        case "file": {
            let text: string;
            try {
                text = fs.readFileSync(source.path, "utf8");
            } catch (error) {
                throw new StateError(`cannot read the state file ${source.path}: ${(error as Error).message}`);
            }
            const state = parseStackExport(text, source.path);
            return { state, config: state.config };
        }
        case "stdin": {
            const text = await readAll(stdin);
            if (text.trim() === "") throw new StateError("stdin is empty: pipe in the output of `pulumi stack export`");
            const state = parseStackExport(text, "stdin");
            return { state, config: state.config };
        }
        case "stack":
            return exportThroughAutomation(source.name, source.cwd);
    }
}
