/**
 * Whether a user that blocks a create (409 `user_already_exists` on its ID) is the one this very create
 * made in an earlier run whose result never reached the state: a `pulumi up` killed while the create was
 * in flight leaves the user in Appwrite and only a pending operation in the state, which
 * `pulumi refresh --clear-pending-creates` then drops. The next `up` sends the same create again.
 *
 * Taking a user over is safe only if nothing about it could come from anyone else, so the user must be
 * exactly what the create (and the updates `create` sends right after it) would have left, and untouched since:
 * - the same email (as Appwrite lower-cases it), phone and name;
 * - its password set by the create itself and never since (`passwordUpdate` within a second of
 *   `registration`), or for `passwordHash` the same algorithm and the very hash declared, or no password
 *   at all when none is declared;
 * - no labels, no prefs, not blocked, no sessions, no targets but the ones Appwrite makes for its own
 *   email and phone: the stack's UserLabels, UserPrefs, UserStatus and UserTarget wait for the User, so
 *   they cannot have run, and a user anyone has used or edited has some of these;
 * - verification, MFA and impersonator flags at Appwrite's defaults or at the declared values.
 * The registration time alone proves nothing and is not used. The password is the one thing that can not
 * be checked (Appwrite returns only its hash), so a recognised user gets the declared password again.
 */
import type { UserInputs } from "./schema";
import type { AppwriteUser } from "../../appwrite/users";

/** The largest gap between `registration` and `passwordUpdate` of a user created with a password. */
const SAME_WRITE_MS = 1_000;

function passwordDifference(user: AppwriteUser, inputs: UserInputs): string | undefined {
    const hashed = inputs.passwordHash;
    if (hashed !== undefined) {
        const sameHash = user.hash === hashed.algorithm && user.password === hashed.hash;
        return sameHash ? undefined : "its password hash is not the declared one";
    }
    if (inputs.password === undefined) return user.passwordUpdate ? "it has a password and none is declared" : undefined;
    if (!user.passwordUpdate) return "it has no password";
    const gap = Date.parse(user.passwordUpdate) - Date.parse(user.registration);
    return Number.isFinite(gap) && gap >= 0 && gap <= SAME_WRITE_MS ? undefined : "its password was changed after it was created";
}

/** Flags `create` sets after the create request: Appwrite's default, or the declared value. */
function flagDifferences(user: AppwriteUser, inputs: UserInputs): string[] {
    const flags: [string, boolean, boolean | undefined][] = [
        ["emailVerification", user.emailVerification, inputs.emailVerification],
        ["phoneVerification", user.phoneVerification, inputs.phoneVerification],
        ["mfa", user.mfa, inputs.mfa],
        ["impersonator", user.impersonator === true, inputs.impersonator],
    ];
    return flags.filter(([, live, declared]) => live && declared !== true).map(([name]) => `${name} is on`);
}

function ownTargetsOnly(user: AppwriteUser): boolean {
    return user.targets.every(
        (t) =>
            (t.providerType === "email" && user.email !== "" && t.identifier.toLowerCase() === user.email.toLowerCase()) ||
            (t.providerType === "sms" && user.phone !== "" && t.identifier === user.phone),
    );
}

/**
 * What tells `user` apart from the user this create would have made, worded for the error; empty when
 * they cannot be told apart and the user may be taken over. `sessions` is the user's session count.
 */
export function differencesFromCreate(user: AppwriteUser, inputs: UserInputs, sessions: number): string[] {
    // A pre-hashed create takes no phone: `create` sets it right after, so either value is its own.
    const phoneLater = inputs.passwordHash !== undefined && user.phone === "";
    const differences = [
        (user.email ?? "") !== (inputs.email ?? "").toLowerCase() && "its email differs",
        (user.phone ?? "") !== (inputs.phone ?? "") && !phoneLater && "its phone differs",
        user.name !== (inputs.name ?? "") && "its name differs",
        passwordDifference(user, inputs),
        ...flagDifferences(user, inputs),
        user.labels.length > 0 && "it has labels",
        Object.keys(user.prefs ?? {}).length > 0 && "it has prefs",
        !user.status && "it is blocked",
        sessions > 0 && "it has sessions",
        !ownTargetsOnly(user) && "it has messaging targets",
    ];
    return differences.filter((d): d is string => typeof d === "string");
}
