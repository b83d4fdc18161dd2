import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userProvider } from "../../provider/resources/user/provider";
import { startEmulatedAppwrite, type TestAppwrite } from "../support/appwrite";
import type { Emulator } from "../emulator";

import { UNKNOWN, UNKNOWN_BOOL, UNKNOWN_OBJECT } from "../support/unknown";

const check = (news: Record<string, unknown>) => userProvider.check!({}, news);
const diff = (olds: Record<string, unknown>, news: Record<string, unknown>) => userProvider.diff!("u1", olds, news);

const olds = {
    userId: "u1",
    email: "ada@example.org",
    phone: "+14155550100",
    name: "Ada",
    emailVerification: false,
    phoneVerification: false,
    mfa: false,
    password: "first password",
    passwordHash: null,
    adopt: false,
    registration: "2026-01-02T03:04:05.678+00:00",
    passwordUpdate: "2026-01-02T03:04:05.678+00:00",
    __provider: "old shim text",
};
const declared = {
    userId: "u1",
    email: "ada@example.org",
    phone: "+14155550100",
    name: "Ada",
    password: "first password",
    __provider: "new shim text",
};

describe("User check", () => {
    it("accepts valid inputs and passes them on unchanged, __provider included", async () => {
        const news = { ...declared, emailVerification: true, mfa: false, adopt: true };
        expect(await check(news)).toEqual({ inputs: news });
    });

    const invalid: [string, Record<string, unknown>, string, RegExp][] = [
        [
            "a userId starting with an underscore",
            { userId: "_u1" },
            "userId",
            /1 to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore/,
        ],
        ["a userId of 37 characters", { userId: "a".repeat(37) }, "userId", /1 to 36 characters/],
        ["a missing userId", { userId: undefined }, "userId", /is required/],
        ["an email without a dotted domain", { email: "ada@localhost" }, "email", /valid email address/],
        ["an email with two @", { email: "a@b@example.org" }, "email", /valid email address/],
        ["a phone without +", { phone: "14155550100" }, "phone", /E\.164/],
        ["a phone with a calling code Appwrite refuses", { phone: "+923001234567" }, "phone", /calling code Appwrite knows/],
        ["a phone of 16 digits", { phone: "+1415555010012345" }, "phone", /7 to 15 digits/],
        ["a name of 129 characters", { name: "n".repeat(129) }, "name", /at most 128 characters/],
        ["a password of 7 bytes", { password: "1234567" }, "password", /8 to 256 bytes/],
        ["a password of 257 bytes", { password: "é".repeat(129) }, "password", /8 to 256 bytes/],
        ["a non-boolean emailVerification", { emailVerification: "yes" }, "emailVerification", /true or false/],
        ["a non-boolean phoneVerification", { phoneVerification: 1 }, "phoneVerification", /true or false/],
        ["a non-boolean mfa", { mfa: "true" }, "mfa", /true or false/],
        ["a non-boolean impersonator", { impersonator: 1 }, "impersonator", /true or false/],
        ["a non-boolean adopt", { adopt: "no" }, "adopt", /true or false/],
        [
            "an unknown hash algorithm",
            { password: undefined, passwordHash: { algorithm: "sha0", hash: "12345678" } },
            "passwordHash.algorithm",
            /argon2, bcrypt, md5, phpass, scrypt, scryptModified, sha/,
        ],
        [
            "a hash shorter than 8 bytes",
            { password: undefined, passwordHash: { algorithm: "md5", hash: "abc" } },
            "passwordHash.hash",
            /8 to 256 bytes/,
        ],
        [
            "a SHA version Appwrite cannot verify",
            { password: undefined, passwordHash: { algorithm: "sha", hash: "12345678", passwordVersion: "sha512/224" } },
            "passwordHash.passwordVersion",
            /sha1, sha224, sha256/,
        ],
        [
            "a scrypt CPU cost that is not a power of 2",
            {
                password: undefined,
                passwordHash: {
                    algorithm: "scrypt",
                    hash: "12345678",
                    passwordSalt: "salt",
                    passwordCpu: 100,
                    passwordMemory: 8,
                    passwordParallel: 1,
                    passwordLength: 64,
                },
            },
            "passwordHash.passwordCpu",
            /power of 2/,
        ],
        [
            "a scrypt key length under 16",
            {
                password: undefined,
                passwordHash: {
                    algorithm: "scrypt",
                    hash: "12345678",
                    passwordSalt: "salt",
                    passwordCpu: 16,
                    passwordMemory: 8,
                    passwordParallel: 1,
                    passwordLength: 8,
                },
            },
            "passwordHash.passwordLength",
            /at least 16/,
        ],
        [
            "a scryptModified salt that is not base64",
            {
                password: undefined,
                passwordHash: {
                    algorithm: "scryptModified",
                    hash: "12345678",
                    passwordSalt: "not base64!",
                    passwordSaltSeparator: "Bw==",
                    passwordSignerKey: "a2V5",
                },
            },
            "passwordHash.passwordSalt",
            /base64/,
        ],
        [
            "password together with passwordHash",
            { passwordHash: { algorithm: "md5", hash: "12345678" } },
            "passwordHash",
            /cannot be set together with password/,
        ],
        [
            "passwordHash without an email",
            { email: undefined, password: undefined, passwordHash: { algorithm: "md5", hash: "12345678" } },
            "email",
            /required with passwordHash/,
        ],
    ];

    it.each(invalid)("refuses %s with a failure naming the property and what is allowed", async (_case, change, property, reason) => {
        const { failures } = await check({ ...declared, ...change });
        expect(failures).toHaveLength(1);
        expect(failures?.[0]?.property).toBe(property);
        expect(failures?.[0]?.reason).toMatch(reason);
    });

    it("returns one failure per bad field when several are wrong", async () => {
        const { failures } = await check({ userId: "-x", email: "nope", phone: "+1", name: "n".repeat(200), password: "short" });
        expect(failures?.map((f) => f.property)).toEqual(["userId", "email", "phone", "name", "password"]);
    });

    it("refuses an input User does not have, naming the input it most likely stands for", async () => {
        const { failures } = await check({ ...declared, emailVerified: true, userid: "u1" });
        expect(failures).toEqual([
            {
                property: "emailVerified",
                reason: expect.stringMatching(/^is not a known input of User; did you mean `emailVerification`\? \(known: userId, email, /),
            },
            { property: "userid", reason: expect.stringMatching(/^is not a known input of User; did you mean `userId`\?/) },
        ]);
    });

    it("refuses inputs that belong to UserLabels, UserPrefs, UserStatus or UserTarget, naming the resource to use", async () => {
        const { failures } = await check({
            ...declared,
            labels: ["vip"],
            prefs: { locale: "en" },
            blocked: true,
            identifier: "ada@example.org",
        });
        expect(failures?.map((f) => [f.property, f.reason])).toEqual([
            ["labels", "is not an input of User: it belongs to UserLabels; set it on a UserLabels resource for this user instead"],
            ["prefs", "is not an input of User: it belongs to UserPrefs; set it on a UserPrefs resource for this user instead"],
            ["blocked", "is not an input of User: it belongs to UserStatus; set it on a UserStatus resource for this user instead"],
            ["identifier", "is not an input of User: it belongs to UserTarget; set it on a UserTarget resource for this user instead"],
        ]);
    });

    it("never refuses the engine's own keys, and refuses an unknown key whose value is a preview's unknown", async () => {
        expect((await check({ ...declared, __provider: "shim", __internal: 1 })).failures).toBeUndefined();
        expect((await check({ ...declared, nmae: UNKNOWN })).failures).toEqual([
            { property: "nmae", reason: expect.stringMatching(/did you mean `name`\?/) },
        ]);
    });

    it("lets values that are still unknown during a preview pass", async () => {
        const news = {
            userId: UNKNOWN,
            email: UNKNOWN,
            phone: UNKNOWN,
            name: UNKNOWN,
            password: UNKNOWN,
            emailVerification: UNKNOWN_BOOL,
            phoneVerification: UNKNOWN_BOOL,
            mfa: UNKNOWN_BOOL,
            adopt: UNKNOWN_BOOL,
        };
        expect((await check(news)).failures).toBeUndefined();
        const hashed = {
            userId: "u1",
            email: UNKNOWN,
            passwordHash: {
                algorithm: "scrypt",
                hash: UNKNOWN,
                passwordSalt: UNKNOWN,
                passwordCpu: UNKNOWN,
                passwordMemory: 8,
                passwordParallel: 1,
                passwordLength: 64,
            },
        };
        expect((await check(hashed)).failures).toBeUndefined();
        expect((await check({ userId: "u1", email: "ada@example.org", passwordHash: UNKNOWN_OBJECT })).failures).toBeUndefined();
    });
});

describe("User diff", () => {
    it("reports no change when the declared inputs match, whatever __provider and the computed outputs say", async () => {
        expect(await diff(olds, declared)).toEqual({ changes: false });
    });

    it("ignores inputs the program does not declare and the adopt flag", async () => {
        expect(await diff(olds, { userId: "u1", adopt: true })).toEqual({ changes: false });
    });

    it("compares emails the way Appwrite stores them, lower-cased", async () => {
        expect(await diff(olds, { ...declared, email: "ADA@Example.org" })).toEqual({ changes: false });
    });

    it.each([
        ["email", "grace@example.org"],
        ["phone", "+14155550199"],
        ["name", "Grace"],
        ["password", "second password"],
        ["emailVerification", true],
        ["phoneVerification", true],
        ["mfa", true],
        ["impersonator", true],
    ])("updates %s in place", async (key, value) => {
        expect(await diff(olds, { ...declared, [key]: value })).toEqual({ changes: true });
    });

    it("replaces on a new userId, deleting first when the email or phone would collide", async () => {
        expect(await diff(olds, { ...declared, userId: "u2" })).toEqual({ changes: true, replaces: ["userId"], deleteBeforeReplace: true });
        const elsewhere = { userId: "u2", email: "other@example.org", phone: "+14155550198" };
        expect(await diff(olds, elsewhere)).toEqual({ changes: true, replaces: ["userId"], deleteBeforeReplace: false });
    });

    it("replaces on a new passwordHash, deleting first because the user ID stays the same", async () => {
        const hashedOlds = { ...olds, password: null, passwordHash: { algorithm: "md5", hash: "5f4dcc3b5aa765d61d8327deb882cf99" } };
        const news = {
            userId: "u1",
            email: "ada@example.org",
            passwordHash: { algorithm: "md5", hash: "098f6bcd4621d373cade4e832627b4f6" },
        };
        expect(await diff(hashedOlds, news)).toEqual({ changes: true, replaces: ["passwordHash"], deleteBeforeReplace: true });
        expect(await diff(hashedOlds, { ...news, passwordHash: { hash: "5f4dcc3b5aa765d61d8327deb882cf99", algorithm: "md5" } })).toEqual({
            changes: false,
        });
    });

    it("replaces when a password is swapped for a passwordHash", async () => {
        const news = {
            userId: "u1",
            email: "ada@example.org",
            passwordHash: { algorithm: "md5", hash: "5f4dcc3b5aa765d61d8327deb882cf99" },
        };
        expect((await diff(olds, news)).replaces).toEqual(["passwordHash"]);
    });

    it("counts a value that is still unknown as a change", async () => {
        expect(await diff(olds, { ...declared, name: UNKNOWN })).toEqual({ changes: true });
        expect(await diff(olds, { ...declared, userId: UNKNOWN })).toEqual({
            changes: true,
            replaces: ["userId"],
            deleteBeforeReplace: true,
        });
    });
});

describe("User check and diff over HTTP", () => {
    let appwrite: TestAppwrite & { emulator: Emulator };
    beforeAll(async () => {
        appwrite = await startEmulatedAppwrite();
    });
    afterAll(() => appwrite.stop());

    it("send no request to Appwrite, with or without changes", async () => {
        appwrite.emulator.resetRequestCounts();
        await check(declared);
        await check({ ...declared, email: "bad" });
        await diff(olds, declared);
        await diff(olds, { ...declared, userId: "u2" });
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });
});
