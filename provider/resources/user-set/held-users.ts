/**
 * The users some UserSet of this run declares, by project. Moving users from one resource per user (User,
 * UserBundle and their parts) into sets is one `up`: the sets take the users over (`adopt`), and at the end
 * the engine deletes the old resources, which would delete the users or clear their parts. Every set
 * announces its members in `check`, which the engine runs for every declared resource before any delete of
 * the run, so a delete of another kind in the same project can leave a user a set now holds in place
 * (parts/entry-provider.ts). A `pulumi destroy` runs no check, so it deletes as always. Both run in the
 * scope of the resource's project (parts/project.ts).
 */
import { currentProject } from "../../appwrite/project-scope";

const held = new Set<string>();

const key = (userId: string) => JSON.stringify([currentProject() ?? null, userId]);

export function noteHeldBySet(userIds: Iterable<string>): void {
    for (const userId of userIds) held.add(key(userId));
}

/** Whether a UserSet declared in this run holds this user in the current project. */
export function heldBySet(userId: unknown): boolean {
    return typeof userId === "string" && held.has(key(userId));
}
