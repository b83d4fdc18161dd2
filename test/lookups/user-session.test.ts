import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withUserSession } from "../../sdk/user-session";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

beforeEach(() => {
    process.env.APPWRITE_ENDPOINT = appwrite.endpoint;
    process.env.APPWRITE_PROJECT_ID = appwrite.projectId;
    process.env.APPWRITE_API_KEY = appwrite.apiKey;
});

afterEach(() => {
    for (const key of ["APPWRITE_ENDPOINT", "APPWRITE_PROJECT_ID", "APPWRITE_API_KEY"]) delete process.env[key];
});

async function newUser(prefix: string): Promise<string> {
    const userId = uniqueId(prefix);
    await appwrite.users.create({ userId, email: `${userId}@example.com` });
    return userId;
}

const sessionIds = async (userId: string) => (await appwrite.users.listSessions({ userId })).sessions.map((s) => s.$id);

describe("withUserSession", () => {
    it("hands over a live session with a JWT for it, returns the callback's value, and deletes the session", async () => {
        const userId = await newUser("with-session");
        const result = await withUserSession(userId, async (session) => {
            expect(await sessionIds(userId)).toEqual([session.sessionId]);
            expect(JSON.parse(Buffer.from(session.secret, "base64").toString())).toMatchObject({ id: userId });
            const claims = JSON.parse(Buffer.from((await session.jwt(60)).split(".")[1]!, "base64url").toString()) as Record<
                string,
                unknown
            >;
            expect(claims).toMatchObject({ userId, sessionId: session.sessionId });
            return session.sessionId;
        });
        expect(result).toEqual(expect.any(String));
        expect(await sessionIds(userId)).toEqual([]);
    });

    it("deletes the session when the callback throws, and rethrows its error", async () => {
        const userId = await newUser("with-session-fail");
        await expect(
            withUserSession(userId, async () => {
                expect(await sessionIds(userId)).toHaveLength(1);
                throw new Error("the test failed");
            }),
        ).rejects.toThrow("the test failed");
        expect(await sessionIds(userId)).toEqual([]);
    });

    it("settles when the session is already gone, as when the sessions-per-user limit evicted it", async () => {
        const userId = await newUser("with-session-gone");
        await withUserSession(userId, (session) => appwrite.users.deleteSession({ userId, sessionId: session.sessionId }));
        expect(appwrite.emulator.requestCounts()["DELETE /v1/users/:userId/sessions/:sessionId"]).toBe(2);
    });

    it("fails naming the user when it does not exist, having made nothing", async () => {
        let called = false;
        await expect(withUserSession("no-such-user", async () => (called = true))).rejects.toThrow(
            'creating a session for user "no-such-user" failed',
        );
        expect(called).toBe(false);
    });
});
