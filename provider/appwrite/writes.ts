/**
 * The one write path. Every request that changes a user goes through here: it takes the client,
 * forgets what users.ts holds of the user (so no later read joins a request sent before the write, or is
 * answered by a page read before it), and sends the request through retry.ts.
 */
import type { Users } from "node-appwrite";
import { appwriteUsers } from "./connection";
import { createOnce, retrying } from "./retry";
import { forgetUser } from "./users";

/**
 * Sends a write of `userId` that is safe to repeat (an update, a PUT or a delete), retried on network
 * errors and server errors except those `permanent` recognises as this request's own answer.
 */
export async function writeUser<T>(userId: string, send: (users: Users) => Promise<T>, permanent?: (err: unknown) => boolean): Promise<T> {
    const users = await appwriteUsers();
    forgetUser(userId);
    return retrying(() => send(users), permanent);
}

/**
 * Sends a create for `userId` (the user itself, or one of its targets) at most once per lost answer:
 * `lookup` finds what an earlier attempt made (retry.ts, `createOnce`).
 */
export async function createForUser<T>(
    userId: string,
    create: (users: Users) => Promise<T>,
    lookup: () => Promise<T | undefined>,
): Promise<T> {
    const users = await appwriteUsers();
    forgetUser(userId);
    return createOnce(() => create(users), lookup);
}
