/**
 * `UserStatus`: whether an Appwrite user is blocked. Appwrite's `status` is true for an active user, so
 * `blocked` is its negation. It owns the flag: User never touches it. Blocking leaves the user's sessions
 * in place (Appwrite refuses every request made with them while blocked, and they work again once the
 * user is unblocked); with `endSessions` they are deleted too.
 *
 * - check:  validates `userId`, `blocked` and `endSessions`; no request.
 * - diff:   replaces on `userId`; an end of sessions still owed (a failure after the block) is a change.
 * - create: `users.updateStatus` (the user must exist), then with `blocked` and `endSessions`
 *           `users.deleteSessions`.
 * - read:   `users.get` through users.ts.
 * - update: `users.updateStatus` when `blocked` changed; `users.deleteSessions` when blocked with
 *           `endSessions` and the sessions were not ended since the user was blocked.
 * - delete: `users.updateStatus` with status true, unblocking the user; a user already gone counts as done.
 *
 * When `deleteSessions` fails after the status changed, the error carries the outputs with the status set
 * and `sessionsEnded: false`, so Pulumi records the resource and the next `up` deletes the sessions.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { attempt, context, describeError, partiallyApplied, type ErrorContext } from "../../appwrite/errors";
import { deleteUnlessGone, goneRead } from "../../appwrite/gone";
import { getUser, type AppwriteUser } from "../../appwrite/users";
import { writeUser } from "../../appwrite/writes";
import { diffDeclared } from "../../parts/diff";
import type { Props } from "../../parts/props";
import { checkInputs, parseInputs } from "../../validation/check";
import { userStatusSchema, type UserStatusInputs } from "./schema";

interface UserStatusOutputs {
    userId: string;
    blocked: boolean;
    /** As declared; null when left out. */
    endSessions: boolean | null;
    /** Whether this resource deleted the user's sessions after it was last blocked. */
    sessionsEnded: boolean;
}

function statusOutputs(user: AppwriteUser, endSessions: boolean | null = null, sessionsEnded = false): UserStatusOutputs {
    const blocked = !user.status;
    return { userId: user.$id, blocked, endSessions, sessionsEnded: blocked && sessionsEnded };
}

/** Whether the declared status asks for the sessions to be ended and they have not been since the block. */
function sessionsOwed(olds: Props, inputs: Partial<UserStatusInputs>): boolean {
    return inputs.blocked === true && inputs.endSessions === true && !(olds.blocked === true && olds.sessionsEnded === true);
}

function setBlocked(userId: string, blocked: boolean): Promise<AppwriteUser> {
    return writeUser(userId, (users) => users.updateStatus({ userId, status: !blocked }));
}

async function deleteSessions(userId: string): Promise<void> {
    await writeUser(userId, (users) => users.deleteSessions({ userId }));
}

/** Ends the sessions of a user whose status is now `outs`; a failure keeps the status recorded. */
async function endSessionsAfter(ctx: ErrorContext, outs: UserStatusOutputs, changedStatus: boolean): Promise<UserStatusOutputs> {
    try {
        await deleteSessions(outs.userId);
    } catch (err) {
        const stepCtx = { ...ctx, step: "deleting the user's sessions" };
        // Nothing changed before the failure: the old outputs stay, and still say the sessions are owed.
        if (!changedStatus) throw describeError(stepCtx, err);
        throw partiallyApplied(err, stepCtx, outs.userId, { ...outs, sessionsEnded: false });
    }
    return { ...outs, sessionsEnded: true };
}

export const userStatusProvider: dynamic.ResourceProvider = {
    async check(_olds: Props, news: Props) {
        return checkInputs(userStatusSchema, news);
    },

    async diff(_id: string, olds: Props, news: Props) {
        const result = diffDeclared(olds, news, { replaceKeys: ["userId"] });
        if (result.changes) return result;
        const declaredChanged = (olds.endSessions ?? null) !== (news.endSessions ?? null);
        return { changes: declaredChanged || sessionsOwed(olds, news as Partial<UserStatusInputs>) };
    },

    async create(news: Props) {
        const ctx = context("UserStatus", "create", news.userId);
        const inputs: UserStatusInputs = await attempt(ctx, async () => parseInputs(userStatusSchema, news));
        const user = await attempt(ctx, () => setBlocked(inputs.userId, inputs.blocked));
        const outs = statusOutputs(user, inputs.endSessions ?? null);
        if (!sessionsOwed({}, inputs)) return { id: inputs.userId, outs };
        return { id: inputs.userId, outs: await endSessionsAfter(ctx, outs, true) };
    },

    async read(id: string, props?: Props) {
        const user = await attempt(context("UserStatus", "read", id), () => getUser(id));
        if (user === undefined) return goneRead();
        const endSessions = typeof props?.endSessions === "boolean" ? props.endSessions : null;
        // Unblocked and blocked again elsewhere, the user may have signed in between: the sessions are owed again.
        const outs = statusOutputs(user, endSessions, props?.blocked === true && props.sessionsEnded === true);
        const inputs: Props = { userId: id, blocked: outs.blocked, ...(endSessions !== null ? { endSessions } : {}) };
        return { id, props: outs, inputs };
    },

    async update(id: string, olds: Props, news: Props) {
        const ctx = context("UserStatus", "update", id);
        const inputs = await attempt(ctx, async () => parseInputs(userStatusSchema, news));
        const endSessions = inputs.endSessions ?? null;
        const changedStatus = olds.blocked !== inputs.blocked || olds.userId !== inputs.userId;
        const outs = changedStatus
            ? statusOutputs(await attempt(ctx, () => setBlocked(id, inputs.blocked)), endSessions)
            : { userId: inputs.userId, blocked: inputs.blocked, endSessions, sessionsEnded: inputs.blocked && olds.sessionsEnded === true };
        if (!sessionsOwed(changedStatus ? {} : olds, inputs)) return { outs };
        return { outs: await endSessionsAfter(ctx, outs, changedStatus) };
    },

    async delete(id: string) {
        await deleteUnlessGone(context("UserStatus", "delete", id), () => setBlocked(id, false));
    },
};
