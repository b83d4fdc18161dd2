import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { appwriteUsers, emulatorEnv, envLines } from "./run";

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

const env = (apiKey = appwrite.apiKey) => emulatorEnv(appwrite, apiKey);

async function newUser(prefix: string): Promise<string> {
    const userId = uniqueId(prefix);
    await appwrite.users.create({ userId, email: `${userId}@example.com`, password: "a long password 1" });
    return userId;
}

const sessionIds = async (userId: string) => (await appwrite.users.listSessions({ userId })).sessions.map((s) => s.$id);

/** What a session secret holds: Appwrite's cookie value, base64 of the user ID and the secret proper. */
const decodeSecret = (secret: string) => JSON.parse(Buffer.from(secret, "base64").toString()) as { id: string; secret: string };
const claimsOf = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as { userId: string; sessionId: string; exp: number };

describe("appwrite-users session", () => {
    it("create prints the session as env lines, the secret being the user's session cookie value, and nothing on stderr", async () => {
        const userId = await newUser("session-create");
        const { code, stdout, stderr } = await appwriteUsers(["session", "create", "--user", userId], env());
        expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
        const vars = envLines(stdout);
        expect(Object.keys(vars)).toEqual([
            "APPWRITE_USER_ID",
            "APPWRITE_SESSION_ID",
            "APPWRITE_SESSION_SECRET",
            "APPWRITE_SESSION_EXPIRE",
        ]);
        expect(vars.APPWRITE_USER_ID).toBe(userId);
        expect(await sessionIds(userId)).toEqual([vars.APPWRITE_SESSION_ID]);
        expect(decodeSecret(vars.APPWRITE_SESSION_SECRET!)).toEqual({ id: userId, secret: expect.stringMatching(/^[0-9a-f]{256}$/) });
    });

    it("list prints the sessions without secrets, in json too", async () => {
        const userId = await newUser("session-list");
        const made = [await appwrite.users.createSession({ userId }), await appwrite.users.createSession({ userId })];
        const env1 = await appwriteUsers(["session", "list", "--user", userId], env());
        expect(envLines(env1.stdout)).toEqual({ APPWRITE_SESSION_IDS: made.map((s) => s.$id).join(",") });
        const json = await appwriteUsers(["session", "list", "--user", userId, "--format", "json"], env());
        const listed = JSON.parse(json.stdout) as { userId: string; sessions: { sessionId: string; provider: string }[] };
        expect(listed.sessions.map((s) => [s.sessionId, s.provider])).toEqual(made.map((s) => [s.$id, "server"]));
        for (const session of made) expect(json.stdout).not.toContain(session.secret);
    });

    it("delete removes one session, or all with --all", async () => {
        const userId = await newUser("session-delete");
        const [first, second, third] = [
            await appwrite.users.createSession({ userId }),
            await appwrite.users.createSession({ userId }),
            await appwrite.users.createSession({ userId }),
        ];
        const one = await appwriteUsers(["session", "delete", "--user", userId, "--session", first!.$id], env());
        expect(one).toMatchObject({ code: 0, stdout: "" });
        expect(await sessionIds(userId)).toEqual([second!.$id, third!.$id]);
        const all = await appwriteUsers(["session", "delete", "--user", userId, "--all"], env());
        expect(all).toMatchObject({ code: 0, stderr: `Deleted every session of user "${userId}".\n` });
        expect(await sessionIds(userId)).toEqual([]);
    });

    it("names the scopes the key lacks, Appwrite's users.write or sessions.write", async () => {
        appwrite.emulator.addKey("standard_readonly", ["users.read"]);
        const userId = await newUser("session-scope");
        const { code, stderr, stdout } = await appwriteUsers(["session", "create", "--user", userId], env("standard_readonly"));
        expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
        expect(stderr).toContain(`appwrite-users session: creating a session for user "${userId}" failed`);
        expect(stderr).toContain("The API key lacks the scope for this: give it `users.write` or `sessions.write`");
    });

    it("explains a missing user, option or setting without printing a secret", async () => {
        expect((await appwriteUsers(["session", "create", "--user", "nobody-here"], env())).stderr).toContain(
            "No Appwrite user has this ID",
        );
        expect((await appwriteUsers(["session", "delete", "--user", "x"], env())).stderr).toContain("give either --session SID or --all");
        const missing = await appwriteUsers(["session", "create", "--user", "x"], { APPWRITE_ENDPOINT: appwrite.endpoint });
        expect(missing.stderr).toContain("missing Appwrite settings: set APPWRITE_PROJECT_ID");
        expect(missing.stderr).not.toContain(appwrite.apiKey);
    });
});

describe("appwrite-users jwt", () => {
    it("prints a JWT naming the user's most recent session, or the one given, with its duration", async () => {
        const userId = await newUser("jwt");
        const older = await appwrite.users.createSession({ userId });
        const recent = await appwrite.users.createSession({ userId });
        const before = Math.floor(Date.now() / 1000);
        const plain = await appwriteUsers(["jwt", "--user", userId], env());
        expect(plain.code).toBe(0);
        const claims = claimsOf(envLines(plain.stdout).APPWRITE_JWT!);
        expect(claims).toMatchObject({ userId, sessionId: recent.$id });
        expect(claims.exp - before).toBeGreaterThanOrEqual(900);
        expect(claims.exp - before).toBeLessThanOrEqual(901);

        const given = await appwriteUsers(["jwt", "--user", userId, "--session", older.$id, "--duration", "60", "--format", "json"], env());
        const short = claimsOf((JSON.parse(given.stdout) as { jwt: string }).jwt);
        expect(short.sessionId).toBe(older.$id);
        expect(short.exp - before).toBeLessThanOrEqual(61);
    });

    it.each(["3601", "0"])("refuses --duration %s before asking Appwrite, naming the range it makes JWTs for", async (duration) => {
        appwrite.emulator.resetRequestCounts();
        const out = await appwriteUsers(["jwt", "--user", "u", "--duration", duration], env());
        expect(out.code).toBe(1);
        expect(out.stderr).toContain(`--duration must be a whole number from 1 to 3600, not "${duration}"`);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });
});

describe("appwrite-users token", () => {
    it("prints a token of the asked length and lifetime", async () => {
        const userId = await newUser("token");
        const before = Date.now();
        const { code, stdout } = await appwriteUsers(["token", "--user", userId, "--length", "12", "--expire", "120"], env());
        expect(code).toBe(0);
        const vars = envLines(stdout);
        expect(Object.keys(vars)).toEqual(["APPWRITE_USER_ID", "APPWRITE_TOKEN_ID", "APPWRITE_TOKEN_SECRET", "APPWRITE_TOKEN_EXPIRE"]);
        expect(vars.APPWRITE_TOKEN_SECRET).toHaveLength(12);
        expect(Date.parse(vars.APPWRITE_TOKEN_EXPIRE!) - before).toBeGreaterThanOrEqual(119_000);
        expect(Date.parse(vars.APPWRITE_TOKEN_EXPIRE!) - before).toBeLessThanOrEqual(121_000);
        expect([...appwrite.emulator.store.side.tokens.keys()]).toContain(vars.APPWRITE_TOKEN_ID);
    });

    it("refuses a length outside 4 to 128", async () => {
        const out = await appwriteUsers(["token", "--user", "u", "--length", "3"], env());
        expect(out.stderr).toContain('--length must be a whole number from 4 to 128, not "3"');
    });
});

describe("appwrite-users mfa-codes and mfa-reset", () => {
    it("creates recovery codes for a user who has none, prints the same ones again, and regenerates them", async () => {
        const userId = await newUser("mfa-codes");
        const first = await appwriteUsers(["mfa-codes", "--user", userId, "--format", "json"], env());
        expect(first.stderr).toBe(`appwrite-users mfa-codes: created MFA recovery codes for user "${userId}", who had none\n`);
        const codes = (JSON.parse(first.stdout) as { recoveryCodes: string[] }).recoveryCodes;
        expect(codes.length).toBeGreaterThan(0);
        expect(first.stderr).not.toContain(codes[0]);

        const again = await appwriteUsers(["mfa-codes", "--user", userId], env());
        expect(envLines(again.stdout).APPWRITE_MFA_RECOVERY_CODES).toBe(codes.join(","));
        expect(again.stderr).toBe("");

        const renewed = await appwriteUsers(["mfa-codes", "--user", userId, "--regenerate"], env());
        const newCodes = envLines(renewed.stdout).APPWRITE_MFA_RECOVERY_CODES!.split(",");
        expect(newCodes).toHaveLength(codes.length);
        expect(newCodes).not.toEqual(codes);
        expect((await appwrite.users.getMFARecoveryCodes({ userId })).recoveryCodes).toEqual(newCodes);
    });

    it("mfa-reset removes the user's authenticator, and says so when there is none", async () => {
        const userId = await newUser("mfa-reset");
        const user = appwrite.emulator.store.user(userId)!;
        appwrite.emulator.store.side.authenticators.set("totp-1", {
            $id: "totp-1",
            userId,
            userSeq: user.seq,
            type: "totp",
            verified: true,
        });
        expect((await appwrite.users.listMFAFactors({ userId })).totp).toBe(true);

        const reset = await appwriteUsers(["mfa-reset", "--user", userId, "--type", "totp"], env());
        expect(reset).toEqual({ code: 0, stdout: "", stderr: `Removed the TOTP authenticator of user "${userId}".\n` });
        expect((await appwrite.users.listMFAFactors({ userId })).totp).toBe(false);

        const again = await appwriteUsers(["mfa-reset", "--user", userId, "--type", "totp"], env());
        expect(again.code).toBe(1);
        expect(again.stderr).toContain("The user has no TOTP authenticator, so there is nothing to remove.");
        expect((await appwriteUsers(["mfa-reset", "--user", userId, "--type", "sms"], env())).stderr).toContain("--type must be totp");
    });
});

describe("appwrite-users", () => {
    it("lists its commands and rejects an unknown one", async () => {
        expect((await appwriteUsers([], {})).stdout).toContain("mfa-codes   print a user's MFA recovery codes");
        const unknown = await appwriteUsers(["plan"], {});
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain('unknown command "plan"; the commands are drift, exec, session, jwt, token, mfa-codes, mfa-reset');
    });

    it("says --format in the help of exactly the commands that print credentials, and refuses it elsewhere", async () => {
        for (const command of ["session", "jwt", "token", "mfa-codes"]) {
            expect((await appwriteUsers([command, "--help"], {})).stdout, command).toContain("--format env|json");
        }
        for (const command of ["exec", "mfa-reset"]) {
            expect((await appwriteUsers([command, "--help"], {})).stdout, command).toMatch(/prints nothing on stdout.*takes no --format/);
        }
        const refused = await appwriteUsers(["mfa-reset", "--user", "u", "--type", "totp", "--format", "json"], env());
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain("--format");
    });
});
