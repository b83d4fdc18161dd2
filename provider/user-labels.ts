/**
 * UserLabels: the whole label set of one user. Appwrite replaces labels wholesale, so this resource owns
 * all of them.
 *
 * - create, update: `PUT /v1/users/{userId}/labels` (`updateLabels`) with the declared labels de-duplicated;
 *   Appwrite keeps the first occurrence of each and does not sort.
 * - read: the user document, through users.ts.
 * - delete: `updateLabels` with `[]`; a user that is already gone counts as done.
 * - Replaced when `userId` changes. Labels compare as a set: order and duplicates make no diff.
 */
import type { CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import { appwriteUsers } from "./connection";
import { diffDeclared, type DiffSpec } from "./diff";
import { attempt, isNotFound, type ErrorContext } from "./errors";
import { retrying } from "./retry";
import { checkInputs, isUnknown, parseInputs, userLabelsSchema } from "./schema";
import { forgetUser, getUser } from "./users";

export interface UserLabelsOutputs {
    userId: string;
    /** As Appwrite holds them: de-duplicated, in the order first declared. */
    labels: string[];
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

/**
 * Labels set by the new resource on the same user would be cleared by deleting the old one afterwards,
 * so whenever the user may be the same (even on a forced `--replace`), the old one goes first.
 */
function sameUser(olds: Props, news: Props): boolean {
    return isUnknown(news.userId) || news.userId === olds.userId;
}

const diffSpec: DiffSpec = { replaceKeys: ["userId"], equality: { labels: sameLabelSet }, collides: sameUser };

function outputs(userId: string, labels: readonly string[]): UserLabelsOutputs {
    return { userId, labels: [...labels] };
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

export const userLabelsProvider: ResourceProvider = {
    async check(_olds: Props, news: Props): Promise<CheckResult> {
        return checkInputs(userLabelsSchema, news);
    },

    async diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
        const result = diffDeclared(olds, news, diffSpec);
        return result.replaces ? result : { ...result, deleteBeforeReplace: sameUser(olds, news) };
    },

    async create(inputs: Props): Promise<CreateResult> {
        const ctx = context("create", String(inputs.userId));
        const { userId, labels } = await attempt(ctx, async () => parseInputs(userLabelsSchema, inputs));
        const live = await putLabels(ctx, labels);
        return { id: userId, outs: outputs(userId, live) };
    },

    async read(id: string, props?: Props): Promise<ReadResult> {
        const userId = id || String(props?.userId ?? "");
        const user = await attempt(context("read", userId), () => getUser(userId));
        if (user === undefined) return { id: "" };
        const outs = outputs(userId, user.labels);
        return { id: userId, props: outs, inputs: { ...outs } };
    },

    async update(_id: string, olds: Props, news: Props): Promise<UpdateResult> {
        const ctx = context("update", String(news.userId));
        const { userId, labels } = await attempt(ctx, async () => parseInputs(userLabelsSchema, news));
        if (sameLabelSet(olds.labels, labels)) return { outs: outputs(userId, olds.labels as string[]) };
        return { outs: outputs(userId, await putLabels(ctx, labels)) };
    },

    async delete(id: string, props: Props): Promise<void> {
        const userId = String(props.userId ?? id);
        await attempt(context("delete", userId), async () => {
            const users = await appwriteUsers();
            forgetUser(userId);
            try {
                await retrying(() => users.updateLabels({ userId, labels: [] }));
            } catch (err) {
                if (!isNotFound(err)) throw err;
            }
        });
    },
};
