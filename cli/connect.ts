/**
 * The Users service for the credential subcommands, with the provider's precedence: the config of the stack
 * named by `--stack` (its secrets decrypted through the pulumi CLI, so `appwrite:apiKey` can stay in the
 * stack), or else APPWRITE_* from the environment, key by key.
 */
import type { Users } from "node-appwrite";
import { appwriteUsers, configure } from "../provider/appwrite/connection";
import type { CliIO, OptionKind } from "./command";
import { asProviderConfig, resolveCredentials } from "./credentials";
import { selectStack, stackConfig } from "./stack";

/** The options every credential subcommand takes for its settings and output. */
export const CONNECTION_OPTIONS = { stack: "string", cwd: "string" } as const satisfies Record<string, OptionKind>;

export const CONNECTION_USAGE = `Settings: appwrite:endpoint, appwrite:projectId, appwrite:apiKey and appwrite:selfSigned from the
config of the stack given with --stack NAME [--cwd DIR] (which needs the pulumi CLI and the stack's
passphrase or secrets provider), each one the stack lacks from APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID,
APPWRITE_API_KEY and APPWRITE_SELF_SIGNED in the environment. When both give a setting, the stack wins,
with a warning on stderr.`;

export async function connect(io: CliIO, options: { stack?: string; cwd?: string }): Promise<Users> {
    const config = options.stack === undefined ? {} : await stackConfig(await selectStack(options.stack, options.cwd ?? io.cwd, "set the APPWRITE_* variables instead"));
    const credentials = resolveCredentials(io.env, config, (line) => io.stderr.write(`appwrite-users: warning: ${line}\n`));
    configure({ config: asProviderConfig(credentials) });
    return appwriteUsers();
}
