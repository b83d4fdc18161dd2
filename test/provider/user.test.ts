import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAppwrite, uniqueId, uniquePhone, type TestAppwrite } from "../support/appwrite";

const SHIM = "exports.handler = () => provider; // stands in for the serialized shim";

let appwrite: TestAppwrite;
let user: ReturnType<TestAppwrite["provider"]>;

beforeAll(async () => {
    appwrite = await startAppwrite();
    user = appwrite.provider("User");
});
afterAll(() => appwrite.stop());
beforeEach(() => appwrite.configure());

async function created(inputs: Record<string, unknown>) {
    const { failures } = await user.check({}, inputs);
    expect(failures ?? []).toEqual([]);
    const result = await user.create({ ...inputs, __provider: SHIM });
    return result as { id: string; outs: Record<string, unknown> };
}

const [phone23, phone24, phone25, phone26, phone27] = Array.from({ length: 5 }, uniquePhone);

describe("User lifecycle against Appwrite", () => {
    it("creates a user with a password and reads back the same outputs", async () => {
        const userId = uniqueId("life");
        const { id, outs } = await created({ userId, email: `${userId}@example.org`, name: "Ada", password: "correct horse" });
        expect(id).toBe(userId);
        expect(outs).toMatchObject({
            userId,
            email: `${userId}@example.org`,
            phone: null,
            name: "Ada",
            password: "correct horse",
            passwordHash: null,
            emailVerification: false,
            phoneVerification: false,
            mfa: false,
            adopt: false,
            declaredInputs: ["email", "name", "password"],
        });
        expect(typeof outs.registration).toBe("string");
        expect(typeof outs.passwordUpdate).toBe("string");
        const read = await user.read(id, outs);
        expect(read.id).toBe(userId);
        expect(read.props).toEqual(outs);
        expect(read.inputs).toEqual({ userId, email: `${userId}@example.org`, name: "Ada", password: "correct horse" });
    });

    it("never puts Appwrite's password hash, hash or hashOptions into outputs", async () => {
        const userId = uniqueId("nohash");
        const { outs } = await created({ userId, email: `${userId}@example.org`, password: "correct horse" });
        const read = await user.read(userId, outs);
        for (const value of [outs, read.props, read.inputs]) {
            const text = JSON.stringify(value);
            expect(text).not.toContain("argon2");
            expect(text).not.toContain("hashOptions");
            expect(Object.keys(value as object)).not.toContain("hash");
        }
    });

    it("creates a user without email, phone or password", async () => {
        const userId = uniqueId("bare");
        const { outs } = await created({ userId });
        expect(outs).toMatchObject({ userId, email: null, phone: null, name: "", password: null, passwordUpdate: null });
        expect(JSON.stringify(outs)).not.toContain("undefined");
    });

    it("keeps the declared spelling of an email that Appwrite stores lower-cased", async () => {
        const userId = uniqueId("case");
        const { outs } = await created({ userId, email: `Mixed.${userId}@Example.ORG` });
        expect(outs.email).toBe(`Mixed.${userId}@Example.ORG`);
        const live = await appwrite.users.get({ userId });
        expect(live.email).toBe(`mixed.${userId}@example.org`);
        const diff = await user.diff(userId, outs, { userId, email: `mixed.${userId}@example.org`, __provider: SHIM });
        expect(diff.changes).toBe(false);
    });

    it("sets the verification flags and MFA at create when they differ from Appwrite's defaults", async () => {
        const userId = uniqueId("flags");
        const { outs } = await created({
            userId,
            email: `${userId}@example.org`,
            phone: phone23,
            emailVerification: true,
            phoneVerification: true,
            mfa: true,
        });
        expect(outs).toMatchObject({ emailVerification: true, phoneVerification: true, mfa: true });
        const live = await appwrite.users.get({ userId });
        expect([live.emailVerification, live.phoneVerification, live.mfa]).toEqual([true, true, true]);
    });

    it("updates each input in place and returns complete outputs", async () => {
        const userId = uniqueId("upd");
        const base = { userId, email: `${userId}@example.org`, phone: phone24, name: "Before", password: "first password" };
        let { outs } = await created(base);
        const changes: Record<string, unknown>[] = [
            { email: `new-${userId}@example.org` },
            { phone: phone25 },
            { name: "After" },
            { password: "second password" },
            { emailVerification: true },
            { phoneVerification: true },
            { mfa: true },
        ];
        let declared: Record<string, unknown> = { ...base };
        for (const change of changes) {
            declared = { ...declared, ...change };
            const diff = await user.diff(userId, outs, { ...declared, __provider: SHIM });
            expect(diff).toEqual({ changes: true });
            outs = (await user.update(userId, outs, { ...declared, __provider: SHIM })).outs;
            expect(outs).toMatchObject(change);
            expect(Object.keys(outs)).toEqual(expect.arrayContaining(["registration", "passwordUpdate", "userId"]));
        }
        const live = await appwrite.users.get({ userId });
        expect(live).toMatchObject({
            email: `new-${userId}@example.org`,
            phone: phone25,
            name: "After",
            emailVerification: true,
            phoneVerification: true,
            mfa: true,
        });
        expect((await user.diff(userId, outs, { ...declared, __provider: SHIM })).changes).toBe(false);
    });

    it("sets emailVerification again after an email change, which resets it in Appwrite", async () => {
        const userId = uniqueId("reverify");
        const base = { userId, email: `${userId}@example.org`, emailVerification: true };
        const { outs } = await created(base);
        const next = { ...base, email: `moved-${userId}@example.org` };
        const updated = await user.update(userId, outs, next);
        expect(updated.outs).toMatchObject({ email: next.email, emailVerification: true });
        expect((await appwrite.users.get({ userId })).emailVerification).toBe(true);
    });

    it("reads an empty id after the user was deleted outside Pulumi", async () => {
        const userId = uniqueId("gone");
        const { outs } = await created({ userId, email: `${userId}@example.org` });
        await appwrite.users.delete({ userId });
        expect(await user.read(userId, outs)).toEqual({});
    });

    it("deletes the user, and a second delete of the same user succeeds", async () => {
        const userId = uniqueId("del");
        const { outs } = await created({ userId, email: `${userId}@example.org` });
        await user.delete(userId, outs);
        await expect(appwrite.users.get({ userId })).rejects.toMatchObject({ code: 404 });
        await expect(user.delete(userId, outs)).resolves.toBeUndefined();
    });

    it("lets the email and phone of a deleted user be used again at once", async () => {
        const userId = uniqueId("reuse");
        const inputs = { userId, email: `${userId}@example.org`, phone: phone26 };
        const first = await created(inputs);
        await user.delete(userId, first.outs);
        const second = await created(inputs);
        expect(second.outs).toMatchObject({ email: inputs.email, phone: inputs.phone });
    });

    it("moves from passwordHash to password with an in-place password update", async () => {
        const userId = uniqueId("tohash");
        const passwordHash = { algorithm: "md5", hash: "5f4dcc3b5aa765d61d8327deb882cf99" };
        const { outs } = await created({ userId, email: `${userId}@example.org`, passwordHash });
        const next = { userId, email: `${userId}@example.org`, password: "a real password" };
        expect(await user.diff(userId, outs, next)).toEqual({ changes: true });
        const updated = await user.update(userId, outs, next);
        expect(updated.outs).toMatchObject({ password: "a real password", passwordHash: null });
        expect((await appwrite.users.get({ userId })).hash).toBe("argon2");
    });
});

describe("User created from a pre-hashed password", () => {
    const hashes: Record<string, unknown>[] = [
        { algorithm: "argon2", hash: "$argon2id$v=19$m=65536,t=4,p=3$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo" },
        { algorithm: "bcrypt", hash: "$2y$10$abcdefghijklmnopqrstuuJ2qM6b5l5n3W1xkzQm9xYp6QeRjZk1y" },
        { algorithm: "md5", hash: "5f4dcc3b5aa765d61d8327deb882cf99" },
        { algorithm: "phpass", hash: "$P$984478476IagS59wHZvyQMArzfx58u." },
        { algorithm: "sha", hash: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", passwordVersion: "sha256" },
        {
            algorithm: "scrypt",
            hash: "aGFzaGhhc2hoYXNoaGFzaA==",
            passwordSalt: "c2FsdA==",
            passwordCpu: 16384,
            passwordMemory: 8,
            passwordParallel: 1,
            passwordLength: 64,
        },
        {
            algorithm: "scryptModified",
            hash: "aGFzaGhhc2hoYXNoaGFzaA==",
            passwordSalt: "c2FsdA==",
            passwordSaltSeparator: "Bw==",
            passwordSignerKey: "c2lnbmVya2V5",
        },
    ];

    it.each(hashes)("creates the user with the $algorithm import and keeps the hash only as a secret output", async (passwordHash) => {
        const userId = uniqueId(`hash-${String(passwordHash.algorithm)}`);
        const { outs } = await created({ userId, email: `${userId}@example.org`, passwordHash });
        expect(outs.passwordHash).toEqual(passwordHash);
        expect(outs.password).toBeNull();
        const live = await appwrite.users.get({ userId });
        expect(live.password).toBe(passwordHash.hash);
        expect((await user.read(userId, outs)).props).toEqual(outs);
    });

    it("sets the phone with an update, since Appwrite's pre-hashed creates take none", async () => {
        const userId = uniqueId("hashphone");
        const passwordHash = { algorithm: "md5", hash: "5f4dcc3b5aa765d61d8327deb882cf99" };
        const { outs } = await created({ userId, email: `${userId}@example.org`, phone: phone27, passwordHash });
        expect(outs.phone).toBe(phone27);
        expect((await appwrite.users.get({ userId })).phone).toBe(phone27);
    });
});
