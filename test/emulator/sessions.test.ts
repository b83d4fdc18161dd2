import { createHash } from "node:crypto";
import { Users } from "node-appwrite";
import { beforeAll, describe, expect, it } from "vitest";
import { clientFor, expectError, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();
const as = (key: string) => new Users(clientFor(h.emu, key));
const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
const app = (scopes: string) => `app.${h.emu.projectId}@service.127.0.0.1 (role: applications) missing scopes (${scopes})`;

async function newUser(): Promise<string> {
    const userId = uniqueId();
    await h.users.create({ userId });
    return userId;
}

beforeAll(() => {
    h.emu.addKey("standard_sessions_write", ["sessions.write"]);
    h.emu.addKey("standard_sessions_read", ["sessions.read"]);
    h.emu.addKey("standard_users_read", ["users.read"]);
});

describe("server sessions", () => {
    it("creates a server session whose secret, returned only now, encodes the user ID and a 256-character secret", async () => {
        const userId = await newUser();
        const session = await h.users.createSession({ userId });
        expect(session).toMatchObject({
            userId,
            provider: "server",
            providerUid: "",
            factors: ["server"],
            current: false,
            countryCode: "--",
            countryName: "Unknown",
            ip: "127.0.0.1",
            mfaUpdatedAt: "",
        });
        expect(session.$updatedAt).toBe(session.$createdAt);
        expect(Date.parse(session.expire) - Date.parse(session.$createdAt)).toBe(31536000 * 1000);
        const decoded = JSON.parse(Buffer.from(session.secret, "base64").toString("utf8")) as { id: string; secret: string };
        expect(decoded.id).toBe(userId);
        expect(decoded.secret).toMatch(/^[0-9a-f]{256}$/);

        const listed = await h.users.listSessions({ userId });
        expect(listed.total).toBe(1);
        expect(listed.sessions[0]!.$id).toBe(session.$id);
        // A list shows what the database holds: the hash, which cannot be used as a session secret.
        expect(listed.sessions[0]!.secret).toBe(sha256(decoded.secret));
    });

    it("lists a user's sessions in creation order, with total 0 when asked not to count", async () => {
        const userId = await newUser();
        const first = await h.users.createSession({ userId });
        const second = await h.users.createSession({ userId });
        expect((await h.users.listSessions({ userId })).sessions.map((s) => s.$id)).toEqual([first.$id, second.$id]);
        const uncounted = await h.users.listSessions({ userId, total: false });
        expect(uncounted.total).toBe(0);
        expect(uncounted.sessions).toHaveLength(2);
    });

    it("deletes one session, and refuses another user's session as not found", async () => {
        const userId = await newUser();
        const other = await newUser();
        const keep = await h.users.createSession({ userId });
        const drop = await h.users.createSession({ userId });
        await expectError(
            h.users.deleteSession({ userId: other, sessionId: drop.$id }),
            404,
            "user_session_not_found",
            "The current user session could not be found.",
        );
        await expectError(h.users.deleteSession({ userId, sessionId: "nosuchsession" }), 404, "user_session_not_found");
        expect(await h.users.deleteSession({ userId, sessionId: drop.$id })).toEqual({ message: "" });
        expect((await h.users.listSessions({ userId })).sessions.map((s) => s.$id)).toEqual([keep.$id]);
    });

    it("deletes all of a user's sessions and leaves other users' sessions alone", async () => {
        const userId = await newUser();
        const other = await newUser();
        await h.users.createSession({ userId });
        await h.users.createSession({ userId });
        await h.users.createSession({ userId: other });
        await h.users.deleteSessions({ userId });
        expect((await h.users.listSessions({ userId })).total).toBe(0);
        expect((await h.users.listSessions({ userId: other })).total).toBe(1);
        await h.users.deleteSessions({ userId });
    });

    it("answers 404 user_not_found for sessions of a missing user", async () => {
        await expectError(h.users.createSession({ userId: "nobody" }), 404, "user_not_found");
        await expectError(h.users.listSessions({ userId: "nobody" }), 404, "user_not_found");
        await expectError(h.users.deleteSessions({ userId: "nobody" }), 404, "user_not_found");
    });

    it("drops a deleted user's sessions, so a user re-created under the same ID has none", async () => {
        const userId = await newUser();
        const session = await h.users.createSession({ userId });
        await h.users.delete({ userId });
        expect(h.emu.store.side.sessions.has(session.$id)).toBe(false);
        await h.users.create({ userId });
        expect((await h.users.listSessions({ userId })).total).toBe(0);
    });

    it("keeps a blocked user's sessions and still creates new ones for it", async () => {
        const userId = await newUser();
        await h.users.createSession({ userId });
        await h.users.updateStatus({ userId, status: false });
        await h.users.createSession({ userId });
        expect((await h.users.listSessions({ userId })).total).toBe(2);
    });

    it("ends every session when the password changes", async () => {
        const userId = await newUser();
        await h.users.createSession({ userId });
        await h.users.updatePassword({ userId, password: "a new password" });
        expect((await h.users.listSessions({ userId })).total).toBe(0);
    });

    it("does not trim server-made sessions to the project's limit of 10", async () => {
        const userId = await newUser();
        for (let i = 0; i < 11; i++) await h.users.createSession({ userId });
        expect((await h.users.listSessions({ userId })).total).toBe(11);
    });
});

describe("session scopes", () => {
    it("lets a key with sessions.write create and delete sessions, but not list them", async () => {
        const userId = await newUser();
        const writer = as("standard_sessions_write");
        const session = await writer.createSession({ userId });
        await expectError(writer.listSessions({ userId }), 401, "general_unauthorized_scope", app('["users.read","sessions.read"]'));
        await writer.deleteSession({ userId, sessionId: session.$id });
        await writer.deleteSessions({ userId });
        await expectError(writer.get({ userId }), 401, "general_unauthorized_scope", app('["users.read"]'));
    });

    it("lets a key with sessions.read or users.read list sessions, but not create them", async () => {
        const userId = await newUser();
        await h.users.createSession({ userId });
        expect((await as("standard_sessions_read").listSessions({ userId })).total).toBe(1);
        expect((await as("standard_users_read").listSessions({ userId })).total).toBe(1);
        await expectError(
            as("standard_users_read").createSession({ userId }),
            401,
            "general_unauthorized_scope",
            app('["users.write","sessions.write"]'),
        );
    });

    it("lets guests past the sessions.write scope, where authorization then hides the user", async () => {
        const userId = await newUser();
        const guest = as("");
        await expectError(guest.createSession({ userId }), 404, "user_not_found");
        await expectError(guest.deleteSessions({ userId }), 404, "user_not_found");
        await expectError(
            guest.listSessions({ userId }),
            401,
            "general_unauthorized_scope",
            'User (role: guests) missing scopes (["users.read","sessions.read"])',
        );
        expect(h.emu.store.side.sessionsOf(h.emu.store.user(userId)!.seq)).toHaveLength(0);
    });
});
