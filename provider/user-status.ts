/**
 * `UserStatus`: whether an Appwrite user is blocked. Appwrite's `status` is true for an active user, so
 * `blocked` is its negation. It owns the flag: User never touches it.
 *
 * - check:  validates `userId` and `blocked`; no request.
 * - diff:   replaces on `userId`; no request.
 * - create: `users.updateStatus` (the user must exist).
 * - read:   `users.get` through users.ts.
 * - update: `users.updateStatus` when `blocked` changed.
 * - delete: `users.updateStatus` with status true, unblocking the user; a user already gone counts as done.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { appwriteUsers } from "./connection";
import { diffDeclared } from "./diff";
import { attempt, isNotFound, type ErrorContext } from "./errors";
import { retrying } from "./retry";
import { checkInputs, parseInputs, userStatusSchema, type UserStatusInputs } from "./schema";
import { forgetUser, getUser, type AppwriteUser } from "./users";

type Props = Record<string, unknown>;

export interface UserStatusOutputs {
    userId: string;
    blocked: boolean;
}

export function statusOutputs(user: AppwriteUser): UserStatusOutputs {
    return { userId: user.$id, blocked: !user.status };
}

async function setBlocked(userId: string, blocked: boolean): Promise<AppwriteUser> {
    const users = await appwriteUsers();
    forgetUser(userId);
    return retrying(() => users.updateStatus({ userId, status: !blocked }));
}

export const userStatusProvider: dynamic.ResourceProvider = {
    async check(_olds: Props, news: Props) {
        return checkInputs(userStatusSchema, news);
    },

    async diff(_id: string, olds: Props, news: Props) {
        return diffDeclared(olds, news, { replaceKeys: ["userId"] });
    },

    async create(news: Props) {
        const ctx: ErrorContext = { resource: "UserStatus", operation: "create", userId: String(news.userId) };
        const inputs: UserStatusInputs = await attempt(ctx, async () => parseInputs(userStatusSchema, news));
        const user = await attempt(ctx, () => setBlocked(inputs.userId, inputs.blocked));
        return { id: inputs.userId, outs: statusOutputs(user) };
    },

    async read(id: string) {
        const ctx: ErrorContext = { resource: "UserStatus", operation: "read", userId: id };
        const user = await attempt(ctx, () => getUser(id));
        if (user === undefined) return {};
        const outs = statusOutputs(user);
        return { id, props: outs, inputs: { ...outs } };
    },

    async update(id: string, olds: Props, news: Props) {
        const ctx: ErrorContext = { resource: "UserStatus", operation: "update", userId: id };
        const inputs = await attempt(ctx, async () => parseInputs(userStatusSchema, news));
        if (olds.blocked === inputs.blocked && olds.userId === inputs.userId) {
            return { outs: { userId: inputs.userId, blocked: inputs.blocked } };
        }
        const user = await attempt(ctx, () => setBlocked(id, inputs.blocked));
        return { outs: statusOutputs(user) };
    },

    async delete(id: string) {
        const ctx: ErrorContext = { resource: "UserStatus", operation: "delete", userId: id };
        await attempt(ctx, () =>
            setBlocked(id, false).then(
                () => undefined,
                (err: unknown) => {
                    if (!isNotFound(err)) throw err;
                },
            ),
        );
    },
};
