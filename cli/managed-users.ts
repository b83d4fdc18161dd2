/** The users a Pulumi stack manages: every user ID one of its resources of this package names. */
import { projectOfResource, type StackState } from "./drift-state";

/** The managed users of one project (undefined: the default one); the same ID in another project is another user. */
export function managedUserIds(state: StackState, project?: string): Set<string> {
    const ids = new Set<string>();
    for (const resource of state.resources) {
        if (projectOfResource(resource) !== project) continue;
        const userId = resource.inputs.userId ?? resource.outputs.userId;
        // A target's Pulumi ID is `userId/targetId`; every other kind's is the user ID.
        ids.add(typeof userId === "string" && userId !== "" ? userId : (resource.id.split("/")[0] ?? resource.id));
    }
    return ids;
}
