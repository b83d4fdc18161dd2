import { MessagingProviderType, Users } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { clientFor, expectError, uniqueId, useEmulator } from "./helpers";
import { startEmulator } from "./index";

const h = useEmulator();

describe("emails, phones and their auto-created targets", () => {
    it("stores and returns emails lower-cased, phones and target identifiers as given", async () => {
        const userId = uniqueId();
        const user = await h.users.create({ userId, email: "Mixed.Case@Example.ORG", phone: "+14155550001" });
        expect(user.email).toBe("mixed.case@example.org");
        expect(user.targets.map((t) => [t.providerType, t.identifier])).toEqual([
            ["email", "mixed.case@example.org"],
            ["sms", "+14155550001"],
        ]);
        for (const t of user.targets) {
            expect(t.$id).toMatch(/^[0-9a-f]{20}$/);
            expect(t).toMatchObject({ userId, name: "", providerId: null, expired: false });
        }
    });

    it("answers every create clash with 409 user_already_exists: ID, email in any case, phone", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, email: `${userId}@example.org`, phone: "+14155550002" });
        const message = "A user with the same id, email, or phone already exists in this project.";
        await expectError(h.users.create({ userId }), 409, "user_already_exists", message);
        await expectError(
            h.users.create({ userId: uniqueId(), email: `${userId.toUpperCase()}@EXAMPLE.org` }),
            409,
            "user_already_exists",
            message,
        );
        await expectError(h.users.create({ userId: uniqueId(), phone: "+14155550002" }), 409, "user_already_exists", message);
    });

    it("refuses to set the email or phone to its current value: the user's own target clashes", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, email: `${userId}@example.org`, phone: "+14155550003" });
        const message = "A target with the same ID already exists.";
        await expectError(h.users.updateEmail({ userId, email: `${userId}@example.org` }), 409, "user_target_already_exists", message);
        await expectError(h.users.updateEmail({ userId, email: `${userId}@EXAMPLE.org` }), 409, "user_target_already_exists");
        await expectError(h.users.updatePhone({ userId, number: "+14155550003" }), 409, "user_target_already_exists", message);
    });

    it("answers user_target_already_exists, not email/phone_already_exists, when taking another user's value", async () => {
        const a = uniqueId();
        const b = uniqueId();
        await h.users.create({ userId: a, email: `${a}@example.org`, phone: "+14155550004" });
        await h.users.create({ userId: b });
        await expectError(h.users.updateEmail({ userId: b, email: `${a}@example.org` }), 409, "user_target_already_exists");
        await expectError(h.users.updatePhone({ userId: b, number: "+14155550004" }), 409, "user_target_already_exists");
    });

    it("falls back to the unique index when the other user's target is gone", async () => {
        const a = uniqueId();
        const b = uniqueId();
        const owner = await h.users.create({ userId: a, email: `${a}@example.org`, phone: "+14155550005" });
        for (const t of owner.targets) await h.users.deleteTarget({ userId: a, targetId: t.$id });
        await h.users.create({ userId: b });
        await expectError(
            h.users.updateEmail({ userId: b, email: `${a}@example.org` }),
            409,
            "user_email_already_exists",
            "A user with the same email already exists in the current project.",
        );
        await expectError(
            h.users.updatePhone({ userId: b, number: "+14155550005" }),
            409,
            "user_phone_already_exists",
            "A user with the same phone number already exists in the current project.",
        );
    });

    it("changes the email target in place, keeping its ID; the response shows the target's old $updatedAt", async () => {
        const userId = uniqueId();
        const created = await h.users.create({ userId, email: `${userId}@example.org` });
        const before = created.targets[0]!;
        await new Promise((r) => setTimeout(r, 5));
        const updated = await h.users.updateEmail({ userId, email: `NEW-${userId}@example.org` });
        expect(updated.email).toBe(`new-${userId}@example.org`);
        expect(updated.targets).toEqual([{ ...before, identifier: `new-${userId}@example.org` }]);
        const stored = await h.users.getTarget({ userId, targetId: before.$id });
        expect(stored.identifier).toBe(`new-${userId}@example.org`);
        expect(stored.$updatedAt > before.$updatedAt).toBe(true);
    });

    it("clears the email to an empty string and deletes its target, though the update response still lists it", async () => {
        const userId = uniqueId();
        const created = await h.users.create({ userId, email: `${userId}@example.org` });
        const cleared = await h.users.updateEmail({ userId, email: "" });
        expect(cleared.email).toBe("");
        expect(cleared.targets).toEqual(created.targets);
        expect((await h.users.get({ userId })).targets).toEqual([]);
    });

    it('clears the phone (stored as null, shown as "") and deletes its target, with the same stale response', async () => {
        const userId = uniqueId();
        const created = await h.users.create({ userId, phone: "+14155550006" });
        const cleared = await h.users.updatePhone({ userId, number: "" });
        expect(cleared.phone).toBe("");
        expect(cleared.targets).toEqual(created.targets);
        expect((await h.users.get({ userId })).targets).toEqual([]);
    });

    it("lets two users clear their phones, but a second cleared email clashes on the unique email index", async () => {
        // Its own emulator: other tests here leave a user with a cleared email behind.
        const emu = await startEmulator();
        const users = new Users(clientFor(emu));
        try {
            await users.create({ userId: "a", email: "a@example.org", phone: "+14155550007" });
            await users.create({ userId: "b", email: "b@example.org", phone: "+14155550008" });
            await users.updatePhone({ userId: "a", number: "" });
            await users.updatePhone({ userId: "b", number: "" });
            await users.updateEmail({ userId: "a", email: "" });
            await expectError(users.updateEmail({ userId: "b", email: "" }), 409, "user_email_already_exists");
        } finally {
            await emu.stop();
        }
    });

    it("creates a new target with a new ID when the old one was deleted", async () => {
        const userId = uniqueId();
        const created = await h.users.create({ userId, phone: "+14155550009" });
        await h.users.deleteTarget({ userId, targetId: created.targets[0]!.$id });
        const updated = await h.users.updatePhone({ userId, number: "+14155550010" });
        expect(updated.targets).toHaveLength(1);
        expect(updated.targets[0]!.$id).not.toBe(created.targets[0]!.$id);
        expect(updated.targets[0]).toMatchObject({ providerType: "sms", identifier: "+14155550010" });
        expect((await h.users.get({ userId })).targets).toEqual(updated.targets);
    });

    it("always resets the verification flag of the changed channel", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, email: `${userId}@example.org`, phone: "+14155550011" });
        await h.users.updateEmailVerification({ userId, emailVerification: true });
        await h.users.updatePhoneVerification({ userId, phoneVerification: true });
        expect((await h.users.updateEmail({ userId, email: `other-${userId}@example.org` })).emailVerification).toBe(false);
        expect((await h.users.updatePhone({ userId, number: "" })).phoneVerification).toBe(false);
    });

    it("makes target identifiers unique across the project: createTarget with the user's own email is 409", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, email: `${userId}@example.org` });
        await expectError(
            h.users.createTarget({
                userId,
                targetId: "mail2",
                providerType: MessagingProviderType.Email,
                identifier: `${userId}@example.org`,
            }),
            409,
            "user_target_already_exists",
        );
    });

    it("swallows a target clash on create and lists the other user's target in the response only", async () => {
        const a = uniqueId();
        const b = uniqueId();
        await h.users.create({ userId: a });
        const foreign = await h.users.createTarget({
            userId: a,
            targetId: "foreign",
            providerType: MessagingProviderType.Email,
            identifier: `${b}@example.org`,
        });
        const created = await h.users.create({ userId: b, email: `${b}@example.org` });
        expect(created.targets).toEqual([foreign]);
        expect((await h.users.get({ userId: b })).targets).toEqual([]);
    });

    it("frees the ID, email, phone and identifiers of a deleted user at once", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, email: `${userId}@example.org`, phone: "+14155550012" });
        await h.users.delete({ userId });
        const again = await h.users.create({ userId, email: `${userId}@example.org`, phone: "+14155550012" });
        expect(again.targets).toHaveLength(2);
    });
});
