/**
 * The Users service for the SDK's helpers, with the settings the provider takes: the stack config
 * (`appwrite:*`, with the further projects of `appwrite:projects`) when called in a Pulumi program, else the environment, key by key. The config is read raw,
 * as the provider host receives it, so reading the secret `appwrite:apiKey` raises no warning and the key
 * never becomes part of an Output.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Users } from "node-appwrite";
import { appwriteUsers, configure } from "../provider/connection";

/** The Users service of the default project, or of the entry of `appwrite:projects` named `project`. */
export async function programUsers(project?: string): Promise<Users> {
    configure({ config: { get: (key) => pulumi.runtime.getConfig(key) } });
    return appwriteUsers(project);
}
