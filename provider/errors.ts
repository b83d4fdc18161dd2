/**
 * The one place that interprets what went wrong: `AppwriteException`s from node-appwrite, network
 * failures from its fetch, missing settings and invalid inputs. Every error leaving a provider method is an
 * `AppwriteProviderError` whose message names the resource kind, the user (and target), the operation,
 * Appwrite's message, `type` and HTTP code, and the fix where one is known.
 */
import { AppwriteException } from "node-appwrite";
import { answerOf, rateLimitGaveUpOf, rateLimitOf } from "./answer";
import type { ResourceKind } from "./kinds";
import { currentProject, projectLabel } from "./project-scope";

/** Where an error happened, as the message will name it. */
export interface ErrorContext {
    resource: ResourceKind;
    /** The provider method: create, read, update, delete. */
    operation: string;
    userId: string;
    targetId?: string;
    /** The request within the operation, e.g. "setting the phone", when an operation sends several. */
    step?: string;
}

/**
 * The single error class thrown by the provider. `id` and `properties` are set only when the resource was
 * made (or changed) before the failure: the dynamic-provider host turns an error carrying `id` into
 * `ErrorResourceInitFailed`, so Pulumi records the half-made resource and the next `up` finishes it.
 */
export class AppwriteProviderError extends Error {
    override readonly name = "AppwriteProviderError";
    readonly resource: ResourceKind;
    readonly operation: string;
    readonly userId: string;
    readonly targetId: string | undefined;
    /** The request within the operation that failed, when the operation sends several. */
    readonly step: string | undefined;
    /** HTTP status from Appwrite; 0 when no answer came (network, settings, input). */
    readonly code: number;
    /** Appwrite's error `type`, e.g. `user_not_found`; "" when Appwrite did not answer. */
    readonly type: string;
    /** The message without the leading "where" (resource, operation, user), for rewording a part's failure. */
    readonly detail: string;
    override readonly cause: unknown;
    id?: string;
    properties?: Record<string, unknown>;
    reasons?: string[];

    constructor(ctx: ErrorContext, detail: string, code: number, type: string, cause: unknown) {
        super(`${where(ctx)}: ${detail}`);
        this.resource = ctx.resource;
        this.operation = ctx.operation;
        this.userId = ctx.userId;
        this.targetId = ctx.targetId;
        this.step = ctx.step;
        this.code = code;
        this.type = type;
        this.detail = detail;
        this.cause = cause;
    }
}

const NOT_FOUND_TYPES = new Set(["user_not_found", "user_target_not_found"]);
const NETWORK_CODES = new Set([
    "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH",
    "ENETUNREACH", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_CLOSED",
]);
const MISSING_SETTING = Symbol("missingSetting");
const INVALID_INPUT = Symbol("invalidInput");

function where(ctx: ErrorContext): string {
    const target = ctx.targetId === undefined ? "" : ` target "${ctx.targetId}"`;
    const step = ctx.step === undefined ? "" : ` while ${ctx.step}`;
    return `${ctx.resource} ${ctx.operation} failed for user "${ctx.userId}"${target}${projectLabel(currentProject())}${step}`;
}

export function isAppwriteException(err: unknown): err is AppwriteException {
    return err instanceof AppwriteException || (err instanceof Error && err.name === "AppwriteException");
}

/** The user (or target) does not exist. A wrong project is a 404 too, but never counts as "gone". */
export function isNotFound(err: unknown): boolean {
    return isAppwriteException(err) && err.code === 404 && NOT_FOUND_TYPES.has(err.type);
}

/** Appwrite refused because something with the same ID, email, phone or identifier exists. */
export function isConflict(err: unknown): boolean {
    return isAppwriteException(err) && err.code === 409;
}

export function appwriteType(err: unknown): string {
    return isAppwriteException(err) ? err.type : "";
}

/** The request never got an answer: connection refused or reset, DNS failure, socket closed. */
export function isNetworkError(err: unknown): boolean {
    if (!(err instanceof Error) || isAppwriteException(err)) return false;
    const cause = (err as { cause?: { code?: unknown } }).cause;
    const code = (err as { code?: unknown }).code ?? cause?.code;
    return err.message === "fetch failed" || (typeof code === "string" && NETWORK_CODES.has(code));
}

/** Worth repeating: no answer arrived, or Appwrite answered with a server error. */
export function isTransient(err: unknown): boolean {
    return isNetworkError(err) || (isAppwriteException(err) && err.code >= 500);
}

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
              (gaveUp !== undefined && limit.waitMs > gaveUp.maxWaitMs ? `, longer than the ${inSeconds(gaveUp.maxWaitMs)} the provider waits` : "");
    return `${which} refused the request${times}; ${wait}. Nothing was changed by it: run again after the wait, or send fewer requests at once (\`pulumi up --parallel 4\`).`;
}

/** A required setting is absent from both the stack config and the environment. */
export function missingSetting(configKey: string, envVar: string, secret: boolean): Error {
    const set = secret ? `pulumi config set --secret ${configKey} <value>` : `pulumi config set ${configKey} <value>`;
    const err = new Error(
        `the setting \`${configKey}\` is not set: run \`${set}\` or set the ${envVar} environment variable`,
    );
    return Object.assign(err, { [MISSING_SETTING]: true });
}

/** Inputs that `check` would have refused reached create or update (e.g. a program run without check). */
export function invalidInput(reasons: readonly string[]): Error {
    return Object.assign(new Error(`invalid inputs: ${reasons.join("; ")}`), { [INVALID_INPUT]: true });
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
    targetIdUsed: (targetId: string, holder: string) => `This user already has a target "${targetId}" (${holder}); choose another targetId.`,
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
        "deletion at the end of that `up` would delete the user. Take them out of the state first (README: switching a seed to compact).",
    kindSwitch: (held: string, declared: string) =>
        `the stack holds this user as a ${held} resource${held === "User" ? " (with its UserLabels, UserPrefs, UserStatus and UserTarget resources)" : ""}, ` +
        `and going on with a ${declared} in its place would delete ${held === "User" ? "those" : "it"} at the end of the \`up\`, ` +
        `${held === "User" ? "and with them the labels, prefs, status and targets" : "and with it the Appwrite user"}. Nothing was changed. ` +
        `Take the ${held === "User" ? "five resources" : "UserBundle resources"} out of the state first (\`pulumi state delete\`, nothing is sent to Appwrite), ` +
        "then run `up` with `adopt`: README, \"Switching a seed to compact\".",
    noMessagingProvider: (providerId: string) =>
        `Appwrite stored the target without a messaging provider: no provider with ID "${providerId}" exists in the ` +
        "project. Create it first, or leave providerId out.",
} as const;

function scopeFrom(message: string, operation: string): string {
    const named = /missing scopes? \(\["([^"\]]+)"/.exec(message)?.[1];
    return named ?? (operation === "read" ? "users.read" : "users.write");
}

function fixFor(err: AppwriteException, ctx: ErrorContext): string | undefined {
    switch (err.type) {
        case "user_unauthorized":
            return "Appwrite rejected the API key: check `appwrite:apiKey` (or APPWRITE_API_KEY) and that it belongs to the project in `appwrite:projectId`.";
        case "general_unauthorized_scope":
            return `The API key lacks the ${scopeFrom(err.message, ctx.operation)} scope: add it to the key in the Appwrite console (the provider needs users.read and users.write).`;
        case "project_key_expired":
            return "The API key has expired: create a new one and set it with `pulumi config set --secret appwrite:apiKey <key>`.";
        case "project_not_found":
        case "project_id_missing":
            return "Check `appwrite:projectId` (or APPWRITE_PROJECT_ID): it must be the ID of an existing project.";
        case "general_route_not_found":
            return "Check `appwrite:endpoint` (or APPWRITE_ENDPOINT): it must be the API root ending in /v1.";
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
                return "Check `appwrite:endpoint` (or APPWRITE_ENDPOINT): it must be a URL such as https://fra.cloud.appwrite.io/v1.";
            }
            return undefined;
    }
}

function appwriteDetail(err: AppwriteException, fix: string | undefined): string {
    const type = err.type === "" ? "no type" : err.type;
    const status = err.code === 0 ? "before any request" : `HTTP ${err.code}`;
    const message = err.message.replace(/\.\s*$/, "") || "no message";
    return `${message} (${type}, ${status})` + (fix === undefined ? "" : `. ${fix}`);
}

/**
 * An answer without Appwrite's error `type` did not come from Appwrite (every Appwrite error has one): a
 * web server's or proxy's page, e.g. an HTML 404 from an endpoint that is not the API root. Its body is
 * left out, since it is a whole page; the URL tried and what came back are named instead.
 */
function notAppwriteDetail(err: AppwriteException): string | undefined {
    if (err.code === 0 || err.code === 429 || (err.type ?? "") !== "") return undefined;
    const answer = answerOf(err);
    const contentType = answer?.headers["content-type"]?.split(";")[0]?.trim();
    const request = answer === undefined ? "the request" : `${answer.method} ${answer.url}`;
    const body = contentType === undefined || contentType === "" ? "an answer without a content type" : `a ${contentType} answer`;
    return (
        `the endpoint did not answer like Appwrite: ${request} got HTTP ${err.code} with ${body}, not an Appwrite error. ` +
        "Check `appwrite:endpoint` (or APPWRITE_ENDPOINT): it must be the API root of an Appwrite server, ending in /v1, " +
        "such as https://fra.cloud.appwrite.io/v1."
    );
}

/**
 * Turns anything thrown into an `AppwriteProviderError` naming `ctx`. `fix` replaces the generic advice
 * when the call site knows more (e.g. that the conflicting user has the same ID).
 */
export function describeError(ctx: ErrorContext, err: unknown, fix?: string): AppwriteProviderError {
    if (err instanceof AppwriteProviderError) return err;
    if (isAppwriteException(err)) {
        const detail = notAppwriteDetail(err) ?? appwriteDetail(err, fix ?? fixFor(err, ctx));
        return new AppwriteProviderError(ctx, detail, err.code, err.type ?? "", err);
    }
    return new AppwriteProviderError(ctx, unansweredDetail(err), 0, "", err);
}

/** What went wrong when Appwrite gave no answer: a missing setting, invalid input, the network, or anything else. */
function unansweredDetail(err: unknown): string {
    if (isNetworkError(err)) {
        const cause = (err as { cause?: unknown }).cause;
        const why = cause instanceof Error ? cause.message : (err as Error).message;
        const project = currentProject();
        const setting = project === undefined ? "`appwrite:endpoint` (or APPWRITE_ENDPOINT)" : `\`appwrite:projects.${project}.endpoint\` (or appwrite:endpoint when it has none)`;
        return `could not reach Appwrite (${why}, network error). Check ${setting}: the endpoint is unreachable.`;
    }
    return err instanceof Error ? err.message : String(err);
}

/** Runs one provider operation (or one step of it) and words whatever it throws. */
export async function attempt<T>(ctx: ErrorContext, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } catch (err) {
        throw describeError(ctx, err);
    }
}

/**
 * Marks `err` as a failure after the resource `id` was made or changed, carrying the outputs as they are
 * now, so Pulumi keeps the resource and its next `up` updates it to the declared inputs.
 */
export function partiallyApplied(err: unknown, ctx: ErrorContext, id: string, properties: Record<string, unknown>): AppwriteProviderError {
    const described = describeError(ctx, err);
    described.id = id;
    described.properties = properties;
    described.reasons = [described.message];
    return described;
}

/**
 * A failure of one part of a UserBundle (its User, labels, prefs, status or a target), worded as the
 * bundle's: the same detail, code and type, with the part's target and step (or `step` when the part named
 * none). With `properties`, the error carries the bundle's outputs so far under the user ID, so Pulumi
 * records the bundle and its next `up` applies only what is still missing.
 */
export function bundlePartFailed(err: unknown, ctx: ErrorContext, step: string, properties?: Record<string, unknown>, hint?: string): AppwriteProviderError {
    const part = err instanceof AppwriteProviderError ? err : describeError({ ...ctx, step }, err);
    const where: ErrorContext = { ...ctx, step: part.step ?? step };
    if (part.targetId !== undefined) where.targetId = part.targetId;
    const detail = hint === undefined ? part.detail : `${part.detail.replace(/\.?$/, ".")} ${hint}`;
    const worded = new AppwriteProviderError(where, detail, part.code, part.type, part.cause);
    if (properties === undefined) return worded;
    worded.id = ctx.userId;
    worded.properties = properties;
    worded.reasons = [worded.message];
    return worded;
}

/** The scopes Appwrite names in a `general_unauthorized_scope` message, e.g. `missing scopes (["users.write","sessions.write"])`. */
export function missingScopes(err: unknown): string[] {
    if (!isAppwriteException(err) || err.type !== "general_unauthorized_scope") return [];
    const listed = /missing scopes? \((\[[^\]]*\])\)/.exec(err.message)?.[1];
    try {
        const scopes: unknown = listed === undefined ? [] : JSON.parse(listed);
        return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === "string") : [];
    } catch {
        return [];
    }
}

/**
 * Words a failure of a request made outside any resource (the SDK's lookups and session helper, the
 * `appwrite-users` command). `action` says what was attempted, e.g. `creating a session for user "ci"`;
 * `fix` replaces the generic advice when the caller knows more. Appwrite's messages never carry secrets.
 */
export function describeRequestError(action: string, err: unknown, fix?: string): Error {
    if (isAppwriteException(err)) {
        const scopes = missingScopes(err);
        const advice =
            fix ??
            (scopes.length > 0
                ? `The API key lacks the scope for this: give it ${scopes.map((s) => `\`${s}\``).join(" or ")} in the Appwrite console.`
                : err.type === "user_not_found"
                  ? "No Appwrite user has this ID; check the user ID (and that the key belongs to the right project)."
                  : fixFor(err, { resource: "User", operation: "read", userId: "" }));
        return new Error(`${action} failed: ${appwriteDetail(err, advice)}`, { cause: err });
    }
    return new Error(`${action} failed: ${unansweredDetail(err)}`, { cause: err });
}
