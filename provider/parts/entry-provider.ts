import type { ConfigureRequest, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { configure } from "../appwrite/connection";
import { withProject } from "./project";

/**
 * A kind's provider object as an entry module exports it: the resource's methods, each acting on the
 * resource's project (project.ts), plus `configure`, which the dynamic-provider host calls with
 * the stack config before the first method of each `__provider` text.
 */
export function entryProvider(provider: ResourceProvider): ResourceProvider {
    return {
        ...withProject(provider),
        async configure(req: ConfigureRequest) {
            configure(req);
        },
    };
}
