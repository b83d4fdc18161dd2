/**
 * The session requests behind \`withUserSession\` and \`appwrite-users exec\`/\`session\`, worded in one place.
 * Free of \`@pulumi/pulumi\`, so the command starts quickly.
 */
import type { Models, Users } from "node-appwrite";
import { appwriteType, describeRequestError } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";

/**
 * Why a session made with an API key can vanish early. Such sessions never set off Appwrite's
 * sessions-per-user limit themselves (only sign-ins do), but they count towards it.
 */
const SESSION_LIMIT_NOTE =
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
            onGone?.(
                `session ${sessionId} of user "${userId}" was already gone when it was to be deleted. ${type === "user_not_found" ? "The user was deleted." : SESSION_LIMIT_NOTE}`,
            );
            return;
        }
        throw describeRequestError(`deleting session ${sessionId} of user "${userId}"`, err);
    }
}

/**
 * The JWT lifetimes Appwrite makes, in seconds. Its `duration` param takes 0 to 3600, but its JWT library
 * refuses a max age under 1 second and Appwrite answers 0 with a 500.
 */
export const JWT_DURATION = { min: 1, max: 3600 } as const;

export async function createSessionJwt(users: Users, userId: string, sessionId: string, duration?: number): Promise<string> {
    if (duration !== undefined && !(Number.isInteger(duration) && duration >= JWT_DURATION.min && duration <= JWT_DURATION.max)) {
        throw new RangeError(
            `jwt(duration): duration must be a whole number of seconds from ${JWT_DURATION.min} to ${JWT_DURATION.max}, not ${duration}`,
        );
    }
    const answer = await users.createJWT({ userId, sessionId, ...(duration === undefined ? {} : { duration }) }).catch((err: unknown) => {
        throw describeRequestError(`creating a JWT for session ${sessionId} of user "${userId}"`, err);
    });
    return answer.jwt;
}
