/**
 * Selecting a Pulumi stack through the Automation API. It runs the pulumi CLI, so the stack's own backend
 * and passphrase settings (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, ...) apply as they do for the CLI.
 */
import type { Stack } from "@pulumi/pulumi/automation";

export class StackError extends Error {
    override name = "StackError";
}

/** `instead` words the way around the pulumi CLI for the command at hand, when it is missing. */
export async function selectStack(name: string, cwd: string, instead: string): Promise<Stack> {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    try {
        return await LocalWorkspace.selectStack({ stackName: name, workDir: cwd });
    } catch (error) {
        const message = (error as Error).message;
        if (/ENOENT|not found|could not find|pulumi version/i.test(message) && /pulumi/i.test(message)) {
            throw new StackError(
                `--stack needs the pulumi CLI on PATH (https://www.pulumi.com/docs/install/), which was not found; ` +
                    `or ${instead}. (${message.split("\n")[0]})`,
            );
        }
        // The CLI's own "error: ..." line says it best; the rest of a CommandError repeats the command.
        const reason = /^error: .*$/m.exec(message)?.[0] ?? message.trim();
        throw new StackError(`cannot select stack "${name}" in ${cwd}: ${reason}`);
    }
}

/** The stack's config, secrets decrypted (which needs the stack's passphrase or secrets provider). */
export async function stackConfig(stack: Stack): Promise<Record<string, string>> {
    const config: Record<string, string> = {};
    for (const [key, item] of Object.entries(await stack.getAllConfig())) config[key] = item.value;
    return config;
}
