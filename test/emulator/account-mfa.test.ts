import { Account, AuthenticationFactor, AuthenticatorType, Client } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { expectError, uniqueId, useEmulator } from "./helpers";
import { totpAt } from "./totp";

const h = useEmulator();

async function newUser(fields: { mfa?: boolean; emailVerification?: boolean } = {}): Promise<string> {
    const userId = uniqueId();
    await h.users.create({ userId, email: `${userId}@example.org` });
    if (fields.mfa === true) await h.users.updateMFA({ userId, mfa: true });
    if (fields.emailVerification === true) await h.users.updateEmailVerification({ userId, emailVerification: true });
    return userId;
}

/** The Account service as the user, signed in with a fresh server-made session. */
async function signedIn(userId: string): Promise<Account> {
    const { secret } = await h.users.createSession({ userId });
    return new Account(new Client().setEndpoint(h.emu.endpoint).setProject(h.emu.projectId).setSession(secret));
}

const now = (secret: string) => totpAt(secret, Date.now());

describe("the Account API's authenticator app routes", () => {
    it("adds an unverified authenticator whose secret is 103 base32 characters, with otphp's provisioning URI", async () => {
        const userId = await newUser();
        const { secret, uri } = await (await signedIn(userId)).createMFAAuthenticator({ type: AuthenticatorType.Totp });
        expect(secret).toMatch(/^[A-Z2-7]{103}$/);
        expect(uri).toBe(
            `otpauth://totp/${encodeURIComponent(`${h.emu.projectId}:${userId}@example.org`)}?issuer=${h.emu.projectId}&secret=${secret}`,
        );
        expect((await h.users.listMFAFactors({ userId })).totp).toBe(false);
    });

    it("verifies the authenticator with the current code only, and counts TOTP as a factor of the session", async () => {
        const userId = await newUser();
        const account = await signedIn(userId);
        const { secret } = await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
        await expectError(
            account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: totpAt(secret, Date.now() - 60_000) }),
            401,
            "user_invalid_token",
        );
        const user = await account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: now(secret) });
        expect(user).toMatchObject({ $id: userId });
        expect(user).not.toHaveProperty("password");
        expect((await h.users.listMFAFactors({ userId })).totp).toBe(true);
        expect((await h.users.listSessions({ userId })).sessions[0]?.factors).toEqual(["server", "totp"]);
        await expectError(account.createMFAAuthenticator({ type: AuthenticatorType.Totp }), 409, "user_authenticator_already_verified");
        await expectError(
            account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: now(secret) }),
            409,
            "user_authenticator_already_verified",
        );
    });

    it("replaces an unverified authenticator, and refuses a verification without one", async () => {
        const userId = await newUser();
        const account = await signedIn(userId);
        await expectError(
            account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: "123456" }),
            404,
            "user_authenticator_not_found",
        );
        const first = await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
        const second = await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
        expect(second.secret).not.toBe(first.secret);
        await expectError(
            account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: now(first.secret) }),
            401,
            "user_invalid_token",
        );
        await account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: now(second.secret) });
    });

    it("makes a session of an MFA user with a second factor complete a challenge before other Account routes answer", async () => {
        const userId = await newUser({ mfa: true });
        const setup = await signedIn(userId);
        const { secret } = await setup.createMFAAuthenticator({ type: AuthenticatorType.Totp });
        await setup.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: now(secret) });

        const account = await signedIn(userId);
        await expectError(account.get(), 401, "user_more_factors_required");
        const challenge = await account.createMFAChallenge({ factor: AuthenticationFactor.Totp });
        expect(challenge).toMatchObject({ userId });
        await expectError(
            account.updateMFAChallenge({ challengeId: challenge.$id, otp: "000000" === now(secret) ? "111111" : "000000" }),
            401,
            "user_invalid_token",
        );
        const session = await account.updateMFAChallenge({ challengeId: challenge.$id, otp: now(secret) });
        expect(session.factors).toEqual(["server", "totp"]);
        expect((await account.get()).$id).toBe(userId);
        await expectError(account.updateMFAChallenge({ challengeId: challenge.$id, otp: now(secret) }), 401, "user_invalid_token");
    });

    it("accepts a recovery code once (for the factor spelt recoveryCode), and answers email and phone challenges as an Appwrite without mail or SMS does", async () => {
        const userId = await newUser({ mfa: true, emailVerification: true });
        const { recoveryCodes } = await h.users.createMFARecoveryCodes({ userId });
        const account = await signedIn(userId);
        await expectError(account.createMFAAuthenticator({ type: AuthenticatorType.Totp }), 401, "user_more_factors_required");
        await expectError(account.createMFAChallenge({ factor: AuthenticationFactor.Email }), 503, "general_smtp_disabled");
        await expectError(account.createMFAChallenge({ factor: AuthenticationFactor.Phone }), 503, "general_phone_disabled");
        const lowerCased = await account.createMFAChallenge({ factor: AuthenticationFactor.Recoverycode });
        await expectError(account.updateMFAChallenge({ challengeId: lowerCased.$id, otp: recoveryCodes[0]! }), 401, "user_invalid_token");
        const challenge = await account.createMFAChallenge({ factor: "recoveryCode" as AuthenticationFactor });
        await account.updateMFAChallenge({ challengeId: challenge.$id, otp: recoveryCodes[0]! });
        expect((await h.users.getMFARecoveryCodes({ userId })).recoveryCodes).toEqual(recoveryCodes.slice(1));
        await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    });

    it("lets the user remove the authenticator without a code", async () => {
        const userId = await newUser();
        const account = await signedIn(userId);
        const { secret } = await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
        await account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: now(secret) });
        await account.deleteMFAAuthenticator({ type: AuthenticatorType.Totp });
        expect((await h.users.listMFAFactors({ userId })).totp).toBe(false);
        await expectError(account.deleteMFAAuthenticator({ type: AuthenticatorType.Totp }), 404, "user_authenticator_not_found");
    });

    it("refuses callers without a valid session as guests, and blocked users", async () => {
        const userId = await newUser();
        const forged = Buffer.from(JSON.stringify({ id: userId, secret: "f".repeat(256) })).toString("base64");
        const guest = new Account(new Client().setEndpoint(h.emu.endpoint).setProject(h.emu.projectId).setSession(forged));
        await expectError(
            guest.createMFAAuthenticator({ type: AuthenticatorType.Totp }),
            401,
            "general_unauthorized_scope",
            'User (role: guests) missing scopes (["account"])',
        );
        const account = await signedIn(userId);
        await h.users.updateStatus({ userId, status: false });
        await expectError(account.createMFAAuthenticator({ type: AuthenticatorType.Totp }), 403, "user_blocked");
        await expectError(h.users.listMFAFactors({ userId: "x" }), 404, "user_not_found");
    });

    it("computes RFC 6238's SHA-1 test vectors", () => {
        const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890"
        expect(totpAt(secret, 59_000)).toBe("287082");
        expect(totpAt(secret, 1_111_111_109_000)).toBe("081804");
        expect(totpAt(secret, 2_000_000_000_000)).toBe("279037");
    });
});
