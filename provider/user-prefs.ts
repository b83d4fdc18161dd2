/**
 * UserPrefs: the whole preferences object of one user. Appwrite replaces prefs wholesale (no merge), so
 * this resource owns all of them.
 *
 * - create, update: `PATCH /v1/users/{userId}/prefs` (`updatePrefs`), which answers with the prefs object,
 *   not the user.
 * - read: the user document, through users.ts.
 * - delete: `updatePrefs` with `{}`; a user that is already gone counts as done.
 * - Replaced when `userId` changes. Prefs compare by value; Appwrite hands a nested `{}` back as `[]` (PHP
 *   arrays), so both sides are normalised the way PHP would store them before comparing.
 */
import type { CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import { appwriteUsers } from "./connection";
import { diffDeclared, sameValue, type DiffSpec } from "./diff";
import { attempt, isNotFound, type ErrorContext } from "./errors";
import { retrying } from "./retry";
import { checkInputs, containsUnknown, isUnknown, normalizePrefs, parseInputs, userPrefsSchema } from "./schema";
import { forgetUser, getUser } from "./users";

export type Prefs = Record<string, unknown>;

export interface UserPrefsOutputs {
    userId: string;
    /** As Appwrite holds them (nested empty objects come back as `[]`). */
    prefs: Prefs;
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

function outputs(userId: string, prefs: unknown): UserPrefsOutputs {
    const live = prefs !== null && typeof prefs === "object" && !Array.isArray(prefs) ? prefs : {};
    return { userId, prefs: jsonSafe(live) as Prefs };
}

/** Prefs set by the new resource on the same user would be reset by deleting the old one afterwards. */
function sameUser(olds: Props, news: Props): boolean {
    return isUnknown(news.userId) || news.userId === olds.userId;
}

const diffSpec: DiffSpec = { replaceKeys: ["userId"], equality: { prefs: samePrefs }, collides: sameUser };

function context(operation: string, userId: string): ErrorContext {
    return { resource: "UserPrefs", operation, userId };
}

async function patchPrefs(ctx: ErrorContext, prefs: Prefs): Promise<unknown> {
    const users = await appwriteUsers();
    forgetUser(ctx.userId);
    return retrying(() => users.updatePrefs({ userId: ctx.userId, prefs }));
}

export const userPrefsProvider: ResourceProvider = {
    async check(_olds: Props, news: Props): Promise<CheckResult> {
        return checkInputs(userPrefsSchema, news);
    },

    async diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
        const result = diffDeclared(olds, news, diffSpec);
        return result.replaces ? result : { ...result, deleteBeforeReplace: sameUser(olds, news) };
    },

    async create(inputs: Props): Promise<CreateResult> {
        const ctx = context("create", String(inputs.userId));
        return attempt(ctx, async () => {
            const { userId, prefs } = parseInputs(userPrefsSchema, inputs);
            return { id: userId, outs: outputs(userId, await patchPrefs(ctx, prefs)) };
        });
    },

    async read(id: string, props?: Props): Promise<ReadResult> {
        const userId = id || String(props?.userId ?? "");
        const user = await attempt(context("read", userId), () => getUser(userId));
        if (user === undefined) return { id: "" };
        const outs = outputs(userId, user.prefs);
        return { id: userId, props: outs, inputs: { ...outs } };
    },

    async update(_id: string, olds: Props, news: Props): Promise<UpdateResult> {
        const ctx = context("update", String(news.userId));
        return attempt(ctx, async () => {
            const { userId, prefs } = parseInputs(userPrefsSchema, news);
            if (samePrefs(olds.prefs, prefs)) return { outs: outputs(userId, olds.prefs) };
            return { outs: outputs(userId, await patchPrefs(ctx, prefs)) };
        });
    },

    async delete(id: string, props: Props): Promise<void> {
        const ctx = context("delete", String(props.userId ?? id));
        await attempt(ctx, async () => {
            try {
                await patchPrefs(ctx, {});
            } catch (err) {
                if (!isNotFound(err)) throw err;
            }
        });
    },
};
