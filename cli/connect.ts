/**
 * The Users service for the credential subcommands, with the drift command's settings: APPWRITE_* from
 * the environment, or else the config of the stack named by `--stack` (its secrets decrypted through the
 * pulumi CLI, so `appwrite:apiKey` can stay in the stack).
 */
import type { Users } from "node-appwrite";
import { appwriteUsers, configure } from "../provider/connection";
import type { CliIO, OptionKind } from "./command";
import { asProviderConfig, partialCredentials, resolveCredentials } from "./credentials";
import { selectStack, stackConfig } from "./stack";

/** The options every credential subcommand takes for its settings and output. */
export const CONNECTION_OPTIONS = { stack: "string", cwd: "string", project: "string" } as const satisfies Record<string, OptionKind>;

export const CONNECTION_USAGE = `Settings: APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID, APPWRITE_API_KEY and APPWRITE_SELF_SIGNED from the
environment, or else appwrite:* from the config of the stack given with --stack NAME [--cwd DIR]
(which needs the pulumi CLI and the stack's passphrase or secrets provider).
--project NAME acts on the named project instead of the default one: the entry NAME of APPWRITE_PROJECTS
(JSON: {"NAME":{"endpoint":...,"projectId":...,"apiKey":...}}) or of the stack's appwrite:projects.`;

export async function connect(io: CliIO, options: { stack?: string; cwd?: string; project?: string }): Promise<Users> {
    const config = options.stack === undefined ? {} : await stackConfig(await selectStack(options.stack, options.cwd ?? io.cwd, "set the APPWRITE_* variables instead"));
    // A named project needs only its own settings (and the default endpoint when it names none).
    const credentials = options.project === undefined ? resolveCredentials(io.env, config) : partialCredentials(io.env, config);
    configure({ config: asProviderConfig(credentials) });
    return appwriteUsers(options.project);
}
