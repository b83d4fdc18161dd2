import * as fs from "fs";
import { parseStackExport, stackStateOf, StateError, type StackState } from "./drift-state";
import type { StateSource } from "./drift-args";

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

/**
 * Exports a stack through the Automation API. It runs the pulumi CLI, so the stack's own backend and
 * passphrase settings (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, ...) apply as they do for the CLI.
 */
async function exportThroughAutomation(name: string, cwd: string): Promise<LoadedStack> {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    let stack;
    try {
        stack = await LocalWorkspace.selectStack({ stackName: name, workDir: cwd });
    } catch (error) {
        const message = (error as Error).message;
        if (/ENOENT|not found|could not find|pulumi version/i.test(message) && /pulumi/i.test(message)) {
            throw new StateError(
                `--stack needs the pulumi CLI on PATH (https://www.pulumi.com/docs/install/), which was not found; ` +
                    `or pipe \`pulumi stack export\` into this command. (${message.split("\n")[0]})`,
            );
        }
        // The CLI's own "error: ..." line says it best; the rest of a CommandError repeats the command.
        const reason = /^error: .*$/m.exec(message)?.[0] ?? message.trim();
        throw new StateError(`cannot select stack "${name}" in ${cwd}: ${reason}`);
    }
    const deployment = await stack.exportStack();
    const config: Record<string, string> = {};
    for (const [key, item] of Object.entries(await stack.getAllConfig())) config[key] = item.value;
    return { state: stackStateOf(deployment, `stack "${name}"`), config };
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
