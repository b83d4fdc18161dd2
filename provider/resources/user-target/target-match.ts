/**
 * Which of a user's targets a UserTarget create stands for: the one it made itself (its answer lost, or an
 * interrupted earlier run that the state never learnt of), or the one Appwrite made for the user's own email
 * or phone, which it takes over. Identifiers compare the way Appwrite's unique index does.
 */
import type { Models } from "node-appwrite";
import { sameEmail, sameValue, type Equality } from "../../parts/diff";
import type { UserTargetInputs } from "./schema";
import type { AppwriteUser } from "../../appwrite/users";

/** Email identifiers compare as email addresses do; sms numbers and push tokens exactly. */
export function identifierEquality(providerType: unknown): Equality {
    return providerType === "email" ? sameEmail : sameValue;
}

/**
 * Whether two identifiers are one entry of Appwrite's unique index on identifiers, which ignores case for
 * every type (its MariaDB collation is case-insensitive), even though push tokens are stored as given.
 */
export const sameIdentifierKey: Equality = (a, b) =>
    typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : sameValue(a, b);

/** Whether `target` is the one Appwrite made for the user's own email or phone. */
function madeByAppwrite(user: AppwriteUser, target: Models.Target): boolean {
    if (target.providerType === "email") return user.email !== "" && sameEmail(target.identifier, user.email);
    return target.providerType === "sms" && user.phone !== "" && target.identifier === user.phone;
}

function matching(args: UserTargetInputs): (t: Models.Target) => boolean {
    const same = identifierEquality(args.providerType);
    return (t) => t.providerType === args.providerType && same(t.identifier, args.identifier);
}

/**
 * Whether `target` is exactly what this create makes: its ID, type and identifier, the declared name (or
 * none), and the declared provider (or none; Appwrite drops a provider it does not know), never expired.
 */
function madeByThisCreate(target: Models.Target, args: UserTargetInputs): boolean {
    const providerId = target.providerId ?? "";
    return (
        target.$id === args.targetId &&
        matching(args)(target) &&
        (target.name ?? "") === (args.name ?? "") &&
        (providerId === "" || providerId === args.providerId) &&
        target.expired !== true
    );
}

/**
 * The target this create made, found after an earlier answer was lost, or after a 409 on its ID when an
 * interrupted run made it and the state never learnt it. Anything that differs is someone else's.
 */
export function ownTarget(user: AppwriteUser | undefined, args: UserTargetInputs): Models.Target | undefined {
    return user?.targets.find((t) => madeByThisCreate(t, args));
}

/** After a 409: this create's own target, or the target Appwrite made for the user's email or phone. */
export function existingTarget(
    user: AppwriteUser | undefined,
    args: UserTargetInputs,
): { target: Models.Target; takenOver: boolean } | undefined {
    const own = ownTarget(user, args);
    if (own !== undefined) return { target: own, takenOver: false };
    const matches = matching(args);
    const made = user?.targets.find((t) => matches(t) && madeByAppwrite(user, t));
    return made === undefined ? undefined : { target: made, takenOver: true };
}
