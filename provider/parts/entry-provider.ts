import type { ConfigureRequest, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { configure } from "../appwrite/connection";

/**
 * A kind's provider object as an entry module exports it: the resource's methods plus `configure`, which
 * the dynamic-provider host calls with the stack config before the first method of each `__provider` text.
 */
export function entryProvider(provider: ResourceProvider): ResourceProvider {
    return {
        ...provider,
        async configure(req: ConfigureRequest) {
            configure(req);
        },
    };
}
