import type { ConfigureRequest, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { configure } from "../appwrite/connection";
import { heldBySet } from "../resources/user-set/held-users";
import { withProject } from "./project";

/**
 * A kind's provider object as an entry module exports it: the resource's methods, each acting on the
 * resource's project (project.ts), plus `configure`, which the dynamic-provider host calls with
 * the stack config before the first method of each `__provider` text. A delete of a user (or of its part)
 * that a UserSet of this run holds in the same project sends nothing: the set took the user over, and the
 * old resource only leaves the state (resources/user-set/held-users.ts).
 */
export function entryProvider(provider: ResourceProvider, options: { heldBySets?: boolean } = {}): ResourceProvider {
    return {
        ...withProject(options.heldBySets === false ? provider : leavingHeldUsers(provider)),
        async configure(req: ConfigureRequest) {
            configure(req);
        },
    };
}

function leavingHeldUsers(provider: ResourceProvider): ResourceProvider {
    const remove = provider.delete;
    if (remove === undefined) return provider;
    return {
        ...provider,
        async delete(id: string, props: Record<string, unknown>) {
            if (heldBySet(props.userId)) return;
            await remove.call(provider, id, props);
        },
    };
}
