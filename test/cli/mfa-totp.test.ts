import { Account, AuthenticationFactor, AuthenticatorType, Client } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { totpCode } from "../../cli/totp";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { appwriteUsers, emulatorEnv, envLines } from "./run";

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

const env = () => emulatorEnv(appwrite);

async function newUser(prefix: string, fields: { mfa?: boolean; emailVerification?: boolean } = {}): Promise<string> {
    const userId = uniqueId(prefix);
    await appwrite.users.create({ userId, email: `${userId}@example.com` });
    if (fields.mfa === true) await appwrite.users.updateMFA({ userId, mfa: true });
    if (fields.emailVerification === true) await appwrite.users.updateEmailVerification({ userId, emailVerification: true });
    return userId;
}

/** Signs the user in as an app would after the password: a session, then the TOTP challenge with a code from `secret`. */
async function passTotpChallenge(userId: string, secret: string) {
    const session = await appwrite.users.createSession({ userId });
    const account = new Account(new Client().setEndpoint(appwrite.endpoint).setProject(appwrite.projectId).setSession(session.secret));
    const challenge = await account.createMFAChallenge({ factor: AuthenticationFactor.Totp });
    const passed = await account.updateMFAChallenge({ challengeId: challenge.$id, otp: totpCode(secret) });
    return { passed, account };
}

describe("appwrite-users mfa-totp", () => {
    it("prints a secret whose codes pass the MFA challenge of an MFA user, and leaves no session behind", async () => {
        const userId = await newUser("totp", { mfa: true });
        const { code, stdout, stderr } = await appwriteUsers(["mfa-totp", "--user", userId], env());
        expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
        const vars = envLines(stdout);
        expect(Object.keys(vars)).toEqual(["APPWRITE_USER_ID", "APPWRITE_TOTP_SECRET", "APPWRITE_TOTP_URI"]);
        expect(vars.APPWRITE_TOTP_URI).toContain(`secret=${vars.APPWRITE_TOTP_SECRET}`);
        expect((await appwrite.users.listSessions({ userId })).total).toBe(0);
        expect((await appwrite.users.listMFAFactors({ userId })).totp).toBe(true);

        const { passed, account } = await passTotpChallenge(userId, vars.APPWRITE_TOTP_SECRET!);
        expect(passed.factors).toEqual(["server", "totp"]);
        expect((await account.get()).$id).toBe(userId);
    });

    it("refuses a user whose authenticator is verified unless --replace, which makes the old secret stop working", async () => {
        const userId = await newUser("totp-again");
        const first = JSON.parse((await appwriteUsers(["mfa-totp", "--user", userId, "--format", "json"], env())).stdout) as {
            secret: string;
            digits: number;
            period: number;
            algorithm: string;
        };
        expect(first).toMatchObject({ userId, algorithm: "SHA1", digits: 6, period: 30 });
        const refused = await appwriteUsers(["mfa-totp", "--user", userId], env());
        expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 1, stdout: "" });
        expect(refused.stderr).toContain("pass --replace to remove it and add a new one");

        const replaced = await appwriteUsers(["mfa-totp", "--user", userId, "--replace"], env());
        expect(replaced.stderr).toBe(`appwrite-users mfa-totp: removed the TOTP authenticator user "${userId}" had\n`);
        const secret = envLines(replaced.stdout).APPWRITE_TOTP_SECRET!;
        expect(secret).not.toBe(first.secret);
        await expect(passTotpChallenge(userId, first.secret)).rejects.toMatchObject({ type: "user_invalid_token" });
        expect((await passTotpChallenge(userId, secret)).passed.factors).toContain("totp");
        expect((await appwrite.users.listSessions({ userId })).total).toBe(2);
    });

    it("passes the second factor an MFA user with a verified email owes with a recovery code, which is used up", async () => {
        const userId = await newUser("totp-mfa", { mfa: true, emailVerification: true });
        const { recoveryCodes } = await appwrite.users.createMFARecoveryCodes({ userId });
        const { code, stderr } = await appwriteUsers(["mfa-totp", "--user", userId], env());
        expect(code).toBe(0);
        expect(stderr).toContain(`used up one of the MFA recovery codes of user "${userId}"`);
        expect((await appwrite.users.getMFARecoveryCodes({ userId })).recoveryCodes).toEqual(recoveryCodes.slice(1));
        expect((await appwrite.users.listMFAFactors({ userId })).totp).toBe(true);
    });

    it("leaves the user without an authenticator after mfa-reset", async () => {
        const userId = await newUser("totp-reset");
        const secret = envLines((await appwriteUsers(["mfa-totp", "--user", userId], env())).stdout).APPWRITE_TOTP_SECRET!;
        expect((await appwriteUsers(["mfa-reset", "--user", userId, "--type", "totp"], env())).code).toBe(0);
        expect((await appwrite.users.listMFAFactors({ userId })).totp).toBe(false);
        const session = await appwrite.users.createSession({ userId });
        const account = new Account(new Client().setEndpoint(appwrite.endpoint).setProject(appwrite.projectId).setSession(session.secret));
        await expect(account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: totpCode(secret) })).rejects.toMatchObject({
            type: "user_authenticator_not_found",
        });
    });

    it("computes RFC 6238's SHA-1 test vectors", () => {
        const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        expect([59, 1111111109, 1234567890, 2000000000].map((s) => totpCode(secret, s * 1000))).toEqual([
            "287082",
            "081804",
            "005924",
            "279037",
        ]);
    });
});
