/**
 * UserLabels: the labels of one user. Appwrite replaces labels wholesale on every write. With `exclusive`
 * (the default) this resource owns all of them; with `exclusive: false` only the labels it declares, and
 * every write merges them into the live labels (shared-value.ts).
 *
 * - create, update: `PUT /v1/users/{userId}/labels` (`updateLabels`). Exclusive: the declared labels
 *   de-duplicated (Appwrite keeps the first occurrence of each and does not sort). Not exclusive: a fresh
 *   read, then the live labels less those dropped from the program, plus the declared ones; no write when
 *   that is what Appwrite holds.
 * - read: the user document, through users.ts; not exclusive, only the declared labels are reported.
 * - delete: exclusive, `updateLabels` with `[]`; not exclusive, the live labels less the declared ones. A
 *   user that is already gone counts as done.
 * - Replaced when `userId` changes; switching `exclusive` is an in-place update. Labels compare as a set.
 */
import type { CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import { appwriteUsers } from "./connection";
import { diffDeclared, type DiffSpec } from "./diff";
import { attempt, describeError, isNotFound, type ErrorContext } from "./errors";
import { retrying } from "./retry";
import { checkInputs, isUnknown, MAX_LABELS, parseInputs, userLabelsSchema } from "./schema";
import { isExclusive, liveUser, modeConflicts, oneAtATime } from "./shared-value";
import { forgetUser, getUser } from "./users";

export interface UserLabelsOutputs {
    userId: string;
    /** As Appwrite holds them: de-duplicated, in the order first declared. Not exclusive: only the declared ones. */
    labels: string[];
    /** As declared; null when left out (exclusive). */
    exclusive: boolean | null;
}

type Props = Record<string, unknown>;

/** The labels Appwrite would store for `labels`: first occurrences, in order. */
export function uniqueLabels(labels: readonly string[]): string[] {
    return [...new Set(labels)];
}

/** Whether two label lists hold the same labels, ignoring order and duplicates (case matters, as in Appwrite). */
export function sameLabelSet(a: unknown, b: unknown): boolean {
    if (!Array.isArray(a) || !Array.isArray(b) || b.some(isUnknown)) return false;
    const left = new Set(a);
    const right = new Set(b);
    return left.size === right.size && [...left].every((label) => right.has(label));
}

/** The live labels without `dropped`, then each of `declared` not already there, in Appwrite's order. */
export function mergeLabels(live: readonly string[], dropped: readonly string[], declared: readonly string[]): string[] {
    const gone = new Set(dropped.filter((label) => !declared.includes(label)));
    return uniqueLabels([...live.filter((label) => !gone.has(label)), ...declared]);
}

/**
 * Labels set by the new resource on the same user would be cleared by deleting the old one afterwards,
 * so whenever the user may be the same (even on a forced `--replace`), the old one goes first.
 */
function sameUser(olds: Props, news: Props): boolean {
    return isUnknown(news.userId) || news.userId === olds.userId;
}

const diffSpec: DiffSpec = { replaceKeys: ["userId"], ignoreKeys: ["exclusive"], equality: { labels: sameLabelSet }, collides: sameUser };

function outputs(userId: string, labels: readonly string[], exclusive: boolean | undefined, declared?: readonly string[]): UserLabelsOutputs {
    const held = declared === undefined ? [...labels] : labels.filter((label) => declared.includes(label));
    return { userId, labels: held, exclusive: exclusive ?? null };
}

function context(operation: string, userId: string): ErrorContext {
    return { resource: "UserLabels", operation, userId };
}

async function putLabels(ctx: ErrorContext, labels: readonly string[]): Promise<string[]> {
    return attempt(ctx, async () => {
        const users = await appwriteUsers();
        forgetUser(ctx.userId);
        const user = await retrying(() => users.updateLabels({ userId: ctx.userId, labels: uniqueLabels(labels) }));
        return user.labels;
    });
}

/**
 * Reads the live labels, merges (drops `dropped`, adds `declared`) and writes the result in one request,
 * unless it is what Appwrite holds; fails before writing when the result is over Appwrite's limit. A user
 * Appwrite does not have is left to the write, which Appwrite refuses with user_not_found.
 */
function mergeInto(ctx: ErrorContext, dropped: readonly string[], declared: readonly string[]): Promise<string[]> {
    return oneAtATime("UserLabels", ctx.userId, async () => {
        const live = (await attempt(ctx, () => liveUser(ctx.userId)))?.labels;
        const merged = mergeLabels(live ?? [], dropped, declared);
        if (merged.length > MAX_LABELS) {
            const added = declared.filter((label) => !(live ?? []).includes(label)).length;
            throw describeError(
                ctx,
                new Error(
                    `merging would give the user ${merged.length} labels (${merged.length - added} kept from Appwrite, ` +
                        `${added} added by this resource); Appwrite allows at most ${MAX_LABELS}, so nothing was written. ` +
                        "Declare fewer labels, or remove some the application set",
                ),
            );
        }
        if (live !== undefined && merged.length === live.length && merged.every((label, i) => label === live[i])) return live;
        return putLabels(ctx, merged);
    });
}

export const userLabelsProvider: ResourceProvider = {
    async check(_olds: Props, news: Props): Promise<CheckResult> {
        return checkInputs(userLabelsSchema, news, () => modeConflicts("UserLabels", news));
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
        const { userId, labels, exclusive } = await attempt(ctx, async () => parseInputs(userLabelsSchema, inputs));
        if (exclusive !== false) return { id: userId, outs: outputs(userId, await putLabels(ctx, labels), exclusive) };
        return { id: userId, outs: outputs(userId, await mergeInto(ctx, [], uniqueLabels(labels)), exclusive, labels) };
    },

    async read(id: string, props?: Props): Promise<ReadResult> {
        const userId = id || String(props?.userId ?? "");
        const user = await attempt(context("read", userId), () => getUser(userId));
        if (user === undefined) return { id: "" };
        const exclusive = typeof props?.exclusive === "boolean" ? props.exclusive : undefined;
        const declared = exclusive === false && Array.isArray(props?.labels) ? (props.labels as string[]) : undefined;
        const outs = outputs(userId, user.labels, exclusive, declared);
        const inputs: Props = { userId, labels: outs.labels, ...(exclusive !== undefined ? { exclusive } : {}) };
        return { id: userId, props: outs, inputs };
    },

    async update(_id: string, olds: Props, news: Props): Promise<UpdateResult> {
        const ctx = context("update", String(news.userId));
        const { userId, labels, exclusive } = await attempt(ctx, async () => parseInputs(userLabelsSchema, news));
        const sameMode = isExclusive(olds) === (exclusive !== false);
        const before = Array.isArray(olds.labels) ? (olds.labels as string[]) : [];
        if (sameMode && sameLabelSet(before, labels)) return { outs: outputs(userId, before, exclusive) };
        if (exclusive !== false) return { outs: outputs(userId, await putLabels(ctx, labels), exclusive) };
        // Coming from exclusive, the old outputs may hold labels the application set: only labels this
        // resource declared without being exclusive count as dropped.
        const dropped = isExclusive(olds) ? [] : before;
        return { outs: outputs(userId, await mergeInto(ctx, dropped, uniqueLabels(labels)), exclusive, labels) };
    },

    async delete(id: string, props: Props): Promise<void> {
        const ctx = context("delete", String(props.userId ?? id));
        const declared = Array.isArray(props.labels) ? (props.labels as string[]) : [];
        try {
            if (isExclusive(props)) await putLabels(ctx, []);
            else await mergeInto(ctx, declared, []);
        } catch (err) {
            if (!isNotFound((err as { cause?: unknown }).cause)) throw err;
        }
    },
};
