import { AuthenticatorType } from "node-appwrite";
import { appwriteType, describeRequestError } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";
import { type CliIO, EXIT_OK, optionsOrHelp, required, UsageError } from "./command";
import { connect, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./connect";

export const USAGE = `Usage: appwrite-users mfa-reset --user ID --type totp

Removes the user's authenticator app (TOTP), e.g. for a CI user whose authenticator secret was lost; the
user can then add a new one. totp is the only type Appwrite has.
It prints nothing on stdout (a note on stderr), so it takes no --format.

${CONNECTION_USAGE}
Needs an API key with users.write.
`;

const OPTIONS = { ...CONNECTION_OPTIONS, user: "string", type: "string" } as const;

export async function runMfaReset(argv: readonly string[], io: CliIO): Promise<number> {
    const options = optionsOrHelp(argv, OPTIONS, USAGE, io);
    if (options === undefined) return EXIT_OK;
    const userId = required("user", options.user);
    const type = required("type", options.type);
    if (type !== AuthenticatorType.Totp)
        throw new UsageError(`--type must be totp, the only authenticator type Appwrite has, not "${type}"`);
    const users = await connect(io, options);
    await retrying(() => users.deleteMFAAuthenticator({ userId, type: AuthenticatorType.Totp })).catch((err: unknown) => {
        const fix =
            appwriteType(err) === "user_authenticator_not_found"
                ? "The user has no TOTP authenticator, so there is nothing to remove."
                : undefined;
        throw describeRequestError(`removing the TOTP authenticator of user "${userId}"`, err, fix);
    });
    io.stderr.write(`Removed the TOTP authenticator of user "${userId}".\n`);
    return EXIT_OK;
}
