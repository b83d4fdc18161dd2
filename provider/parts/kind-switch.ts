/**
 * A UserBundle and a User of the same user in one stack are one resource to the engine when the program
 * switches between them with an alias (SeededUsers' `compact` declares one): the new kind's diff then gets
 * the old kind's outputs. Going on would leave the old kind's other resources (labels, prefs, status,
 * targets) to be deleted, or the old bundle, which deletes the user; so such a diff refuses, naming the
 * way to switch, before anything is written.
 */
import { describeError, type AppwriteProviderError } from "../appwrite/errors";
import { fixes } from "../appwrite/fixes";

/** Keys a UserBundle's outputs always hold (null when that part is not managed) and a User's never do. */
const BUNDLE_PARTS = ["labels", "prefs", "blocked", "targets"] as const;

/** Which of the two kinds wrote these outputs. */
function writtenBy(olds: Record<string, unknown>): "User" | "UserBundle" {
    return BUNDLE_PARTS.every((key) => key in olds) ? "UserBundle" : "User";
}

/** The refusal when `olds` were written by the other kind, for `kind`'s diff of this user. */
export function switchRefused(
    kind: "User" | "UserBundle",
    userId: string,
    olds: Record<string, unknown>,
): AppwriteProviderError | undefined {
    const held = writtenBy(olds);
    if (held === kind) return undefined;
    return describeError({ resource: kind, operation: "diff", userId }, new Error(fixes.kindSwitch(held, kind)));
}
