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

/** Whose session `withUserSession` makes: a user ID, or the user and the project it lives in. */
export type SessionUser =
    | string
    | {
          userId: string;
          /**
           * The Appwrite project the user lives in: the name of an entry of `appwrite:projects` (or of
           * APPWRITE_PROJECTS). Left out, the default project (`appwrite:*`).
           */
          project?: string;
      };

/**
 * Creates a session for the user, runs `work` with it, and deletes the session when `work` settles,
 * whether it resolves or throws. An error from `work` wins over one from the clean-up. Uses the same
 * settings as the provider: the stack config in a Pulumi program, else APPWRITE_* from the environment;
 * `{ userId, project }` picks a user of a named project.
 */
export async function withUserSession<T>(user: SessionUser, work: (session: UserSession) => Promise<T>): Promise<T> {
    const { userId, project } = typeof user === "string" ? { userId: user, project: undefined } : user;
    const users = await programUsers(project);
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
