/**
 * Selecting a Pulumi stack through the Automation API. It runs the `pulumi` CLI found on PATH, so the
 * stack's backend and secrets settings (PULUMI_BACKEND_URL or the `pulumi login` in PULUMI_HOME,
 * PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, ...) apply exactly as they do for the CLI.
 */
import type { Stack } from "@pulumi/pulumi/automation";

class StackError extends Error {
    override name = "StackError";
}

/**
 * The CLI's reason in one line. A CommandError's message repeats the command and its whole output, which
 * for `config --show-secrets` or `stack export --show-secrets` could hold secrets; only the CLI's own
 * `error: ...` line (else the first line of its stderr) is kept.
 */
function cliReason(message: string): string {
    const reason = /^error: .*$/m.exec(message)?.[0] ?? /^ ?stderr: (.+)$/m.exec(message)?.[1] ?? message.trim().split("\n")[0] ?? "";
    return reason.trim();
}

/** What to do about the failures users meet most when a stack's settings are not in the environment. */
function fixFor(reason: string): string {
    if (/PULUMI_ACCESS_TOKEN|pulumi login|not logged in/i.test(reason)) {
        return (
            ". The stack is looked for in the backend PULUMI_BACKEND_URL names (else the one `pulumi login` chose, else " +
            "Pulumi Cloud): set PULUMI_BACKEND_URL to the stack's backend (file://..., s3://..., azblob://..., gs://...), " +
            "or PULUMI_ACCESS_TOKEN for Pulumi Cloud"
        );
    }
    if (/passphrase/i.test(reason)) return ". Set it as for `pulumi up` on this stack; it decrypts appwrite:apiKey";
    return "";
}

/** `instead` words the way around the pulumi CLI for the command at hand, when it is missing. */
export async function selectStack(name: string, cwd: string, instead: string): Promise<Stack> {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    try {
        return await LocalWorkspace.selectStack({ stackName: name, workDir: cwd });
    } catch (error) {
        const message = (error as Error).message;
        // The Automation API runs `pulumi version` first; a missing CLI fails that spawn.
        if (/ENOENT/.test(message) && /pulumi/i.test(message)) {
            throw new StackError(
                `--stack needs the pulumi CLI on PATH (https://www.pulumi.com/docs/install/), which was not found; or ${instead}.`,
            );
        }
        const reason = cliReason(message);
        throw new StackError(`cannot select stack "${name}" in ${cwd}: ${reason}${fixFor(reason)}`);
    }
}

/** Runs one read of a selected stack through the CLI, its failure worded like selectStack's. */
export async function readStack<T>(stack: Stack, what: string, read: () => Promise<T>): Promise<T> {
    try {
        return await read();
    } catch (error) {
        const reason = cliReason((error as Error).message);
        throw new StackError(`cannot read the ${what} of stack "${stack.name}" in ${stack.workspace.workDir}: ${reason}${fixFor(reason)}`);
    }
}

/** The stack's config, secrets decrypted (which needs the stack's passphrase or secrets provider). */
export async function stackConfig(stack: Stack): Promise<Record<string, string>> {
    const config: Record<string, string> = {};
    for (const [key, item] of Object.entries(await readStack(stack, "config", () => stack.getAllConfig()))) config[key] = item.value;
    return config;
}
