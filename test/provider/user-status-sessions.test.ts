import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { AppwriteProviderError } from "../../provider";

/** UserStatus with `endSessions`: blocking also deletes the user's sessions, in the same operation. */

let appwrite: EmulatedAppwrite;
const status = () => appwrite.provider("UserStatus");

useEmulatedAppwrite((started) => (appwrite = started));

const DELETE_SESSIONS = "DELETE /v1/users/:userId/sessions";

/** A user signed in twice (two sessions made with the server API). */
async function signedInUser(): Promise<string> {
    const userId = uniqueId("sessions");
    await appwrite.users.create({ userId });
    await appwrite.users.createSession({ userId });
    await appwrite.users.createSession({ userId });
    appwrite.emulator.resetRequestCounts();
    return userId;
}

const sessionCount = async (userId: string) => (await appwrite.users.listSessions({ userId })).total;

describe("blocking with endSessions", () => {
    it("create blocks the user and deletes all its sessions, one request each", async () => {
        const userId = await signedInUser();
        const { outs } = await status().create({ userId, blocked: true, endSessions: true });
        expect(outs).toEqual({ userId, blocked: true, endSessions: true, sessionsEnded: true });
        expect(appwrite.emulator.requestCounts()).toEqual({ "PATCH /v1/users/:userId/status": 1, [DELETE_SESSIONS]: 1 });
        expect(await sessionCount(userId)).toBe(0);
        expect((await appwrite.users.get({ userId })).status).toBe(false);
    });

    it("without endSessions, blocking leaves the sessions in place, as Appwrite does", async () => {
        const userId = await signedInUser();
        await status().create({ userId, blocked: true });
        expect(appwrite.emulator.requestCounts()[DELETE_SESSIONS]).toBeUndefined();
        expect(await sessionCount(userId)).toBe(2);
    });

    it("an active user with endSessions keeps its sessions", async () => {
        const userId = await signedInUser();
        const { outs } = await status().create({ userId, blocked: false, endSessions: true });
        expect(outs.sessionsEnded).toBe(false);
        expect(await sessionCount(userId)).toBe(2);
    });

    it("update from active to blocked deletes the sessions; a later update with nothing changed sends nothing", async () => {
        const userId = await signedInUser();
        const { outs } = await status().create({ userId, blocked: false, endSessions: true });
        const blocked = { userId, blocked: true, endSessions: true };
        const { outs: after } = await status().update(userId, outs, blocked);
        expect(after).toEqual({ userId, blocked: true, endSessions: true, sessionsEnded: true });
        expect(await sessionCount(userId)).toBe(0);
        expect(await status().diff(userId, after, blocked)).toEqual({ changes: false });
        appwrite.emulator.resetRequestCounts();
        await status().update(userId, after, blocked);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("declaring endSessions on a user this resource already blocked deletes the sessions without touching the status", async () => {
        const userId = await signedInUser();
        const { outs } = await status().create({ userId, blocked: true });
        const declared = { userId, blocked: true, endSessions: true };
        expect((await status().diff(userId, outs, declared)).changes).toBe(true);
        appwrite.emulator.resetRequestCounts();
        await status().update(userId, outs, declared);
        expect(appwrite.emulator.requestCounts()).toEqual({ [DELETE_SESSIONS]: 1 });
        expect(await sessionCount(userId)).toBe(0);
    });

    it("read reports endSessions only when declared", async () => {
        const userId = await signedInUser();
        const { outs: plain } = await status().create({ userId, blocked: true });
        expect((await status().read(userId, plain)).inputs).toEqual({ userId, blocked: true });
        const { outs } = await status().update(userId, plain, { userId, blocked: true, endSessions: true });
        expect((await status().read(userId, outs)).inputs).toEqual({ userId, blocked: true, endSessions: true });
    });

    it("a user unblocked and blocked again outside Pulumi owes the end of its sessions again", async () => {
        const userId = await signedInUser();
        const declared = { userId, blocked: true, endSessions: true };
        const { outs } = await status().create(declared);
        await appwrite.users.updateStatus({ userId, status: true });
        const unblocked = await status().read(userId, outs);
        await appwrite.users.createSession({ userId });
        expect((await status().diff(userId, unblocked.props, declared)).changes).toBe(true);
        await status().update(userId, unblocked.props, declared);
        expect(await sessionCount(userId)).toBe(0);
    });
});

describe("a failure after the block", () => {
    it("keeps the resource recorded as blocked with the sessions owed, and the next update deletes them", async () => {
        const userId = await signedInUser();
        const declared = { userId, blocked: true, endSessions: true };
        appwrite.emulator.injectFault({ route: DELETE_SESSIONS, kind: "500", count: 4 });
        const error = await status()
            .create(declared)
            .then(
                () => undefined,
                (err: unknown) => err,
            );
        expect(error).toBeInstanceOf(AppwriteProviderError);
        const failed = error as AppwriteProviderError;
        expect(failed.message).toMatch(
            new RegExp(`^UserStatus create failed for user "${userId}" while deleting the user's sessions: .*HTTP 500`),
        );
        expect(failed.id).toBe(userId);
        expect(failed.properties).toEqual({ userId, blocked: true, endSessions: true, sessionsEnded: false });
        expect((await appwrite.users.get({ userId })).status).toBe(false);
        expect(await sessionCount(userId)).toBe(2);

        const recorded = failed.properties ?? {};
        expect((await status().diff(userId, recorded, declared)).changes).toBe(true);
        appwrite.emulator.resetRequestCounts();
        const { outs } = await status().update(userId, recorded, declared);
        expect(appwrite.emulator.requestCounts()).toEqual({ [DELETE_SESSIONS]: 1 });
        expect(outs).toEqual({ userId, blocked: true, endSessions: true, sessionsEnded: true });
        expect(await sessionCount(userId)).toBe(0);
    });

    it("an update that blocks and then fails to delete the sessions also keeps the block recorded", async () => {
        const userId = await signedInUser();
        const { outs } = await status().create({ userId, blocked: false, endSessions: true });
        appwrite.emulator.injectFault({ route: DELETE_SESSIONS, kind: "503", count: 4 });
        const error = (await status()
            .update(userId, outs, { userId, blocked: true, endSessions: true })
            .then(
                () => undefined,
                (err: unknown) => err,
            )) as AppwriteProviderError;
        expect(error.id).toBe(userId);
        expect(error.properties).toMatchObject({ blocked: true, sessionsEnded: false });
    });
});

describe("endSessions check", () => {
    it("refuses an endSessions that is not a boolean", async () => {
        const { failures } = await status().check({}, { userId: "u1", blocked: true, endSessions: "yes" });
        expect(failures).toEqual([{ property: "endSessions", reason: expect.stringMatching(/must be true or false/) }]);
    });
});
