/**
 * The Users service for the credential subcommands, with the provider's precedence: the config of the stack
 * named by `--stack` (its secrets decrypted through the pulumi CLI, so `appwrite:apiKey` can stay in the
 * stack), or else APPWRITE_* from the environment, key by key.
 */
import type { Users } from "node-appwrite";
import { appwriteUsers, configure } from "../provider/appwrite/connection";
import type { CliIO, OptionKind } from "./command";
import { asProviderConfig, partialCredentials, resolveCredentials } from "./credentials";
import { selectStack, stackConfig } from "./stack";

/** The options every credential subcommand takes for its settings and output. */
export const CONNECTION_OPTIONS = { stack: "string", cwd: "string", project: "string" } as const satisfies Record<string, OptionKind>;

export const CONNECTION_USAGE = `Settings: appwrite:endpoint, appwrite:projectId, appwrite:apiKey and appwrite:selfSigned from the
config of the stack given with --stack NAME [--cwd DIR] (which needs the pulumi CLI and the stack's
passphrase or secrets provider), each one the stack lacks from APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID,
APPWRITE_API_KEY and APPWRITE_SELF_SIGNED in the environment. When both give a setting, the stack wins,
with a warning on stderr.
--project NAME acts on the named project instead of the default one: the entry NAME of the stack's
appwrite:projects or of APPWRITE_PROJECTS (JSON: {"NAME":{"endpoint":...,"projectId":...,"apiKey":...}}),
by the same rule, key by key.`;

export async function connect(io: CliIO, options: { stack?: string; cwd?: string; project?: string }): Promise<Users> {
    const config =
        options.stack === undefined
            ? {}
            : await stackConfig(await selectStack(options.stack, options.cwd ?? io.cwd, "set the APPWRITE_* variables instead"));
    const warn = (line: string) => io.stderr.write(`appwrite-users: warning: ${line}\n`);
    // A named project needs only its own settings (and the default endpoint when it names none).
    const credentials = options.project === undefined ? resolveCredentials(io.env, config, warn) : partialCredentials(io.env, config, warn);
    configure({ config: asProviderConfig(credentials) });
    return appwriteUsers(options.project);
}
