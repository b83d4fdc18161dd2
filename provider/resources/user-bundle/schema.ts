/** UserBundle's inputs: User's, each part's (optional), and the targets, with the parts' rules across fields. */
import { z } from "zod";
import type { CrossCheck } from "../../validation/check";
import { isUnknown } from "../../validation/unknown";
import { inputNames, unknownKeyReason } from "../../parts/input-names";
import { userCrossCheck, userSchema, type UserInputs } from "../user/schema";
import { userLabelsSchema } from "../user-labels/schema";
import { userPrefsSchema } from "../user-prefs/schema";
import { userStatusSchema } from "../user-status/schema";
import { userTargetCrossCheck, userTargetSchema } from "../user-target/schema";

/** A target inside a UserBundle: a UserTarget's inputs without `userId` and `project`, which are the bundle's. */
const bundleTargetSchema = userTargetSchema.omit({ userId: true, project: true });

export type BundleTargetInputs = z.infer<typeof bundleTargetSchema>;

/** The inputs of User, plus those of UserLabels, UserPrefs and UserStatus (each optional) and the targets. */
export const userBundleSchema = userSchema.extend({
    labels: userLabelsSchema.shape.labels.optional(),
    prefs: userPrefsSchema.shape.prefs.optional(),
    blocked: userStatusSchema.shape.blocked.optional(),
    targets: z
        .array(bundleTargetSchema, { error: "must be a list of targets, each { targetId, providerType, identifier, providerId?, name? }" })
        .optional(),
});

export type UserBundleInputs = z.infer<typeof userBundleSchema>;

const TARGET_NAMES = { noun: "input of a target", known: inputNames(bundleTargetSchema) };

/**
 * User's rules across fields, and each target's: its identifier by type, no key a target does not have
 * (zod would drop it without a word), and target IDs unique within the bundle, since its diff and
 * outputs know a target by its ID.
 */
export const userBundleCrossCheck: CrossCheck<UserBundleInputs> = (news) => {
    const failures = userCrossCheck(news as Partial<Record<keyof UserInputs, unknown>>);
    if (!Array.isArray(news.targets)) return failures;
    const seen = new Map<string, number>();
    news.targets.forEach((target: unknown, i) => {
        if (target === null || typeof target !== "object" || Array.isArray(target)) return;
        const fields = target as Record<string, unknown>;
        const at = `targets[${i}]`;
        for (const key of Object.keys(fields)) {
            if (fields[key] !== undefined && !TARGET_NAMES.known.includes(key)) {
                failures.push({ property: `${at}.${key}`, reason: unknownKeyReason(key, TARGET_NAMES) });
            }
        }
        for (const failure of userTargetCrossCheck(fields))
            failures.push({ property: `${at}.${failure.property}`, reason: failure.reason });
        const { targetId } = fields;
        if (typeof targetId !== "string" || isUnknown(targetId)) return;
        const first = seen.get(targetId);
        if (first === undefined) seen.set(targetId, i);
        else
            failures.push({
                property: `${at}.targetId`,
                reason: `is "${targetId}", already the ID of targets[${first}]: each target of a user needs its own ID`,
            });
    });
    return failures;
};
