/**
 * A session for a user, made with the API key for one piece of work and deleted afterwards, so that tests
 * and scripts act as a seeded user without a sign-in flow. Nothing of it ever enters Pulumi state.
 */
import type { Models, Users } from "node-appwrite";
import { appwriteType, describeRequestError } from "../provider/errors";
import { retrying } from "../provider/retry";
import { programUsers } from "./connection";

/** What the callback of `withUserSession` gets. */
export interface UserSession {
    userId: string;
    sessionId: string;
    /** The session secret, for `Client.setSession(secret)` in a client SDK or the `a_session_<projectId>` cookie. */
    secret: string;
    /** ISO 8601 time the session expires (the project's session length, one year by default). */
    expire: string;
    /** A JWT for this session; `duration` in seconds, 0 to 3600 (default 900). */
    jwt(duration?: number): Promise<string>;
}

/**
 * Why a session made with an API key can vanish early. Such sessions never set off Appwrite's
 * sessions-per-user limit themselves (only sign-ins do), but they count towards it.
 */
export const SESSION_LIMIT_NOTE =
    "Appwrite keeps at most a set number of sessions per user (10 by default; the project's session limit, " +
    "up to 100) and deletes the oldest when a sign-in goes over it. Sessions made with an API key count " +
    "towards the limit without setting it off, so tests that sign the same user in many times can evict this one: " +
    "raise the limit or sign in less often.";

export async function createUserSession(users: Users, userId: string): Promise<Models.Session> {
    return users.createSession({ userId }).catch((err: unknown) => {
        throw describeRequestError(`creating a session for user "${userId}"`, err);
    });
}

/** Deletes the session; one that is already gone counts as deleted, and says so when `onGone` is given. */
export async function deleteUserSession(users: Users, userId: string, sessionId: string, onGone?: (note: string) => void): Promise<void> {
    try {
        await retrying(() => users.deleteSession({ userId, sessionId }));
    } catch (err) {
        const type = appwriteType(err);
        if (type === "user_session_not_found" || type === "user_not_found") {
            onGone?.(`session ${sessionId} of user "${userId}" was already gone when it was to be deleted. ${type === "user_not_found" ? "The user was deleted." : SESSION_LIMIT_NOTE}`);
            return;
        }
        throw describeRequestError(`deleting session ${sessionId} of user "${userId}"`, err);
    }
}

export async function createSessionJwt(users: Users, userId: string, sessionId: string, duration?: number): Promise<string> {
    const answer = await users.createJWT({ userId, sessionId, ...(duration === undefined ? {} : { duration }) }).catch((err: unknown) => {
        throw describeRequestError(`creating a JWT for session ${sessionId} of user "${userId}"`, err);
    });
    return answer.jwt;
}

/**
 * Creates a session for `userId`, runs `work` with it, and deletes the session when `work` settles,
 * whether it resolves or throws. An error from `work` wins over one from the clean-up. Uses the same
 * settings as the provider: the stack config in a Pulumi program, else APPWRITE_* from the environment.
 */
export async function withUserSession<T>(userId: string, work: (session: UserSession) => Promise<T>): Promise<T> {
    const users = await programUsers();
    const made = await createUserSession(users, userId);
    const session: UserSession = {
        userId,
        sessionId: made.$id,
        secret: made.secret,
        expire: made.expire,
        jwt: (duration) => createSessionJwt(users, userId, made.$id, duration),
    };
    let result: T;
    try {
        result = await work(session);
    } catch (err) {
        await deleteUserSession(users, userId, made.$id).catch(() => undefined);
        throw err;
    }
    await deleteUserSession(users, userId, made.$id);
    return result;
}
