/** The users a Pulumi stack manages: every user ID one of its resources of this package names. */
import type { StackState } from "./drift-state";

export function managedUserIds(state: StackState): Set<string> {
    const ids = new Set<string>();
    for (const resource of state.resources) {
        const userId = resource.inputs.userId ?? resource.outputs.userId;
        // A target's Pulumi ID is `userId/targetId`; every other kind's is the user ID.
        ids.add(typeof userId === "string" && userId !== "" ? userId : (resource.id.split("/")[0] ?? resource.id));
    }
    return ids;
}
