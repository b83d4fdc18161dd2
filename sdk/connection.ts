/**
 * The Users service for the SDK's helpers, with the settings the provider takes: the stack config
 * (`appwrite:*`) when called in a Pulumi program, else the environment, key by key. The config is read raw,
 * as the provider host receives it, so reading the secret `appwrite:apiKey` raises no warning and the key
 * never becomes part of an Output.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Users } from "node-appwrite";
import { appwriteUsers, configure } from "../provider/appwrite/connection";

export async function programUsers(): Promise<Users> {
    configure({ config: { get: (key) => pulumi.runtime.getConfig(key) } });
    return appwriteUsers();
}
