/**
 * The one place that interprets what went wrong: `AppwriteException`s from node-appwrite, network
 * failures from its fetch, missing settings and invalid inputs. Every error leaving a provider method is an
 * `AppwriteProviderError` whose message names the resource kind, the user (and target), the operation,
 * Appwrite's message, `type` and HTTP code, and the fix where one is known (the fixes are worded in
 * fixes.ts).
 */
import type { AppwriteException } from "node-appwrite";
import type { ResourceKind } from "../kinds";
import { answerOf } from "./answer-headers";
import { isAppwriteException } from "./load-node-appwrite";
import { fixFor } from "./fixes";
import { currentProject, projectLabel, settingOfProject } from "./project-scope";

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

/** The context of one operation of one resource; a target's ID is named only for UserTarget. */
export function context(resource: ResourceKind, operation: string, userId: unknown, targetId?: unknown): ErrorContext {
    const ctx: ErrorContext = { resource, operation, userId: String(userId ?? "") };
    if (targetId !== undefined) ctx.targetId = String(targetId ?? "");
    return ctx;
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
    /**
     * Set when the failure is a create that met an existing Appwrite user with the same ID, not one an
     * interrupted run of this create made: `adopt` would take it over.
     */
    adoptable = false;
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
    "ECONNREFUSED",
    "ECONNRESET",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "EPIPE",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "UND_ERR_SOCKET",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_HEADERS_TIMEOUT",
    "UND_ERR_CLOSED",
]);

function where(ctx: ErrorContext): string {
    const target = ctx.targetId === undefined ? "" : ` target "${ctx.targetId}"`;
    const step = ctx.step === undefined ? "" : ` while ${ctx.step}`;
    return `${ctx.resource} ${ctx.operation} failed for user "${ctx.userId}"${target}${projectLabel(currentProject())}${step}`;
}

export { isAppwriteException };

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
function isNetworkError(err: unknown): boolean {
    if (!(err instanceof Error) || isAppwriteException(err)) return false;
    const cause = (err as { cause?: { code?: unknown } }).cause;
    const code = (err as { code?: unknown }).code ?? cause?.code;
    return err.message === "fetch failed" || (typeof code === "string" && NETWORK_CODES.has(code));
}

/** Worth repeating: no answer arrived, or Appwrite answered with a server error. */
export function isTransient(err: unknown): boolean {
    return isNetworkError(err) || (isAppwriteException(err) && err.code >= 500);
}

/** A required setting is absent from both the stack config and the environment. */
export function missingSetting(configKey: string, envVar: string, secret: boolean): Error {
    const set = secret ? `pulumi config set --secret ${configKey} <value>` : `pulumi config set ${configKey} <value>`;
    return new Error(`the setting \`${configKey}\` is not set: run \`${set}\` or set the ${envVar} environment variable`);
}

/** Inputs that `check` would have refused reached create or update (e.g. a program run without check). */
export function invalidInput(reasons: readonly string[]): Error {
    return new Error(`invalid inputs: ${reasons.join("; ")}`);
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
        `Check ${settingOfProject("endpoint")}: it must be the API root of an Appwrite server, ending in /v1, ` +
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
        return `could not reach Appwrite (${why}, network error). Check ${settingOfProject("endpoint")}: the endpoint is unreachable.`;
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
export function bundlePartFailed(
    err: unknown,
    ctx: ErrorContext,
    step: string,
    properties?: Record<string, unknown>,
    hint?: string,
): AppwriteProviderError {
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

/**
 * The failure of a UserSet operation on some of its members: every failed member's error (each already
 * worded with `bundlePartFailed` under the set), one per line. With `properties`, it carries the set's
 * outputs so far under `id`, so Pulumi records what was done and the next `up` does only what is missing.
 */
export function setMembersFailed(
    operation: string,
    failed: readonly AppwriteProviderError[],
    total: number,
    id?: string,
    properties?: Record<string, unknown>,
): AppwriteProviderError {
    const [first] = failed;
    const worded = new AppwriteProviderError(
        { resource: "UserSet", operation, userId: first?.userId ?? "" },
        first?.detail ?? "",
        first?.code ?? 0,
        first?.type ?? "",
        first?.cause,
    );
    const count = failed.length === 1 ? "1 user" : `${failed.length} users`;
    worded.message = `UserSet ${operation} failed for ${count} of ${total}:\n${failed.map((f) => `  - ${f.message}`).join("\n")}`;
    if (id === undefined || properties === undefined) return worded;
    worded.id = id;
    worded.properties = properties;
    worded.reasons = failed.map((f) => f.message);
    return worded;
}
