import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { registeredBy } from "../support/pulumi-mocks";
import { User } from "../../sdk";

/** `User.impersonator`: managed when declared, one request per change, drift when changed elsewhere. */

let appwrite: EmulatedAppwrite;
const user = () => appwrite.provider("User");
const IMPERSONATOR = "PATCH /v1/users/:userId/impersonator";

useEmulatedAppwrite((started) => (appwrite = started));

describe("User impersonator", () => {
    it("create with impersonator: true makes the user and sets the flag with one more request", async () => {
        const userId = uniqueId("imp");
        const { outs } = await user().create({ userId, name: "Support", impersonator: true });
        expect(outs).toMatchObject({ userId, impersonator: true, declaredInputs: ["impersonator", "name"] });
        expect(appwrite.emulator.requestCounts()).toEqual({ "POST /v1/users": 1, [IMPERSONATOR]: 1 });
        expect((await appwrite.users.get({ userId })).impersonator).toBe(true);
    });

    it("create with impersonator: false sends nothing for it, Appwrite's default being false", async () => {
        const userId = uniqueId("imp");
        const { outs } = await user().create({ userId, impersonator: false });
        expect(outs).toMatchObject({ impersonator: false });
        expect(appwrite.emulator.requestCounts()).toEqual({ "POST /v1/users": 1 });
    });

    it("a change of impersonator is an in-place update of one request", async () => {
        const userId = uniqueId("imp");
        const { outs } = await user().create({ userId, impersonator: true });
        const declared = { userId, impersonator: false };
        expect(await user().diff(userId, outs, declared)).toEqual({ changes: true });
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await user().update(userId, outs, declared);
        expect(updated).toMatchObject({ impersonator: false });
        expect(appwrite.emulator.requestCounts()).toEqual({ [IMPERSONATOR]: 1 });
        expect((await appwrite.users.get({ userId })).impersonator).toBe(false);
    });

    it("a flag changed outside Pulumi is drift when declared, and the update sets it back", async () => {
        const userId = uniqueId("imp");
        const declared = { userId, impersonator: false };
        const { outs } = await user().create(declared);
        await appwrite.users.updateImpersonator({ userId, impersonator: true });
        const read = await user().read(userId, outs);
        expect(read.inputs).toEqual({ userId, impersonator: true });
        expect(await user().diff(userId, read.props, declared)).toEqual({ changes: true });
        await user().update(userId, read.props, declared);
        expect((await appwrite.users.get({ userId })).impersonator).toBe(false);
    });

    it("left out, the flag is not managed: a change outside Pulumi is not drift", async () => {
        const userId = uniqueId("imp");
        const declared = { userId, name: "Plain" };
        const { outs } = await user().create(declared);
        await appwrite.users.updateImpersonator({ userId, impersonator: true });
        const read = await user().read(userId, outs);
        expect(read.inputs).toEqual({ userId, name: "Plain" });
        expect(await user().diff(userId, read.props, declared)).toEqual({ changes: false });
    });

    it("state written before impersonator existed reads without it, and declaring false sends nothing", async () => {
        const userId = uniqueId("imp");
        const { outs } = await user().create({ userId, name: "Old" });
        const { impersonator: _dropped, ...older } = outs as Record<string, unknown>;
        const legacy = { ...older, declaredInputs: null };
        expect((await user().read(userId, legacy)).inputs).not.toHaveProperty("impersonator");
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await user().update(userId, older, { userId, name: "Old", impersonator: false });
        expect(updated).toMatchObject({ impersonator: false, declaredInputs: ["impersonator", "name"] });
        expect(appwrite.emulator.writeRequests()).toBe(0);
    });

    it("the SDK class passes impersonator through and lists it among the outputs", async () => {
        const { registered } = await registeredBy(() => new User("support", { userId: "support", impersonator: true }));
        expect(registered[0]?.inputs).toMatchObject({ userId: "support", impersonator: true });
    });
});
