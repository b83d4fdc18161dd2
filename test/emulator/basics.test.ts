import { MessagingProviderType, Query, Users } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { clientFor, expectError, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();

describe("the emulator's Users API through node-appwrite", () => {
    it("creates a user and reads it back with get and list", async () => {
        const id = uniqueId();
        const created = await h.users.create({ userId: id, email: `${id}@Corp.Example.org`, name: "Ada" });
        expect(created.$id).toBe(id);
        expect(created.email).toBe(`${id}@corp.example.org`);
        expect(created.name).toBe("Ada");
        expect(created.status).toBe(true);
        expect(created.labels).toEqual([]);
        expect(created.prefs).toEqual({});
        expect(created.password).toBeNull();
        expect(created.passwordUpdate).toBe("");
        expect(created.targets).toHaveLength(1);
        expect(created.$createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);

        const got = await h.users.get({ userId: id });
        expect(got).toEqual(created);

        const listed = await h.users.list({ queries: [Query.equal("$id", id)] });
        expect(listed.total).toBe(1);
        expect(listed.users[0]).toEqual(created);
    });

    it("updates name, email, phone, password, verification, MFA, labels, prefs and status", async () => {
        const id = uniqueId();
        await h.users.create({ userId: id });
        expect((await h.users.updateName({ userId: id, name: "Grace" })).name).toBe("Grace");
        expect((await h.users.updateEmail({ userId: id, email: `${id}@example.org` })).email).toBe(`${id}@example.org`);
        expect((await h.users.updatePhone({ userId: id, number: "+14155550123" })).phone).toBe("+14155550123");
        const withPassword = await h.users.updatePassword({ userId: id, password: "correct horse" });
        expect(withPassword.password).toMatch(/^\$argon2id\$v=19\$m=65536,t=4,p=3\$/);
        expect((await h.users.updateEmailVerification({ userId: id, emailVerification: true })).emailVerification).toBe(true);
        expect((await h.users.updatePhoneVerification({ userId: id, phoneVerification: true })).phoneVerification).toBe(true);
        expect((await h.users.updateMFA({ userId: id, mfa: true })).mfa).toBe(true);
        expect((await h.users.updateLabels({ userId: id, labels: ["b", "a", "b"] })).labels).toEqual(["b", "a"]);
        expect(await h.users.updatePrefs({ userId: id, prefs: { theme: "dark" } })).toEqual({ theme: "dark" });
        expect(await h.users.getPrefs({ userId: id })).toEqual({ theme: "dark" });
        expect((await h.users.updateStatus({ userId: id, status: false })).status).toBe(false);
    });

    it("deletes a user with a 204 the SDK resolves to an empty message, and a second delete is 404", async () => {
        const id = uniqueId();
        await h.users.create({ userId: id });
        expect(await h.users.delete({ userId: id })).toEqual({ message: "" });
        await expectError(h.users.delete({ userId: id }), 404, "user_not_found", "User with the requested ID could not be found.");
    });

    it("creates, reads, lists, updates and deletes a target", async () => {
        const id = uniqueId();
        await h.users.create({ userId: id });
        const t = await h.users.createTarget({
            userId: id,
            targetId: "push1",
            providerType: MessagingProviderType.Push,
            identifier: "device-token",
        });
        expect(t).toMatchObject({
            $id: "push1",
            userId: id,
            providerType: "push",
            identifier: "device-token",
            name: "",
            providerId: null,
            expired: false,
        });
        expect(await h.users.getTarget({ userId: id, targetId: "push1" })).toEqual(t);
        expect((await h.users.listTargets({ userId: id })).targets).toEqual([t]);
        expect((await h.users.updateTarget({ userId: id, targetId: "push1", name: "phone" })).name).toBe("phone");
        expect(await h.users.deleteTarget({ userId: id, targetId: "push1" })).toEqual({ message: "" });
        expect((await h.users.listTargets({ userId: id })).total).toBe(0);
    });

    it("counts requests by method and route and injects faults", async () => {
        const id = uniqueId();
        await h.users.create({ userId: id });
        h.emu.resetRequestCounts();
        await h.users.get({ userId: id });
        await h.users.updateName({ userId: id, name: "x" });
        expect(h.emu.requestCounts()).toEqual({ "GET /v1/users/:userId": 1, "PATCH /v1/users/:userId/name": 1 });
        expect(h.emu.totalRequests()).toBe(2);
        expect(h.emu.writeRequests()).toBe(1);

        h.emu.injectFault({ route: "GET /v1/users/:userId", count: 1, kind: "503" });
        await expectError(h.users.get({ userId: id }), 503, "general_unknown");
        expect((await h.users.get({ userId: id })).$id).toBe(id);
    });

    it("refuses a request without a key, with a wrong key, and a key without the needed scope", async () => {
        const noKey = new Users(clientFor(h.emu, ""));
        await expectError(noKey.list(), 401, "general_unauthorized_scope", 'User (role: guests) missing scopes (["users.read"])');
        await expectError(new Users(clientFor(h.emu, "wrong")).list(), 401, "user_unauthorized");
        h.emu.addKey("read-only", ["users.read"]);
        const readOnly = new Users(clientFor(h.emu, "read-only"));
        await readOnly.list();
        await expectError(
            readOnly.create({ userId: uniqueId() }),
            401,
            "general_unauthorized_scope",
            `app.${h.emu.projectId}@service.127.0.0.1 (role: applications) missing scopes (["users.write"])`,
        );
    });
});
