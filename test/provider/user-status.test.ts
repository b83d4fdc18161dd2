import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

import { UNKNOWN, UNKNOWN_BOOL } from "../support/unknown";

let appwrite: EmulatedAppwrite;
const status = () => appwrite.provider("UserStatus");

useEmulatedAppwrite((started) => (appwrite = started));

async function someUser(): Promise<string> {
    const userId = uniqueId("status");
    await appwrite.users.create({ userId });
    appwrite.emulator.resetRequestCounts();
    return userId;
}

describe("UserStatus check and diff", () => {
    it("accepts a user ID and a boolean, passing the inputs on unchanged", async () => {
        const news = { userId: "u1", blocked: true, __provider: "shim" };
        expect(await status().check({}, news)).toEqual({ inputs: news });
    });

    it.each([
        ["an invalid userId", { userId: ".u1", blocked: true }, "userId", /1 to 36 characters/],
        ["a missing blocked", { userId: "u1" }, "blocked", /true or false/],
        ["a non-boolean blocked", { userId: "u1", blocked: "yes" }, "blocked", /true or false/],
    ])("refuses %s with a failure naming the property", async (_case, news, property, reason) => {
        const { failures } = await status().check({}, news);
        expect(failures).toHaveLength(1);
        expect(failures?.[0]?.property).toBe(property);
        expect(failures?.[0]?.reason).toMatch(reason);
    });

    it("refuses an input UserStatus does not have, naming the closest one, and one that belongs to User", async () => {
        const { failures } = await status().check({}, { userId: "u1", blocked: false, block: true, mfa: true, __provider: "shim" });
        expect(failures).toEqual([
            { property: "block", reason: expect.stringMatching(/^is not a known input of UserStatus; did you mean `blocked`\?/) },
            { property: "mfa", reason: expect.stringMatching(/^is not an input of UserStatus: it belongs to User;/) },
        ]);
    });

    it("lets unknown values pass", async () => {
        expect((await status().check({}, { userId: UNKNOWN, blocked: UNKNOWN_BOOL })).failures).toBeUndefined();
    });

    it("reports no change, an in-place change of blocked, and a replace on userId, without any request", async () => {
        const olds = { userId: "u1", blocked: false, __provider: "old" };
        expect(await status().diff("u1", olds, { userId: "u1", blocked: false, __provider: "new" })).toEqual({ changes: false });
        expect(await status().diff("u1", olds, { userId: "u1", blocked: true })).toEqual({ changes: true });
        expect(await status().diff("u1", olds, { userId: "u2", blocked: false })).toEqual({
            changes: true,
            replaces: ["userId"],
            deleteBeforeReplace: false,
        });
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });
});

describe("UserStatus lifecycle against Appwrite", () => {
    it("blocks a user with one request and reads the status back", async () => {
        const userId = await someUser();
        const { id, outs } = await status().create({ userId, blocked: true });
        expect(id).toBe(userId);
        expect(outs).toEqual({ userId, blocked: true, endSessions: null, sessionsEnded: false });
        expect(appwrite.emulator.requestCounts()).toEqual({ "PATCH /v1/users/:userId/status": 1 });
        expect((await appwrite.users.get({ userId })).status).toBe(false);
        expect(await status().read(userId, outs)).toEqual({ id: userId, props: outs, inputs: { userId, blocked: true } });
    });

    it("updates blocked in place with one request", async () => {
        const userId = await someUser();
        const { outs } = await status().create({ userId, blocked: true });
        appwrite.emulator.resetRequestCounts();
        const updated = await status().update(userId, outs, { userId, blocked: false });
        expect(updated.outs).toEqual({ userId, blocked: false, endSessions: null, sessionsEnded: false });
        expect(appwrite.emulator.requestCounts()).toEqual({ "PATCH /v1/users/:userId/status": 1 });
        expect((await appwrite.users.get({ userId })).status).toBe(true);
    });

    it("shows a status changed outside Pulumi as drift", async () => {
        const userId = await someUser();
        const { outs } = await status().create({ userId, blocked: false });
        await appwrite.users.updateStatus({ userId, status: false });
        const read = await status().read(userId, outs);
        expect(read.props).toEqual({ userId, blocked: true, endSessions: null, sessionsEnded: false });
        expect(read.inputs).toEqual({ userId, blocked: true });
        expect(await status().diff(userId, read.props, { userId, blocked: false })).toEqual({ changes: true });
    });

    it("reads an empty id after the user was deleted outside Pulumi", async () => {
        const userId = await someUser();
        const { outs } = await status().create({ userId, blocked: true });
        await appwrite.users.delete({ userId });
        expect(await status().read(userId, outs)).toEqual({});
    });

    it("unblocks the user on delete, and a delete after the user is gone succeeds", async () => {
        const userId = await someUser();
        const { outs } = await status().create({ userId, blocked: true });
        await status().delete(userId, outs);
        expect((await appwrite.users.get({ userId })).status).toBe(true);
        await appwrite.users.delete({ userId });
        await expect(status().delete(userId, outs)).resolves.toBeUndefined();
        await expect(status().delete(userId, outs)).resolves.toBeUndefined();
    });

    it("fails to create for a user that does not exist, saying to declare the user first", async () => {
        const userId = uniqueId("nouser");
        const failure = status().create({ userId, blocked: true });
        await expect(failure).rejects.toThrow(
            `UserStatus create failed for user "${userId}": User with the requested ID could not be found (user_not_found, HTTP 404). ` +
                "The user does not exist in Appwrite; declare the User resource and pass its `userId` output.",
        );
    });

    it("retries a status change after a 503", async () => {
        const userId = await someUser();
        appwrite.emulator.injectFault({ route: "PATCH /v1/users/:userId/status", kind: "503" });
        await status().create({ userId, blocked: true });
        expect(appwrite.emulator.requestCounts()).toEqual({ "PATCH /v1/users/:userId/status": 2 });
    });
});
