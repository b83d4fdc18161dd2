/** UserTarget's inputs; the identifier is checked by the target's type. */
import { z } from "zod";
import type { CrossCheck } from "../../validation/check";
import { isUnknown } from "../../validation/unknown";
import { appwriteId, EMAIL_RULE, isEmail, isPhone, PHONE_RULE, text } from "../../validation/rules";
import { projectInput } from "../../parts/project";

const TARGET_PROVIDER_TYPES = ["email", "sms", "push"] as const;

const IDENTIFIER_RULE = "1 to 255 characters: an email address for email, an E.164 number for sms, a device token for push";
const TARGET_NAME_RULE = "1 to 128 characters (leave it out rather than empty)";

export const userTargetSchema = z.object({
    userId: appwriteId,
    targetId: appwriteId,
    providerType: z.enum(TARGET_PROVIDER_TYPES, { error: "must be email, sms or push, in lower case" }),
    identifier: text(IDENTIFIER_RULE).refine((v) => v.length >= 1 && v.length <= 255, { error: `must be ${IDENTIFIER_RULE}` }),
    providerId: appwriteId.optional(),
    name: text(TARGET_NAME_RULE)
        .refine((v) => [...v].length >= 1 && [...v].length <= 128, { error: `must be ${TARGET_NAME_RULE}` })
        .optional(),
    project: projectInput,
});

export type UserTargetInputs = z.infer<typeof userTargetSchema>;

/** The identifier is checked by the type of the target, as Appwrite does before anything else. */
export const userTargetCrossCheck: CrossCheck<UserTargetInputs> = (news) => {
    const { providerType, identifier } = news;
    if (typeof identifier !== "string" || isUnknown(identifier) || identifier.length === 0 || identifier.length > 255) return [];
    if (providerType === "email" && !isEmail(identifier)) {
        return [{ property: "identifier", reason: `must be ${EMAIL_RULE} for an email target` }];
    }
    if (providerType === "sms" && !isPhone(identifier)) {
        return [{ property: "identifier", reason: `must be ${PHONE_RULE} for an sms target` }];
    }
    return [];
};
