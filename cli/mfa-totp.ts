import { Account, AuthenticatorType, Client, type AuthenticationFactor, type Users } from "node-appwrite";
import { settings } from "../provider/appwrite/connection";
import { appwriteType, describeRequestError } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";
import { createUserSession, deleteUserSession } from "../sdk/sessions";
import { type CliIO, EXIT_OK, optionsOrHelp, required } from "./command";
import { connect, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./connect";
import { recoveryCodes } from "./mfa-codes";
import { outputFormat, render } from "./output";
import { msLeftInPeriod, TOTP_ALGORITHM, TOTP_DIGITS, TOTP_PERIOD_SECONDS, totpCode } from "./totp";

export const USAGE = `Usage: appwrite-users mfa-totp --user ID [--replace] [--format env|json]

Adds an authenticator app (TOTP) to the user and verifies it, then prints its secret as
APPWRITE_TOTP_SECRET (base32) and APPWRITE_TOTP_URI (otpauth://), so a CI job can compute the codes a
project that enforces MFA asks for: HMAC-SHA1, 6 digits, a new code every 30 seconds (RFC 6238; e.g.
\`oathtool --totp -b "$APPWRITE_TOTP_SECRET"\`). Appwrite accepts only the code of the current period.

Appwrite lets only the user add an authenticator, so this goes through the Account API with a session
made for the user with the API key and deleted afterwards. A user with MFA on and a verified email or phone
must pass a second factor first: one of the user's recovery codes is used up for it (created when there
are none). A user who already has a verified authenticator is refused, since its secret cannot be read
back; --replace removes it first (like \`appwrite-users mfa-reset\`), and the old secret stops working.
This does not turn the user's MFA on (declare \`mfa: true\` on the User for that).

${CONNECTION_USAGE}
Needs an API key with users.write (sessions, recovery codes, removing an authenticator) and users.read.
The secret is printed on stdout only, and never enters Pulumi state.
`;

const OPTIONS = { ...CONNECTION_OPTIONS, user: "string", replace: "boolean", format: "string" } as const;

/** Appwrite completes a recovery-code challenge only for the factor spelt so (node-appwrite's enum lower-cases it). */
const RECOVERY_CODE_FACTOR = "recoveryCode" as AuthenticationFactor;

/** The Account service signed in as the user with the session's secret, in the user's project. */
async function accountFor(secret: string, project: string | undefined): Promise<Account> {
    const { endpoint, projectId, selfSigned } = await settings(project);
    const client = new Client().setEndpoint(endpoint).setProject(projectId).setSession(secret);
    if (selfSigned) client.setSelfSigned(true);
    return new Account(client);
}

/** Passes the session's second factor with one of the user's recovery codes, which is used up. */
async function passSecondFactor(users: Users, account: Account, userId: string, note: (text: string) => void): Promise<void> {
    const [code] = await recoveryCodes(users, userId, false, note);
    const what = `passing an MFA challenge with a recovery code for user "${userId}"`;
    const challenge = await account.createMFAChallenge({ factor: RECOVERY_CODE_FACTOR }).catch((err: unknown) => {
        throw describeRequestError(what, err);
    });
    await account.updateMFAChallenge({ challengeId: challenge.$id, otp: code ?? "" }).catch((err: unknown) => {
        throw describeRequestError(what, err);
    });
    note(`used up one of the MFA recovery codes of user "${userId}" to pass the second factor`);
}

async function addAuthenticator(users: Users, account: Account, userId: string, note: (text: string) => void) {
    const what = `adding a TOTP authenticator to user "${userId}"`;
    try {
        return await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    } catch (err) {
        if (appwriteType(err) === "user_authenticator_already_verified") {
            throw describeRequestError(
                what,
                err,
                "The user already has a verified authenticator, whose secret cannot be read back: pass --replace to remove it and add a new one.",
            );
        }
        if (appwriteType(err) !== "user_more_factors_required") throw describeRequestError(what, err);
    }
    await passSecondFactor(users, account, userId, note);
    return account.createMFAAuthenticator({ type: AuthenticatorType.Totp }).catch((err: unknown) => {
        throw describeRequestError(what, err);
    });
}

/**
 * Verifies with the current code. A code made in the last moments of a period may reach Appwrite in the
 * next, so a period about to end is waited out first.
 */
async function verify(account: Account, userId: string, secret: string): Promise<void> {
    if (msLeftInPeriod(Date.now()) < 3000) await new Promise((resolve) => setTimeout(resolve, msLeftInPeriod(Date.now()) + 100));
    await account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: totpCode(secret) }).catch((err: unknown) => {
        throw describeRequestError(`verifying the TOTP authenticator of user "${userId}"`, err);
    });
}

async function removeAuthenticator(users: Users, userId: string, note: (text: string) => void): Promise<void> {
    await retrying(() => users.deleteMFAAuthenticator({ userId, type: AuthenticatorType.Totp })).then(
        () => note(`removed the TOTP authenticator user "${userId}" had`),
        (err: unknown) => {
            if (appwriteType(err) !== "user_authenticator_not_found")
                throw describeRequestError(`removing the TOTP authenticator of user "${userId}"`, err);
        },
    );
}

export async function runMfaTotp(argv: readonly string[], io: CliIO): Promise<number> {
    const options = optionsOrHelp(argv, OPTIONS, USAGE, io);
    if (options === undefined) return EXIT_OK;
    const userId = required("user", options.user);
    const format = outputFormat(options.format);
    const note = (text: string) => io.stderr.write(`appwrite-users mfa-totp: ${text}\n`);
    const users = await connect(io, options);
    if (options.replace === true) await removeAuthenticator(users, userId, note);
    const session = await createUserSession(users, userId);
    let made: { secret: string; uri: string };
    try {
        const account = await accountFor(session.secret, options.project);
        made = await addAuthenticator(users, account, userId, note);
        await verify(account, userId, made.secret);
    } finally {
        await deleteUserSession(users, userId, session.$id, note).catch((err: unknown) =>
            note(
                `${(err as Error).message}; delete it with \`appwrite-users session delete --user ${userId} --session ${session.$id}${options.project === undefined ? "" : ` --project ${options.project}`}\``,
            ),
        );
    }
    io.stdout.write(
        render(
            format,
            { APPWRITE_USER_ID: userId, APPWRITE_TOTP_SECRET: made.secret, APPWRITE_TOTP_URI: made.uri },
            { userId, secret: made.secret, uri: made.uri, algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS },
        ),
    );
    return EXIT_OK;
}
