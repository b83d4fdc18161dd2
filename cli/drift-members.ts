/**
 * A UserSet is checked for drift member by member: each member is the UserBundle the set applies it as
 * (its inputs and outputs under its user ID, `userId` put back), read and compared by UserBundle's
 * provider, and reported under the set with the member's path (`users["qa-0042"].email`). The set's outputs
 * leave out a member's usual values, restored here as the provider restores them.
 */
import { unpackedOutputs } from "../provider/resources/user-set/members";
import type { StateResource } from "./drift-state";
import { secretKeys } from "./drift-state";

const record = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Every resource as it is checked: a UserSet as its members (only those the set made: in its outputs). */
export function withSetMembers(resources: readonly StateResource[]): StateResource[] {
    return resources.flatMap((resource) => (resource.kind === "UserSet" ? membersOf(resource) : [resource]));
}

function membersOf(set: StateResource): StateResource[] {
    const declared = record(set.inputs.users);
    const made = record(set.outputs.users);
    return Object.keys(made).map((userId) => {
        // The set's project is its members' (the provider reads each member there).
        const project = set.outputs.project ?? set.inputs.project;
        const where = project === undefined ? {} : { project };
        const inputs: Record<string, unknown> = { ...record(declared[userId]), userId, ...where };
        if (set.inputs.__provider !== undefined) inputs.__provider = set.inputs.__provider;
        const outputs = { ...unpackedOutputs(record(made[userId])), userId, ...where };
        return {
            urn: set.urn,
            name: set.name,
            kind: "UserBundle",
            id: userId,
            inputs,
            outputs,
            secrets: secretKeys(inputs, outputs),
            memberOf: "UserSet",
        };
    });
}
