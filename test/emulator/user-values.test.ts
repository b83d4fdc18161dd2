import { PasswordHash } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { expectError, rawCall, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();
const tick = () => new Promise((r) => setTimeout(r, 5));
const ARGON2 = { type: "argon2", memory_cost: 65536, time_cost: 4, threads: 3 };

describe("labels and prefs", () => {
    it("de-duplicates labels keeping the first occurrence, case-sensitively, without sorting", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        const user = await h.users.updateLabels({ userId, labels: ["vip", "VIP", "beta", "vip", "alpha"] });
        expect(user.labels).toEqual(["vip", "VIP", "beta", "alpha"]);
        expect((await h.users.updateLabels({ userId, labels: ["z"] })).labels).toEqual(["z"]);
        expect((await h.users.updateLabels({ userId, labels: [] })).labels).toEqual([]);
    });

    it("replaces prefs whole and answers the prefs object, not the user", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        expect(await h.users.updatePrefs({ userId, prefs: { a: 1, b: { c: true } } })).toEqual({ a: 1, b: { c: true } });
        expect(await h.users.updatePrefs({ userId, prefs: { d: "x" } })).toEqual({ d: "x" });
        expect(await h.users.getPrefs({ userId })).toEqual({ d: "x" });
        expect((await h.users.get({ userId })).prefs).toEqual({ d: "x" });
        expect(await h.users.updatePrefs({ userId, prefs: {} })).toEqual({});
        expect(await h.users.getPrefs({ userId })).toEqual({});
    });

    it("returns a nested empty object as [] and sequential numeric keys as a list, as PHP does", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        const answered = await h.users.updatePrefs({ userId, prefs: { empty: {}, list: { 0: "a", 1: "b" }, keep: { x: {} } } });
        expect(answered).toEqual({ empty: [], list: ["a", "b"], keep: { x: [] } });
        expect(await h.users.getPrefs({ userId })).toEqual(answered);
    });

    it("rejects prefs that are a list, a string or over 65535 bytes of PHP JSON", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        const invalid = "Invalid `prefs` param: Value must be a valid object.";
        await expectError(rawCall(h, "PATCH", `/users/${userId}/prefs`, { prefs: ["a"] }), 400, "general_argument_invalid", invalid);
        await expectError(rawCall(h, "PATCH", `/users/${userId}/prefs`, { prefs: "x" }), 400, "general_argument_invalid", invalid);
        // {"k":"…"} is 8 bytes plus the value: 65527 ASCII bytes is exactly the limit.
        await h.users.updatePrefs({ userId, prefs: { k: "a".repeat(65527) } });
        await expectError(h.users.updatePrefs({ userId, prefs: { k: "a".repeat(65528) } }), 400, "general_argument_invalid", invalid);
        // PHP writes "/" as "\/" and "é" as "\u00e9", so these count 2 and 6 bytes each.
        await expectError(h.users.updatePrefs({ userId, prefs: { k: "/".repeat(32764) } }), 400, "general_argument_invalid");
        await expectError(h.users.updatePrefs({ userId, prefs: { k: "é".repeat(10922) } }), 400, "general_argument_invalid");
        await h.users.updatePrefs({ userId, prefs: { k: "é".repeat(10921) } });
    });
});

describe("passwords, hashes and hash options", () => {
    it("never returns a plaintext password: argon2id hash with snake_case options and passwordUpdate set", async () => {
        const userId = uniqueId();
        const user = await h.users.create({ userId, password: "plaintext-secret" });
        expect(user.password).toMatch(/^\$argon2id\$v=19\$m=65536,t=4,p=3\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
        expect(user.password).not.toContain("plaintext-secret");
        expect(user.hash).toBe("argon2");
        expect(user.hashOptions).toEqual(ARGON2);
        expect(user.passwordUpdate).toBe(user.$createdAt);
        const stored = JSON.stringify([...h.emu.store.users.values()]);
        expect(stored).not.toContain("plaintext-secret");
    });

    it("gives a user without a password a null password, argon2 defaults and an empty passwordUpdate", async () => {
        const user = await h.users.create({ userId: uniqueId() });
        expect({ password: user.password, hash: user.hash, hashOptions: user.hashOptions, passwordUpdate: user.passwordUpdate }).toEqual({
            password: null,
            hash: "argon2",
            hashOptions: ARGON2,
            passwordUpdate: "",
        });
    });

    it("rehashes on every updatePassword, moving passwordUpdate and $updatedAt and switching to argon2", async () => {
        const userId = uniqueId();
        const created = await h.users.createBcryptUser({
            userId,
            email: `${userId}@example.org`,
            password: "$2y$08$abcdefghijklmnopqrstuv",
        });
        await tick();
        const first = await h.users.updatePassword({ userId, password: "new password" });
        expect(first.hash).toBe("argon2");
        expect(first.hashOptions).toEqual(ARGON2);
        expect(first.passwordUpdate > created.$createdAt).toBe(true);
        expect(first.$updatedAt).toBe(first.passwordUpdate);
        await tick();
        const second = await h.users.updatePassword({ userId, password: "new password" });
        expect(second.password).not.toBe(first.password);
        expect(second.$updatedAt > first.$updatedAt).toBe(true);
    });

    it('answers updatePassword("") with an empty password, then stores an argon2 hash of it', async () => {
        const userId = uniqueId();
        await h.users.createMD5User({ userId, email: `${userId}@example.org`, password: "5f4dcc3b5aa765d61d8327deb882cf99" });
        const answered = await h.users.updatePassword({ userId, password: "" });
        expect(answered.password).toBe("");
        expect(answered.hash).toBe("md5");
        expect(answered.passwordUpdate).not.toBe("");
        const stored = await h.users.get({ userId });
        expect(stored.password).toMatch(/^\$argon2id\$/);
        expect(stored.hash).toBe("argon2");
    });

    it("stores pre-hashed passwords verbatim with each algorithm's hash and options", async () => {
        const email = () => `${uniqueId()}@example.org`;
        const pw = "stored-hash-value";
        const cases = [
            [await h.users.createArgon2User({ userId: uniqueId(), email: email(), password: pw }), "argon2", ARGON2],
            [await h.users.createBcryptUser({ userId: uniqueId(), email: email(), password: pw }), "bcrypt", { type: "bcrypt", cost: 8 }],
            [await h.users.createMD5User({ userId: uniqueId(), email: email(), password: pw }), "md5", { type: "md5" }],
            [await h.users.createSHAUser({ userId: uniqueId(), email: email(), password: pw }), "sha", { version: "sha256" }],
            [
                await h.users.createSHAUser({ userId: uniqueId(), email: email(), password: pw, passwordVersion: PasswordHash.Sha3512 }),
                "sha",
                { version: "sha3-512" },
            ],
            [
                await h.users.createScryptUser({
                    userId: uniqueId(),
                    email: email(),
                    password: pw,
                    passwordSalt: "salt",
                    passwordCpu: 16384,
                    passwordMemory: 8,
                    passwordParallel: 1,
                    passwordLength: 64,
                }),
                "scrypt",
                { type: "scrypt", costCpu: 16384, costMemory: 8, costParallel: 1, length: 64, salt: "salt" },
            ],
            [
                await h.users.createScryptModifiedUser({
                    userId: uniqueId(),
                    email: email(),
                    password: pw,
                    passwordSalt: "c2FsdA==",
                    passwordSaltSeparator: "Bw==",
                    passwordSignerKey: "a2V5",
                }),
                "scryptMod",
                { type: "scryptMod", salt: "c2FsdA==", saltSeparator: "Bw==", signerKey: "a2V5" },
            ],
        ] as const;
        for (const [user, hash, options] of cases) {
            expect({ password: user.password, hash: user.hash, hashOptions: user.hashOptions }).toEqual({
                password: pw,
                hash,
                hashOptions: options,
            });
            expect(user.passwordUpdate).toBe(user.$createdAt);
            expect(user.targets.map((t) => t.providerType)).toEqual(["email"]);
        }
        const phpass = await h.users.createPHPassUser({ userId: uniqueId(), email: email(), password: pw });
        expect(phpass.hashOptions).toMatchObject({ type: "phpass", iteration_count_log2: 8, portable_hashes: false });
        expect((phpass.hashOptions as { random_state: string }).random_state).toMatch(/^0\.\d{8} \d+$/);
    });

    it("requires a pre-hashed password of 8 to 256 bytes and a non-null email", async () => {
        await expectError(
            h.users.createBcryptUser({ userId: uniqueId(), email: `${uniqueId()}@example.org`, password: "short" }),
            400,
            "general_argument_invalid",
            "Invalid `password` param: Password must be between 8 and 256 characters long.",
        );
        await expectError(
            rawCall(h, "POST", "/users/md5", { userId: uniqueId(), email: null, password: "12345678" }),
            400,
            "general_argument_invalid",
            "Invalid `email` param: Value must be a valid email address",
        );
    });

    it("answers 500 Server Error for hash options the hash library refuses", async () => {
        const base = () => ({ userId: uniqueId(), email: `${uniqueId()}@example.org`, password: "stored-hash" });
        const scrypt = { passwordSalt: "salt", passwordCpu: 16384, passwordMemory: 8, passwordParallel: 1, passwordLength: 64 };
        for (const bad of [{ passwordCpu: 1000 }, { passwordLength: 8 }, { passwordMemory: 0 }, { passwordSalt: "0" }]) {
            await expectError(h.users.createScryptUser({ ...base(), ...scrypt, ...bad }), 500, "general_unknown", "Server Error");
        }
        await expectError(
            h.users.createScryptModifiedUser({
                ...base(),
                passwordSalt: "not base64!",
                passwordSaltSeparator: "Bw==",
                passwordSignerKey: "a2V5",
            }),
            500,
            "general_unknown",
            "Server Error",
        );
        await expectError(
            h.users.createSHAUser({ ...base(), passwordVersion: PasswordHash.Sha512224 }),
            500,
            "general_unknown",
            "Server Error",
        );
        await expectError(
            h.users.createSHAUser({ ...base(), passwordVersion: "md4" as PasswordHash }),
            400,
            "general_argument_invalid",
            "Invalid `passwordVersion` param: Value must be one of (sha1, sha224, sha256, sha384, sha512/224, sha512/256, sha512, sha3-224, sha3-256, sha3-384, sha3-512)",
        );
    });
});

describe("status and impersonator", () => {
    it("blocks and unblocks with status, and sets the impersonator flag", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        expect((await h.users.updateStatus({ userId, status: false })).status).toBe(false);
        expect((await h.users.get({ userId })).status).toBe(false);
        expect((await h.users.updateStatus({ userId, status: true })).status).toBe(true);
        expect((await h.users.updateImpersonator({ userId, impersonator: true })).impersonator).toBe(true);
    });
});

describe("$updatedAt", () => {
    it("moves only when a value really changes", async () => {
        const userId = uniqueId();
        const created = await h.users.create({ userId, name: "Same" });
        await tick();
        expect((await h.users.updateName({ userId, name: "Same" })).$updatedAt).toBe(created.$updatedAt);
        expect((await h.users.updateStatus({ userId, status: true })).$updatedAt).toBe(created.$updatedAt);
        expect((await h.users.updateLabels({ userId, labels: [] })).$updatedAt).toBe(created.$updatedAt);
        expect((await h.users.updateEmailVerification({ userId, emailVerification: false })).$updatedAt).toBe(created.$updatedAt);
        await h.users.updatePrefs({ userId, prefs: {} });
        expect((await h.users.get({ userId })).$updatedAt).toBe(created.$updatedAt);
        const renamed = await h.users.updateName({ userId, name: "Other" });
        expect(renamed.$updatedAt > created.$updatedAt).toBe(true);
    });

    it("does not move when the user's targets are created, changed or deleted", async () => {
        const userId = uniqueId();
        const created = await h.users.create({ userId });
        await tick();
        await h.users.createTarget({ userId, targetId: "p", providerType: "push" as never, identifier: `tok-${userId}` });
        await h.users.updateTarget({ userId, targetId: "p", name: "renamed" });
        await h.users.deleteTarget({ userId, targetId: "p" });
        expect((await h.users.get({ userId })).$updatedAt).toBe(created.$updatedAt);
    });
});

describe("the User model", () => {
    it("emits every field in Appwrite's order with its unset value", async () => {
        const user = (await rawCall(h, "POST", "/users", { userId: uniqueId() })) as Record<string, unknown>;
        expect(Object.keys(user)).toEqual([
            "$id",
            "$createdAt",
            "$updatedAt",
            "name",
            "password",
            "hash",
            "hashOptions",
            "registration",
            "status",
            "labels",
            "passwordUpdate",
            "email",
            "phone",
            "emailVerification",
            "emailCanonical",
            "emailIsFree",
            "emailIsDisposable",
            "emailIsCorporate",
            "emailIsCanonical",
            "phoneVerification",
            "mfa",
            "prefs",
            "targets",
            "accessedAt",
            "impersonator",
            "impersonatorUserId",
        ]);
        expect(user).toMatchObject({
            name: "",
            password: null,
            email: "",
            phone: "",
            emailCanonical: null,
            emailIsFree: null,
            prefs: {},
            targets: [],
            accessedAt: "",
            impersonator: false,
            impersonatorUserId: null,
        });
    });

    it("fills the email metadata", async () => {
        const corporate = await h.users.create({ userId: uniqueId(), email: `${uniqueId()}@manchester-united.co.uk` });
        expect(corporate).toMatchObject({ emailIsFree: false, emailIsDisposable: false, emailIsCorporate: true, emailIsCanonical: true });
        const gmail = await h.users.create({ userId: uniqueId(), email: "First.Last+tag@gmail.com" });
        expect(gmail).toMatchObject({
            emailCanonical: "firstlast@gmail.com",
            emailIsFree: true,
            emailIsCorporate: false,
            emailIsCanonical: false,
        });
        const disposable = await h.users.create({ userId: uniqueId(), email: `${uniqueId()}@example.com` });
        expect(disposable).toMatchObject({ emailIsDisposable: true, emailIsCorporate: false });
    });
});
