/**
 * UserPrefs: the preferences of one user. Appwrite replaces prefs wholesale (no merge). With `exclusive`
 * (the default) this resource owns the whole object; with `exclusive: false` only its declared top-level
 * keys, and every write merges them into the live prefs (shared-value.ts).
 *
 * - create, update: `PATCH /v1/users/{userId}/prefs` (`updatePrefs`), which answers with the prefs object,
 *   not the user. Not exclusive: a fresh read, then the live prefs less the keys dropped from the program,
 *   with the declared keys set; no write when that is what Appwrite holds.
 * - read: the user document, through users.ts; not exclusive, only the declared keys are reported.
 * - delete: exclusive, `updatePrefs` with `{}`; not exclusive, the live prefs less the declared keys. A user
 *   that is already gone counts as done.
 * - Replaced when `userId` changes; switching `exclusive` is an in-place update. Prefs compare by value;
 *   Appwrite hands a nested `{}` back as `[]` (PHP arrays), so both sides are normalised the way PHP would
 *   store them before comparing.
 */
import type { CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import { appwriteUsers } from "./connection";
import { diffDeclared, sameValue, type DiffSpec } from "./diff";
import { attempt, isNotFound, type ErrorContext } from "./errors";
import { retrying } from "./retry";
import { checkInputs, containsUnknown, isUnknown, MAX_PREFS_BYTES, normalizePrefs, parseInputs, phpJsonLength, userPrefsSchema } from "./schema";
import { isExclusive, liveUser, modeConflicts, oneAtATime } from "./shared-value";
import { forgetUser, getUser } from "./users";

export type Prefs = Record<string, unknown>;

export interface UserPrefsOutputs {
    userId: string;
    /** As Appwrite holds them (nested empty objects come back as `[]`). Not exclusive: only the declared keys. */
    prefs: Prefs;
    /** As declared; null when left out (exclusive). */
    exclusive: boolean | null;
}

type Props = Record<string, unknown>;

/** Whether Appwrite would hold the same prefs for both; a value still unknown always differs. */
export function samePrefs(a: unknown, b: unknown): boolean {
    return !containsUnknown(b) && sameValue(normalizePrefs(a), normalizePrefs(b));
}

/** Appwrite's JSON parser yields BigInt for integers beyond 2^53, which Pulumi cannot store. */
function jsonSafe(value: unknown): unknown {
    if (typeof value === "bigint") return Number(value);
    if (Array.isArray(value)) return value.map(jsonSafe);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonSafe(item)]));
    }
    return value;
}

function asPrefs(value: unknown): Prefs {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Prefs) : {};
}

/** Only `keys` of `prefs`, those it has. */
function pick(prefs: Prefs, keys: readonly string[]): Prefs {
    return Object.fromEntries(keys.filter((key) => Object.hasOwn(prefs, key)).map((key) => [key, prefs[key]]));
}

/** The live prefs without the keys in `dropped`, with `declared` set over them. */
export function mergePrefs(live: Prefs, dropped: readonly string[], declared: Prefs): Prefs {
    const kept = Object.entries(live).filter(([key]) => !dropped.includes(key) || Object.hasOwn(declared, key));
    return { ...Object.fromEntries(kept), ...declared };
}

function outputs(userId: string, prefs: unknown, exclusive: boolean | undefined, declared?: readonly string[]): UserPrefsOutputs {
    const live = asPrefs(prefs);
    return { userId, prefs: jsonSafe(declared === undefined ? live : pick(live, declared)) as Prefs, exclusive: exclusive ?? null };
}

/** Prefs set by the new resource on the same user would be reset by deleting the old one afterwards. */
function sameUser(olds: Props, news: Props): boolean {
    return isUnknown(news.userId) || news.userId === olds.userId;
}

const diffSpec: DiffSpec = { replaceKeys: ["userId"], ignoreKeys: ["exclusive"], equality: { prefs: samePrefs }, collides: sameUser };

function context(operation: string, userId: string): ErrorContext {
    return { resource: "UserPrefs", operation, userId };
}

async function patchPrefs(ctx: ErrorContext, prefs: Prefs): Promise<unknown> {
    const users = await appwriteUsers();
    forgetUser(ctx.userId);
    return retrying(() => users.updatePrefs({ userId: ctx.userId, prefs }));
}

/**
 * Reads the live prefs, merges (drops `dropped`, sets `declared`) and writes the result in one request,
 * unless it is what Appwrite holds; fails before writing when the result is over Appwrite's limit. A user
 * Appwrite does not have is left to the write, which Appwrite refuses with user_not_found.
 */
function mergeInto(ctx: ErrorContext, dropped: readonly string[], declared: Prefs): Promise<unknown> {
    return oneAtATime("UserPrefs", ctx.userId, async () => {
        const user = await liveUser(ctx.userId);
        const live = asPrefs(user?.prefs);
        const merged = mergePrefs(live, dropped, declared);
        const size = phpJsonLength(normalizePrefs(jsonSafe(merged)));
        if (size > MAX_PREFS_BYTES) {
            const declaredSize = phpJsonLength(normalizePrefs(declared));
            throw new Error(
                `merging would give the user prefs of ${size} bytes as Appwrite measures them (this resource's keys ` +
                    `${declaredSize} bytes, the ${Object.keys(merged).length - Object.keys(declared).length} other keys the rest); ` +
                    `Appwrite allows at most ${MAX_PREFS_BYTES}, so nothing was written. Declare smaller prefs, or remove keys the application set`,
            );
        }
        if (user !== undefined && samePrefs(jsonSafe(live), jsonSafe(merged))) return live;
        return patchPrefs(ctx, merged);
    });
}

function declaredKeys(props: Props): string[] {
    return Object.keys(asPrefs(props.prefs));
}

export const userPrefsProvider: ResourceProvider = {
    async check(_olds: Props, news: Props): Promise<CheckResult> {
        return checkInputs(userPrefsSchema, news, () => modeConflicts("UserPrefs", news));
    },

    async diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
        const result = diffDeclared(olds, news, diffSpec);
        if (result.replaces) return result;
        // A switch of mode, or declaring the default, is an in-place update, so outputs record it.
        const changes = result.changes || (olds.exclusive ?? null) !== (news.exclusive ?? null);
        return { changes, deleteBeforeReplace: sameUser(olds, news) };
    },

    async create(inputs: Props): Promise<CreateResult> {
        const ctx = context("create", String(inputs.userId));
        return attempt(ctx, async () => {
            const { userId, prefs, exclusive } = parseInputs(userPrefsSchema, inputs);
            if (exclusive !== false) return { id: userId, outs: outputs(userId, await patchPrefs(ctx, prefs), exclusive) };
            return { id: userId, outs: outputs(userId, await mergeInto(ctx, [], prefs), exclusive, Object.keys(prefs)) };
        });
    },

    async read(id: string, props?: Props): Promise<ReadResult> {
        const userId = id || String(props?.userId ?? "");
        const user = await attempt(context("read", userId), () => getUser(userId));
        if (user === undefined) return { id: "" };
        const exclusive = typeof props?.exclusive === "boolean" ? props.exclusive : undefined;
        const outs = outputs(userId, user.prefs, exclusive, exclusive === false ? declaredKeys(props ?? {}) : undefined);
        const inputs: Props = { userId, prefs: outs.prefs, ...(exclusive !== undefined ? { exclusive } : {}) };
        return { id: userId, props: outs, inputs };
    },

    async update(_id: string, olds: Props, news: Props): Promise<UpdateResult> {
        const ctx = context("update", String(news.userId));
        return attempt(ctx, async () => {
            const { userId, prefs, exclusive } = parseInputs(userPrefsSchema, news);
            const sameMode = isExclusive(olds) === (exclusive !== false);
            if (sameMode && samePrefs(olds.prefs, prefs)) return { outs: outputs(userId, olds.prefs, exclusive) };
            if (exclusive !== false) return { outs: outputs(userId, await patchPrefs(ctx, prefs), exclusive) };
            // Coming from exclusive, the old outputs may hold keys the application set: only keys this
            // resource declared without being exclusive count as dropped.
            const dropped = isExclusive(olds) ? [] : declaredKeys(olds);
            return { outs: outputs(userId, await mergeInto(ctx, dropped, prefs), exclusive, Object.keys(prefs)) };
        });
    },

    async delete(id: string, props: Props): Promise<void> {
        const ctx = context("delete", String(props.userId ?? id));
        await attempt(ctx, async () => {
            try {
                if (isExclusive(props)) await patchPrefs(ctx, {});
                else await mergeInto(ctx, declaredKeys(props), {});
            } catch (err) {
                if (!isNotFound(err)) throw err;
            }
        });
    },
};
