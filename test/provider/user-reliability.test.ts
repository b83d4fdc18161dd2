import { describe, expect, it } from "vitest";
import { AppwriteProviderError } from "../../provider/appwrite/errors";
import type { Emulator } from "../emulator";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;
let emulator: Emulator;
const user = () => appwrite.provider("User");

useEmulatedAppwrite((started) => {
    appwrite = started;
    emulator = started.emulator;
});

const counts = () => emulator.requestCounts();
type Outs = Record<string, unknown>;

describe("User request counts", () => {
    it("creates a user whose fields all match Appwrite's defaults with a single request", async () => {
        const userId = uniqueId("one");
        await user().create({ userId, email: `${userId}@example.org`, password: "a password", emailVerification: false, mfa: false });
        expect(counts()).toEqual({ "POST /v1/users": 1 });
    });

    it("updates one changed field with exactly one request", async () => {
        const userId = uniqueId("onefield");
        const declared = { userId, email: `${userId}@example.org`, name: "Before", password: "a password" };
        const { outs } = await user().create(declared);
        emulator.resetRequestCounts();
        await user().update(userId, outs, { ...declared, name: "After" });
        expect(counts()).toEqual({ "PATCH /v1/users/:userId/name": 1 });
    });

    it("sends nothing when an update finds every declared field already in place", async () => {
        const userId = uniqueId("noop");
        const declared = { userId, email: `${userId}@example.org` };
        const { outs } = await user().create(declared);
        emulator.resetRequestCounts();
        const updated = await user().update(userId, outs, declared);
        expect(updated.outs).toEqual(outs);
        expect(emulator.totalRequests()).toBe(0);
    });

    it("declaring an input Appwrite already agrees with is an update that sends nothing and records it", async () => {
        const userId = uniqueId("newly-declared");
        const { outs } = await user().create({ userId, name: "Declared" });
        const declared = { userId, name: "Declared", mfa: false };
        expect(await user().diff(userId, outs, declared)).toEqual({ changes: true });
        emulator.resetRequestCounts();
        const { outs: updated } = (await user().update(userId, outs, declared)) as { outs: Outs };
        expect(emulator.totalRequests()).toBe(0);
        expect(updated.declaredInputs).toEqual(["mfa", "name"]);
        expect(await user().diff(userId, updated, declared)).toEqual({ changes: false });
    });
});

describe("User partial create", () => {
    it("records the half-made user when a later request fails, and the next update finishes it", async () => {
        const userId = uniqueId("partial");
        const declared = { userId, email: `${userId}@example.org`, password: "a password", emailVerification: true, mfa: true };
        emulator.injectFault({ route: "PATCH /v1/users/:userId/verification", count: 4, kind: "503" });
        const failure = await user()
            .create(declared)
            .then(
                () => undefined,
                (err: unknown) => err,
            );
        expect(failure).toBeInstanceOf(AppwriteProviderError);
        const err = failure as AppwriteProviderError;
        expect(err.id).toBe(userId);
        expect(err.message).toContain(`User create failed for user "${userId}" while setting emailVerification`);
        expect(err.properties).toMatchObject({ userId, emailVerification: false, mfa: false, password: "a password" });
        expect(JSON.parse(JSON.stringify(err.properties))).toEqual(err.properties);

        emulator.resetRequestCounts();
        const finished = await user().update(userId, err.properties as Outs, declared);
        expect(finished.outs).toMatchObject({ emailVerification: true, mfa: true, password: "a password" });
        expect(counts()).toEqual({ "PATCH /v1/users/:userId/verification": 1, "PATCH /v1/users/:userId/mfa": 1 });
    });
});

describe("User adopt", () => {
    async function existing() {
        const userId = uniqueId("adopt");
        const before = await appwrite.users.create({ userId, email: `${userId}@example.org`, password: "original password", name: "Old" });
        emulator.resetRequestCounts();
        return { userId, before };
    }

    it("refuses to create over an existing user ID and explains adopt", async () => {
        const { userId } = await existing();
        const failure = user().create({ userId, email: `another-${userId}@example.org` });
        await expect(failure).rejects.toThrow(/A user with ID ".*" already exists in Appwrite\. Set `adopt: true` to take it over/);
        await expect(failure).rejects.toMatchObject({ code: 409, type: "user_already_exists", operation: "create", id: undefined });
    });

    it("takes over an existing user, brings it to the declared fields and leaves its password alone", async () => {
        const { userId, before } = await existing();
        const { id, outs } = await user().create({ userId, email: `taken-${userId}@example.org`, name: "New", adopt: true });
        expect(id).toBe(userId);
        expect(outs).toMatchObject({ email: `taken-${userId}@example.org`, name: "New", password: null, adopt: true });
        const sent = counts();
        const live = await appwrite.users.get({ userId });
        expect(live.passwordUpdate).toBe(before.passwordUpdate);
        expect(live.password).toBe(before.password);
        expect(sent).toEqual({ "GET /v1/users/:userId": 1, "PATCH /v1/users/:userId/email": 1, "PATCH /v1/users/:userId/name": 1 });
    });

    it("sets the password of an adopted user when one is declared", async () => {
        const { userId, before } = await existing();
        const { outs } = await user().create({ userId, password: "declared password", adopt: true });
        expect(outs).toMatchObject({ password: "declared password", name: "Old" });
        expect(counts()).toEqual({ "GET /v1/users/:userId": 1, "PATCH /v1/users/:userId/password": 1 });
        expect((await appwrite.users.get({ userId })).password).not.toBe(before.password);
    });

    it("creates the user as usual when adopt is set and no user has the ID", async () => {
        const userId = uniqueId("adoptnew");
        const { outs } = await user().create({ userId, email: `${userId}@example.org`, adopt: true });
        expect(outs).toMatchObject({ userId, adopt: true });
        expect(counts()).toEqual({ "GET /v1/users/:userId": 1, "POST /v1/users": 1 });
    });
});

describe("User retries", () => {
    it("retries a read after a 503 and succeeds", async () => {
        const userId = uniqueId("retryread");
        const { outs } = await user().create({ userId });
        emulator.resetRequestCounts();
        emulator.injectFault({ route: "GET /v1/users/:userId", kind: "503" });
        expect((await user().read(userId, outs)).id).toBe(userId);
        expect(counts()).toEqual({ "GET /v1/users/:userId": 2 });
    });

    it("retries an update after a 500 and succeeds", async () => {
        const userId = uniqueId("retryupd");
        const { outs } = await user().create({ userId, name: "Before" });
        emulator.resetRequestCounts();
        emulator.injectFault({ route: "PATCH /v1/users/:userId/name", kind: "500" });
        await user().update(userId, outs, { userId, name: "After" });
        expect(counts()).toEqual({ "PATCH /v1/users/:userId/name": 2 });
    });

    it("answers a create whose response was lost by looking the user up, never creating twice", async () => {
        const userId = uniqueId("lost");
        emulator.injectFault({ route: "POST /v1/users", kind: "drop-after" });
        const { outs } = await user().create({ userId, email: `${userId}@example.org`, password: "a password" });
        expect(outs).toMatchObject({ userId, email: `${userId}@example.org`, password: "a password" });
        expect(counts()).toEqual({ "POST /v1/users": 1, "GET /v1/users/:userId": 1 });
    });

    it.each(["503", "drop-before"] as const)("sends the create again after a %s that Appwrite never applied", async (kind) => {
        const userId = uniqueId("again");
        emulator.injectFault({ route: "POST /v1/users", kind });
        const { outs } = await user().create({ userId, email: `${userId}@example.org` });
        expect(outs).toMatchObject({ userId });
        expect(counts()).toEqual({ "POST /v1/users": 2, "GET /v1/users/:userId": 1 });
    });

    it("treats an email update whose answer was lost as done when the retry meets Appwrite's same-value conflict", async () => {
        const userId = uniqueId("lostemail");
        const { outs } = await user().create({ userId, email: `${userId}@example.org` });
        emulator.resetRequestCounts();
        emulator.injectFault({ route: "PATCH /v1/users/:userId/email", kind: "drop-after" });
        const updated = await user().update(userId, outs, { userId, email: `moved-${userId}@example.org` });
        expect(updated.outs).toMatchObject({ email: `moved-${userId}@example.org` });
        expect(counts()).toEqual({ "PATCH /v1/users/:userId/email": 2, "GET /v1/users/:userId": 1 });
    });

    it("gives up after four attempts and says Appwrite kept failing", async () => {
        const userId = uniqueId("giveup");
        const { outs } = await user().create({ userId });
        emulator.resetRequestCounts();
        emulator.injectFault({ route: "GET /v1/users/:userId", count: 4, kind: "503" });
        await expect(user().read(userId, outs)).rejects.toThrow(`User read failed for user "${userId}"`);
        expect(counts()).toEqual({ "GET /v1/users/:userId": 4 });
    });
});
