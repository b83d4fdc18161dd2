import { MessagingProviderType, Query } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { expectError, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();
const { Email, Sms, Push } = MessagingProviderType;

describe("messaging targets", () => {
    it("validates the identifier by provider type before looking the user up", async () => {
        await expectError(
            h.users.createTarget({ userId: "nobody", targetId: "t", providerType: Email, identifier: "not-an-email" }),
            400,
            "general_invalid_email",
            "Value must be a valid email address.",
        );
        await expectError(
            h.users.createTarget({ userId: "nobody", targetId: "t", providerType: Sms, identifier: "+92300123456" }),
            400,
            "general_invalid_phone",
        );
        await expectError(
            h.users.createTarget({ userId: "nobody", targetId: "t", providerType: Push, identifier: "anything" }),
            404,
            "user_not_found",
        );
    });

    it("accepts an upper-case provider type in validation but refuses it as an incorrect type", async () => {
        await expectError(
            h.users.createTarget({
                userId: "nobody",
                targetId: "t",
                providerType: "EMAIL" as MessagingProviderType,
                identifier: "a@b.org",
            }),
            400,
            "provider_incorrect_type",
        );
        await expectError(
            h.users.createTarget({ userId: "nobody", targetId: "t", providerType: "fax" as MessagingProviderType, identifier: "1" }),
            400,
            "general_argument_invalid",
            "Invalid `providerType` param: Value must be one of (email, sms, push)",
        );
    });

    it("stores the identifier as given (not lower-cased), ignores an unknown providerId and generates unique() IDs", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        const t = await h.users.createTarget({
            userId,
            targetId: "unique()",
            providerType: Email,
            identifier: `Mixed.${userId}@Example.org`,
            providerId: "no-such-provider",
            name: "Work",
        });
        expect(t.$id).toMatch(/^[0-9a-f]{20}$/);
        expect(t).toMatchObject({ identifier: `Mixed.${userId}@Example.org`, providerId: null, name: "Work" });
    });

    it("refuses an identifier that differs from another target's only in case, as Appwrite's case-insensitive unique index does", async () => {
        const a = uniqueId();
        const b = uniqueId();
        await h.users.create({ userId: a, email: `${a}@example.org` });
        await h.users.create({ userId: b });
        await expectError(
            h.users.createTarget({ userId: a, targetId: "mixed", providerType: Email, identifier: `${a.toUpperCase()}@Example.ORG` }),
            409,
            "user_target_already_exists",
        );
        await h.users.createTarget({ userId: b, targetId: "tok", providerType: Push, identifier: `Token-${b}` });
        await expectError(
            h.users.createTarget({ userId: b, targetId: "tok2", providerType: Push, identifier: `token-${b}`.toUpperCase() }),
            409,
            "user_target_already_exists",
        );
        await h.users.createTarget({ userId: b, targetId: "other", providerType: Push, identifier: `other-${b}` });
        await expectError(h.users.updateTarget({ userId: b, targetId: "other", identifier: `TOKEN-${b}` }), 500, "general_unknown");
        expect((await h.users.updateTarget({ userId: b, targetId: "tok", identifier: `TOKEN-${b}` })).identifier).toBe(`TOKEN-${b}`);
        expect((await h.users.listTargets({ userId: a })).targets.map((t) => t.identifier)).toEqual([`${a}@example.org`]);
    });

    it("refuses a duplicate target ID anywhere in the project", async () => {
        const a = uniqueId();
        const b = uniqueId();
        await h.users.create({ userId: a });
        await h.users.create({ userId: b });
        await h.users.createTarget({ userId: a, targetId: `t-${a}`, providerType: Push, identifier: `tok-${a}` });
        await expectError(
            h.users.createTarget({ userId: b, targetId: `t-${a}`, providerType: Push, identifier: `tok-${b}` }),
            409,
            "user_target_already_exists",
            "A target with the same ID already exists.",
        );
    });

    it("hides another user's target: get, update and delete answer user_target_not_found", async () => {
        const a = uniqueId();
        const b = uniqueId();
        await h.users.create({ userId: a });
        await h.users.create({ userId: b });
        await h.users.createTarget({ userId: a, targetId: `own-${a}`, providerType: Push, identifier: `tok-own-${a}` });
        const message = "The target could not be found.";
        await expectError(h.users.getTarget({ userId: b, targetId: `own-${a}` }), 404, "user_target_not_found", message);
        await expectError(h.users.updateTarget({ userId: b, targetId: `own-${a}`, name: "x" }), 404, "user_target_not_found");
        await expectError(h.users.deleteTarget({ userId: b, targetId: `own-${a}` }), 404, "user_target_not_found");
        await expectError(h.users.getTarget({ userId: "nobody", targetId: `own-${a}` }), 404, "user_not_found");
    });

    it("updates the identifier (validated by the stored type, resetting expired) without touching the user's email", async () => {
        const userId = uniqueId();
        const user = await h.users.create({ userId, email: `${userId}@example.org` });
        const mail = user.targets[0]!;
        await expectError(h.users.updateTarget({ userId, targetId: mail.$id, identifier: "nope" }), 400, "general_invalid_email");
        const updated = await h.users.updateTarget({ userId, targetId: mail.$id, identifier: `Alias.${userId}@example.org` });
        expect(updated.identifier).toBe(`Alias.${userId}@example.org`);
        expect(updated.expired).toBe(false);
        expect((await h.users.get({ userId })).email).toBe(`${userId}@example.org`);
    });

    it("answers 500 for an identifier clash on update, 404 for an unknown provider, and never clears a name", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        await h.users.createTarget({ userId, targetId: "one", providerType: Push, identifier: `one-${userId}` });
        await h.users.createTarget({ userId, targetId: "two", providerType: Push, identifier: `two-${userId}`, name: "Two" });
        await expectError(
            h.users.updateTarget({ userId, targetId: "two", identifier: `one-${userId}` }),
            500,
            "general_unknown",
            "Server Error",
        );
        await expectError(h.users.updateTarget({ userId, targetId: "two", providerId: "missing" }), 404, "provider_not_found");
        await expectError(h.users.updateTarget({ userId, targetId: "two", name: "" }), 400, "general_argument_invalid");
        expect((await h.users.updateTarget({ userId, targetId: "two" })).name).toBe("Two");
    });

    it("lists only the user's targets, with queries, total and cursor errors", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, email: `${userId}@example.org`, phone: "+14155551000" });
        await h.users.createTarget({ userId, targetId: `p-${userId}`, providerType: Push, identifier: `tok-${userId}` });
        const all = await h.users.listTargets({ userId });
        expect(all.total).toBe(3);
        expect(all.targets.map((t) => t.providerType)).toEqual(["email", "sms", "push"]);
        const push = await h.users.listTargets({ userId, queries: [Query.equal("providerType", "push")] });
        expect(push.targets.map((t) => t.$id)).toEqual([`p-${userId}`]);
        expect((await h.users.listTargets({ userId, total: false })).total).toBe(0);
        await expectError(
            h.users.listTargets({ userId, queries: [Query.cursorAfter("gone")] }),
            400,
            "general_cursor_not_found",
            "Target 'gone' for the 'cursor' value not found.",
        );
        await expectError(
            h.users.listTargets({ userId, queries: [Query.equal("name", "x")] }),
            400,
            "general_argument_invalid",
            "Invalid `queries` param: Invalid query: Attribute not found in schema: name",
        );
    });

    it("lets the auto-created targets be deleted while the user keeps its email and phone", async () => {
        const userId = uniqueId();
        const user = await h.users.create({ userId, email: `${userId}@example.org`, phone: "+14155551001" });
        for (const t of user.targets) await h.users.deleteTarget({ userId, targetId: t.$id });
        const after = await h.users.get({ userId });
        expect({ email: after.email, phone: after.phone, targets: after.targets }).toEqual({
            email: `${userId}@example.org`,
            phone: "+14155551001",
            targets: [],
        });
    });

    it("deletes a user's targets with the user", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, email: `${userId}@example.org` });
        await h.users.createTarget({ userId, targetId: `gone-${userId}`, providerType: Push, identifier: `tok-gone-${userId}` });
        await h.users.delete({ userId });
        await h.users.create({ userId });
        expect((await h.users.listTargets({ userId })).total).toBe(0);
        const reused = await h.users.createTarget({
            userId,
            targetId: `gone-${userId}`,
            providerType: Push,
            identifier: `tok-gone-${userId}`,
        });
        expect(reused.$id).toBe(`gone-${userId}`);
    });
});
