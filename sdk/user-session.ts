/**
 * A session for a user, made with the API key for one piece of work and deleted afterwards, so that tests
 * and scripts act as a seeded user without a sign-in flow. Nothing of it ever enters Pulumi state.
 */
import { programUsers } from "./connection";
import { createSessionJwt, createUserSession, deleteUserSession } from "./sessions";

/** What the callback of `withUserSession` gets. */
export interface UserSession {
    /** The user the session is for. */
    userId: string;
    /** Appwrite's ID of the session, e.g. for `Account.getSession(sessionId)`. */
    sessionId: string;
    /** The session secret, for `Client.setSession(secret)` in a client SDK or the `a_session_<projectId>` cookie. */
    secret: string;
    /** ISO 8601 time the session expires (the project's session length, one year by default). */
    expire: string;
    /** A JWT for this session; `duration` in seconds, 1 to 3600 (default 900); other values are refused before any request. */
    jwt(duration?: number): Promise<string>;
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
