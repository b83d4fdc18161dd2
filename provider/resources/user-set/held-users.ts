/**
 * The users some UserSet of this run declares. Moving users from one resource per user (User, UserBundle
 * and their parts) into sets is one `up`: the sets take the users over (`adopt`), and at the end the engine
 * deletes the old resources, which would delete the users or clear their parts. Every set announces its
 * members in `check`, which the engine runs for every declared resource before any delete of the run, so a
 * delete of another kind can leave a user a set now holds in place (entry-provider.ts). A `pulumi destroy`
 * runs no check, so it deletes as always.
 */
const held = new Set<string>();

export function noteHeldBySet(userIds: Iterable<string>): void {
    for (const userId of userIds) held.add(userId);
}

/** Whether a UserSet declared in this run holds this user. */
export function heldBySet(userId: unknown): boolean {
    return typeof userId === "string" && held.has(userId);
}

/** Forgets every set's members (tests; a new process starts this way). */
export function resetHeldBySet(): void {
    held.clear();
}
