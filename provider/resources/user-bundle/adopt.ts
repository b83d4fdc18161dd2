/**
 * What an adopting UserBundle finds already in place: the user's live labels, prefs and block status, and
 * each declared target that Appwrite already holds as declared (its ID, type and identifier, and its name
 * and provider where declared). The bundle starts from these as if it had set them, so it writes only the
 * parts that differ, and adopting a user whose every declared part agrees sends no write at all.
 */
import type { BundleTargetInputs, UserBundleInputs } from "./schema";
import { identifierEquality } from "../user-target/target-match";
import type { BundleTargetOutputs, UserBundleOutputs } from "./parts";
import type { Prefs } from "../user-prefs/provider";
import type { AppwriteUser } from "../../appwrite/users";

type Target = AppwriteUser["targets"][number];

function asDeclared(live: Target, declared: BundleTargetInputs): boolean {
    return (
        live.$id === declared.targetId &&
        live.providerType === declared.providerType &&
        identifierEquality(declared.providerType)(live.identifier, declared.identifier) &&
        (declared.name === undefined || (live.name ?? "") === declared.name) &&
        (declared.providerId === undefined || (live.providerId ?? null) === declared.providerId)
    );
}

function targetOutputs(live: Target, declared: BundleTargetInputs): BundleTargetOutputs {
    return {
        targetId: declared.targetId,
        providerType: live.providerType,
        identifier: live.identifier,
        providerId: live.providerId ?? null,
        name: live.name ?? "",
        appwriteTargetId: live.$id,
        takenOver: false,
        expired: live.expired === true,
    };
}

/** The declared parts as the live user has them; parts not declared stay unmanaged (null). */
export function adoptedParts(
    live: AppwriteUser,
    inputs: UserBundleInputs,
): Pick<UserBundleOutputs, "labels" | "prefs" | "blocked" | "targets"> {
    const targets = inputs.targets?.flatMap((declared) => {
        const found = live.targets.find((t) => asDeclared(t, declared));
        return found === undefined ? [] : [targetOutputs(found, declared)];
    });
    return {
        labels: inputs.labels === undefined ? null : live.labels,
        prefs: inputs.prefs === undefined ? null : (live.prefs as Prefs),
        blocked: inputs.blocked === undefined ? null : !live.status,
        targets: targets ?? null,
    };
}
