/**
 * The Users service for the SDK's helpers, with the settings the provider takes: the stack config
 * (`appwrite:*`, and `appwrite:projects` for the further projects) when called in a Pulumi program, else
 * the environment, key by key. The config is read raw, as the provider host receives it, so reading the
 * secret `appwrite:apiKey` raises no warning and the key never becomes part of an Output.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Users } from "node-appwrite";
import { appwriteUsers, configure, conflictWarning, settingConflicts } from "../provider/appwrite/connection";

const stackConfig = (key: string) => pulumi.runtime.getConfig(key);

/** The Users service of the default project, or of the entry of `appwrite:projects` named `project`. */
export async function programUsers(project?: string): Promise<Users> {
    warnWhereSettingsDisagree();
    configure({ config: { get: stackConfig } });
    return appwriteUsers(project);
}

let warned = false;

/**
 * Warns once per program run when the stack config and the environment give a connection setting (of the
 * default project or of a named one) different values: the provider uses the stack config, which may
 * surprise whoever set the variable.
 */
export function warnWhereSettingsDisagree(): void {
    if (warned) return;
    warned = true;
    const warning = conflictWarning(settingConflicts(stackConfig, process.env));
    if (warning !== undefined) void pulumi.log.warn(`pulumi-appwrite-users: ${warning}`);
}
