/**
 * The catalogue of fixes: what to do about each failure the provider can name, worded once. errors.ts
 * attaches them to Appwrite's answers; call sites that know more (a conflict on the user ID rather than the
 * email) pick theirs from `fixes`.
 */
import type { AppwriteException } from "node-appwrite";
import { rateLimitGaveUpOf, rateLimitOf } from "./answer-headers";
import type { ErrorContext } from "./errors";
import { apiKeyCommand, settingOfProject } from "./project-scope";

const inSeconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

function rateLimitFix(err: AppwriteException): string {
    const limit = rateLimitOf(err) ?? {};
    const gaveUp = rateLimitGaveUpOf(err);
    const which = limit.limit === undefined ? "Appwrite's rate limit" : `Appwrite's rate limit of ${limit.limit} requests`;
    const times = gaveUp === undefined ? "" : gaveUp.attempts === 1 ? " once" : ` ${gaveUp.attempts} times`;
    const wait =
        limit.waitMs === undefined
            ? "it named no wait"
            : `it asks to wait ${inSeconds(limit.waitMs)} (${limit.namedBy})` +
              (gaveUp !== undefined && limit.waitMs > gaveUp.maxWaitMs
                  ? `, longer than the ${inSeconds(gaveUp.maxWaitMs)} the provider waits`
                  : "");
    return `${which} refused the request${times}; ${wait}. Nothing was changed by it: run again after the wait, or send fewer requests at once (\`pulumi up --parallel 4\`).`;
}

/** Fixes a call site knows better than the error itself; the wording still lives here. */
export const fixes = {
    adopt: (userId: string) =>
        `A user with ID "${userId}" already exists in Appwrite. Set \`adopt: true\` to take it over ` +
        "(its password is kept unless you declare one), or choose another userId.",
    emailOrPhoneTaken: "Another Appwrite user already has this email or phone; each must be unique in the project.",
    identifierTaken: "Another user or messaging target already uses this email or phone.",
    gone: "The user no longer exists in Appwrite; run `pulumi refresh` (or `pulumi up --refresh`) so Pulumi creates it again.",
    userFirst: "The user does not exist in Appwrite; declare the User resource and pass its `userId` output.",
    targetIdUsed: (targetId: string, holder: string) =>
        `This user already has a target "${targetId}" (${holder}); choose another targetId.`,
    targetIdentifierHeld: (holder: string, identifier: string) =>
        `This user's target ${holder} already has identifier "${identifier}"; only the target Appwrite made for the ` +
        "user's own email or phone, with the same providerType, can be taken over.",
    targetTakenElsewhere: (targetId: string, identifier: string) =>
        `Another user's target already has the ID "${targetId}" or the identifier "${identifier}"; both are unique across the project.`,
    identifierInUse: (holder: string, identifier: string) =>
        `The user's target ${holder} already has identifier "${identifier}"; identifiers are unique across the project, ` +
        "so change or remove that target first.",
    duplicateIdentifier: (identifier: string) =>
        `Appwrite answers this way when another target in the project already has the identifier "${identifier}"; ` +
        "identifiers are unique across the project.",
    bundleOverFiveResources:
        "If the five resources of SeededUsers (or a User of this stack) manage this user, do not set `adopt` alone: their " +
        'deletion at the end of that `up` would delete the user. Take them out of the state first (docs/guides/seed-files.md, "Switching a seed to compact").',
    kindSwitch: (held: string, declared: string) =>
        `the stack holds this user as a ${held} resource${held === "User" ? " (with its UserLabels, UserPrefs, UserStatus and UserTarget resources)" : ""}, ` +
        `and going on with a ${declared} in its place would delete ${held === "User" ? "those" : "it"} at the end of the \`up\`, ` +
        `${held === "User" ? "and with them the labels, prefs, status and targets" : "and with it the Appwrite user"}. Nothing was changed. ` +
        `Take the ${held === "User" ? "five resources" : "UserBundle resources"} out of the state first (\`pulumi state delete\`, nothing is sent to Appwrite), ` +
        'then run `up` with `adopt`: docs/guides/seed-files.md, "Switching a seed to compact".',
    noMessagingProvider: (providerId: string) =>
        `Appwrite stored the target without a messaging provider: no provider with ID "${providerId}" exists in the ` +
        "project. Create it first, or leave providerId out.",
} as const;

function scopeFrom(message: string, operation: string): string {
    const named = /missing scopes? \(\["([^"\]]+)"/.exec(message)?.[1];
    return named ?? (operation === "read" ? "users.read" : "users.write");
}

/** The fix for an Appwrite error of this type in this context, when one is known. */
export function fixFor(err: AppwriteException, ctx: ErrorContext): string | undefined {
    switch (err.type) {
        case "user_unauthorized":
            return `Appwrite rejected the API key: check ${settingOfProject("apiKey")} and that it belongs to the project in ${settingOfProject("projectId", false)}.`;
        case "general_unauthorized_scope":
            return `The API key lacks the ${scopeFrom(err.message, ctx.operation)} scope: add it to the key in the Appwrite console (the provider needs users.read and users.write).`;
        case "project_key_expired":
            return `The API key has expired: create a new one and set it with ${apiKeyCommand()}.`;
        case "project_not_found":
        case "project_id_missing":
            return `Check ${settingOfProject("projectId")}: it must be the ID of an existing project.`;
        case "general_route_not_found":
            return `Check ${settingOfProject("endpoint")}: it must be the API root ending in /v1.`;
        case "user_not_found":
            return ctx.operation === "create" ? fixes.userFirst : fixes.gone;
        case "user_already_exists":
            return fixes.emailOrPhoneTaken;
        case "user_target_already_exists":
        case "user_email_already_exists":
        case "user_phone_already_exists":
            return fixes.identifierTaken;
        default:
            if (err.code === 429) return rateLimitFix(err);
            if (err.code >= 500) return "Appwrite kept answering with a server error; try again later.";
            // node-appwrite refuses an endpoint that is not an http(s) URL before sending anything.
            if (err.code === 0 && /endpoint/i.test(err.message)) {
                return `Check ${settingOfProject("endpoint")}: it must be a URL such as https://fra.cloud.appwrite.io/v1.`;
            }
            return undefined;
    }
}

/** A merge of a shared value (labels, prefs) whose result would be over Appwrite's limit, refused before any write. */
export function describeLimit(over: { what: string; kept: string; limit: string; fix: string }): string {
    return `merging would give the user ${over.what} (${over.kept}); Appwrite allows at most ${over.limit}, so nothing was written. ${over.fix}`;
}
