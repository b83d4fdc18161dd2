import { type Handler, type RouteContext, newTarget, requireUser, source } from "./context";
import { cursorNotFound, targetAlreadyExists, userEmailAlreadyExists, userPhoneAlreadyExists } from "./errors";
import { argon2Defaults, hashPlaintext } from "./hashing";
import { phpJsonEncode, phpRoundTrip, prefsModel, targetModel, userModel } from "./models";
import { runList, searchMatcher } from "./list-engine";
import { USER_SCHEMA, parseQueries } from "./queries";
import type { Json, Prefs, UserRecord } from "./store";
import { formatDate } from "./store";
import {
    LABEL_CHARS,
    type Validator,
    arrayList,
    boolean,
    email,
    passwordFormat,
    phone,
    readParams,
    text,
    toBoolean,
    uid,
} from "./validators";

const userIdParam = { name: "userId", validator: uid };

const ok = (body: Json) => ({ status: 200, body });

export const getUser: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam]);
    return ok(userModel(ctx.store, requireUser(ctx, p.userId)));
};

export const deleteUser: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam]);
    ctx.store.deleteUser(requireUser(ctx, p.userId));
    return { status: 204 };
};

/** The hidden `search` attribute Appwrite recomputes on every write. */
const searchText = (u: UserRecord): string =>
    [u.$id, u.email, u.name, u.phone, ...u.labels.map((l) => `label:${l}`)].filter((s) => s).join(" ");

function userAttribute(u: UserRecord, attribute: string): unknown {
    if (attribute === "$sequence") return u.seq;
    if (attribute === "labels") return u.labels;
    return (u as unknown as Record<string, unknown>)[attribute] ?? null;
}

export const listUsers: Handler = (ctx) => {
    const p = readParams(ctx.params, [
        { name: "queries", validator: { description: "", isValid: () => true }, optional: true, default: [] },
        { name: "search", validator: text(256), optional: true, default: "" },
        { name: "total", validator: boolean(true), optional: true, default: true },
    ]);
    const plan = parseQueries(p.queries ?? [], USER_SCHEMA);
    let cursorItem: UserRecord | undefined;
    if (plan.cursor) {
        cursorItem = ctx.store.user(plan.cursor.id);
        if (!cursorItem) throw cursorNotFound("User", plan.cursor.id);
    }
    const term = (p.search as string | null) ?? "";
    const matcher = term === "" ? undefined : searchMatcher(term);
    const { total, page } = runList(ctx.store.users.values(), plan, {
        schema: USER_SCHEMA,
        get: userAttribute,
        cursorItem,
        search: matcher && ((u) => matcher(searchText(u))),
        withTotal: p.total === null || toBoolean(p.total),
    });
    return ok({ total, users: page.map((u) => userModel(ctx.store, u)) });
};

/** Reads `{userId, <name>}` and applies a plain field change, answering the updated User. */
function fieldUpdate(name: string, validator: Validator, apply: (v: unknown) => Partial<UserRecord>): Handler {
    return (ctx) => {
        const p = readParams(source(ctx), [userIdParam, { name, validator }]);
        const user = requireUser(ctx, p.userId);
        ctx.store.updateUser(user, apply(p[name]), ctx.nowMs);
        return ok(userModel(ctx.store, user));
    };
}

export const updateName = fieldUpdate("name", text(128, 0), (v) => ({ name: v as string }));
export const updateEmailVerification = fieldUpdate("emailVerification", boolean(false), (v) => ({ emailVerification: v as boolean }));
export const updatePhoneVerification = fieldUpdate("phoneVerification", boolean(false), (v) => ({ phoneVerification: v as boolean }));
export const updateMfa = fieldUpdate("mfa", boolean(false), (v) => ({ mfa: v as boolean }));
export const updateStatus = fieldUpdate("status", boolean(true), (v) => ({ status: toBoolean(v) }));
export const updateImpersonator = fieldUpdate("impersonator", boolean(true), (v) => ({ impersonator: toBoolean(v) }));

const labelsValidator = arrayList(text(36, 1, LABEL_CHARS), 1000);

/** Labels are de-duplicated keeping the first occurrence (case-sensitive) and never sorted. */
export const updateLabels = fieldUpdate("labels", labelsValidator, (v) => ({
    labels: [...new Set(Object.values(v as object) as string[])],
}));

/**
 * Appwrite's Assoc: a PHP associative array (a JSON object, or an empty list) whose json_encode is at most
 * 65535 bytes.
 */
const prefsValidator: Validator = {
    description: "Value must be a valid object.",
    isValid: (v) => {
        if (v === null || typeof v !== "object") return false;
        const php = phpRoundTrip(v as Json);
        if (Buffer.byteLength(phpJsonEncode(php)) > 65535) return false;
        return !Array.isArray(php) || php.length === 0;
    },
};

export const getPrefs: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam]);
    return ok(prefsModel(requireUser(ctx, p.userId).prefs));
};

/** Prefs are replaced whole, stored as PHP would decode them, and the stored prefs (not the User) answered. */
export const updatePrefs: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, { name: "prefs", validator: prefsValidator }]);
    const user = requireUser(ctx, p.userId);
    const decoded = phpRoundTrip(p.prefs as Json);
    // Top-level empty prefs are one value whether sent as {} or [], so replacing {} with {} is no change.
    const prefs: Prefs = Array.isArray(decoded) ? {} : (decoded as Prefs);
    ctx.store.updateUser(user, { prefs }, ctx.nowMs);
    return ok(prefsModel(prefs));
};

export const updatePassword: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, { name: "password", validator: passwordFormat(true) }]);
    const user = requireUser(ctx, p.userId);
    const now = formatDate(ctx.nowMs);
    if (p.password === "") {
        // Appwrite answers with `password: ""` and then, in the same request, stores an argon2 hash of "".
        ctx.store.updateUser(user, { password: "", passwordUpdate: now }, ctx.nowMs);
        const reply = ok(userModel(ctx.store, user));
        ctx.store.updateUser(user, { password: hashPlaintext(""), hash: "argon2", hashOptions: argon2Defaults() }, ctx.nowMs);
        ctx.store.side.deleteSessionsOf(user.seq);
        return reply;
    }
    ctx.store.updateUser(
        user,
        { password: hashPlaintext(p.password as string), passwordUpdate: now, hash: "argon2", hashOptions: argon2Defaults() },
        ctx.nowMs,
    );
    // A new project's `auths.invalidateSessions` is on, so a password change ends every session.
    ctx.store.side.deleteSessionsOf(user.seq);
    return ok(userModel(ctx.store, user));
};

/**
 * The target side of updateEmail/updatePhone: the user's target holding the old value changes in place, is
 * deleted when the value is cleared, or is created when none is found. The response is built before this
 * and patched in memory, so it keeps a deleted target and an updated one's old `$updatedAt`.
 */
function syncTarget(
    ctx: RouteContext,
    user: UserRecord,
    providerType: "email" | "sms",
    oldValue: string | null,
    newValue: string,
    response: Array<Record<string, Json>>,
): void {
    const old = ctx.store.userTargets(user).find((t) => oldValue !== null && t.identifier === oldValue);
    if (old) {
        const shown = response.find((t) => t.$id === old.$id);
        if (newValue !== "") {
            ctx.store.updateTarget(old, { identifier: newValue }, ctx.nowMs);
            if (shown) shown.identifier = newValue;
        } else {
            ctx.store.deleteTarget(old);
        }
    } else if (newValue !== "") {
        response.push(targetModel(newTarget(ctx, user, { providerType, identifier: newValue })));
    }
}

export const updateEmail: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, { name: "email", validator: email(true) }]);
    const user = requireUser(ctx, p.userId);
    const value = (p.email as string).toLowerCase();
    if (value !== "" && ctx.store.targetByIdentifier(value)) throw targetAlreadyExists();
    const holder = ctx.store.userIdByEmail(value);
    if (holder !== undefined && holder !== user.$id) throw userEmailAlreadyExists();
    const oldValue = user.email;
    ctx.store.updateUser(user, { email: value, emailVerification: false }, ctx.nowMs);
    const targets = ctx.store.userTargets(user).map(targetModel);
    syncTarget(ctx, user, "email", oldValue, value, targets);
    return ok(userModel(ctx.store, user, targets));
};

export const updatePhone: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, { name: "number", validator: phone(true) }]);
    const user = requireUser(ctx, p.userId);
    const value = p.number as string;
    if (value !== "" && ctx.store.targetByIdentifier(value)) throw targetAlreadyExists();
    const holder = value === "" ? undefined : ctx.store.userIdByPhone(value);
    if (holder !== undefined && holder !== user.$id) throw userPhoneAlreadyExists();
    const oldValue = user.phone;
    ctx.store.updateUser(user, { phone: value === "" ? null : value, phoneVerification: false }, ctx.nowMs);
    const targets = ctx.store.userTargets(user).map(targetModel);
    syncTarget(ctx, user, "sms", oldValue, value, targets);
    return ok(userModel(ctx.store, user, targets));
};
