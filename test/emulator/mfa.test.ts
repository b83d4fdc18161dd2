import { AuthenticatorType } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { expectError, rawCall, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();

async function newUser(fields: { email?: string; phone?: string } = {}): Promise<string> {
    const userId = uniqueId();
    await h.users.create({ userId, ...fields });
    return userId;
}

/** A TOTP authenticator, which only the Account API (or a state file) can give a user. */
function giveAuthenticator(userId: string, verified: boolean): void {
    const user = h.emu.store.user(userId)!;
    h.emu.store.side.authenticators.set(`auth${userId}`, { $id: `auth${userId}`, userId, userSeq: user.seq, type: "totp", verified });
}

describe("MFA", () => {
    it("turns MFA on and off with updateMFA", async () => {
        const userId = await newUser();
        expect((await h.users.updateMFA({ userId, mfa: true })).mfa).toBe(true);
        expect((await h.users.get({ userId })).mfa).toBe(true);
        expect((await h.users.updateMFA({ userId, mfa: false })).mfa).toBe(false);
        await expectError(rawCall(h, "PATCH", `/users/${userId}/mfa`, { mfa: "true" }), 400, "general_argument_invalid");
    });

    it("lists email and phone as factors only once they are verified, and TOTP once it is verified", async () => {
        const userId = await newUser({ email: `${uniqueId()}@example.org`, phone: "+14155550199" });
        const none = { totp: false, phone: false, email: false, recoveryCode: false, custom: false };
        expect(await h.users.listMFAFactors({ userId })).toEqual(none);
        await h.users.updateEmailVerification({ userId, emailVerification: true });
        await h.users.updatePhoneVerification({ userId, phoneVerification: true });
        giveAuthenticator(userId, false);
        expect(await h.users.listMFAFactors({ userId })).toEqual({ ...none, email: true, phone: true });
        giveAuthenticator(userId, true);
        expect(await h.users.listMFAFactors({ userId })).toEqual({ ...none, email: true, phone: true, totp: true });
        await expectError(h.users.listMFAFactors({ userId: "nobody" }), 404, "user_not_found");
    });

    it("creates six 10-character recovery codes once, then reads them back", async () => {
        const userId = await newUser();
        await expectError(
            h.users.getMFARecoveryCodes({ userId }),
            404,
            "user_recovery_codes_not_found",
            "Recovery codes could not be found on the current user.",
        );
        const created = await h.users.createMFARecoveryCodes({ userId });
        expect(created.recoveryCodes).toHaveLength(6);
        for (const code of created.recoveryCodes) expect(code).toMatch(/^[0-9a-f]{10}$/);
        expect(await h.users.getMFARecoveryCodes({ userId })).toEqual(created);
        await expectError(
            h.users.createMFARecoveryCodes({ userId }),
            409,
            "user_recovery_codes_already_exists",
            "The current user already generated recovery codes and they can only be read once for security reasons.",
        );
    });

    it("answers 200, not the 201 the SDK declares, when creating recovery codes", async () => {
        const userId = await newUser();
        const res = await fetch(`${h.emu.endpoint}/users/${userId}/mfa/recovery-codes`, {
            method: "PATCH",
            headers: { "x-appwrite-project": h.emu.projectId, "x-appwrite-key": h.emu.apiKey, "content-type": "application/json" },
        });
        expect(res.status).toBe(200);
    });

    it("regenerates every code, but only for a user that has codes", async () => {
        const userId = await newUser();
        await expectError(h.users.updateMFARecoveryCodes({ userId }), 404, "user_recovery_codes_not_found");
        const first = await h.users.createMFARecoveryCodes({ userId });
        const second = await h.users.updateMFARecoveryCodes({ userId });
        expect(second.recoveryCodes).toHaveLength(6);
        expect(second.recoveryCodes.filter((c) => first.recoveryCodes.includes(c))).toEqual([]);
        expect(await h.users.getMFARecoveryCodes({ userId })).toEqual(second);
    });

    it("deletes a TOTP authenticator, and answers 404 when the user has none", async () => {
        const userId = await newUser();
        await expectError(
            h.users.deleteMFAAuthenticator({ userId, type: AuthenticatorType.Totp }),
            404,
            "user_authenticator_not_found",
            "Authenticator could not be found on the current user.",
        );
        giveAuthenticator(userId, true);
        await h.users.deleteMFAAuthenticator({ userId, type: AuthenticatorType.Totp });
        expect((await h.users.listMFAFactors({ userId })).totp).toBe(false);
        await expectError(
            rawCall(h, "DELETE", `/users/${userId}/mfa/authenticators/sms`),
            400,
            "general_argument_invalid",
            "Invalid `type` param: Value must be one of (totp)",
        );
    });

    it("finds no custom-factor challenge, since only the Account API makes them", async () => {
        const userId = await newUser();
        await expectError(rawCall(h, "GET", `/users/${userId}/mfa/challenges/abc`), 401, "user_invalid_token");
        await expectError(rawCall(h, "GET", `/users/nobody/mfa/challenges/abc`), 404, "user_not_found");
    });
});
