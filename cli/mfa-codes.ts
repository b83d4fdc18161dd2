import type { Users } from "node-appwrite";
import { appwriteType, describeRequestError } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";
import { type CliIO, EXIT_OK, optionsOrHelp, required } from "./command";
import { connect, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./connect";
import { outputFormat, render } from "./output";

export const USAGE = `Usage: appwrite-users mfa-codes --user ID [--regenerate] [--format env|json]

Prints the user's MFA recovery codes as APPWRITE_MFA_RECOVERY_CODES (comma-separated), creating them when
the user has none. --regenerate replaces them with new ones (the old ones stop working). A CI user in a
project that enforces MFA completes a challenge with one of them.

${CONNECTION_USAGE}
Needs an API key with users.read (to read codes) and users.write (to create or regenerate them).
`;

const OPTIONS = { ...CONNECTION_OPTIONS, user: "string", regenerate: "boolean", format: "string" } as const;

const isMissingCodes = (err: unknown) => appwriteType(err) === "user_recovery_codes_not_found";

export async function recoveryCodes(users: Users, userId: string, regenerate: boolean, note: (text: string) => void): Promise<string[]> {
    const create = async () => {
        const made = await users.createMFARecoveryCodes({ userId }).catch((err: unknown) => {
            throw describeRequestError(`creating MFA recovery codes for user "${userId}"`, err);
        });
        note(`created MFA recovery codes for user "${userId}", who had none`);
        return made.recoveryCodes;
    };
    try {
        const answer = regenerate
            ? await users.updateMFARecoveryCodes({ userId })
            : await retrying(() => users.getMFARecoveryCodes({ userId }));
        return answer.recoveryCodes;
    } catch (err) {
        if (isMissingCodes(err)) return create();
        throw describeRequestError(`${regenerate ? "regenerating" : "reading"} the MFA recovery codes of user "${userId}"`, err);
    }
}

export async function runMfaCodes(argv: readonly string[], io: CliIO): Promise<number> {
    const options = optionsOrHelp(argv, OPTIONS, USAGE, io);
    if (options === undefined) return EXIT_OK;
    const userId = required("user", options.user);
    const format = outputFormat(options.format);
    const users = await connect(io, options);
    const codes = await recoveryCodes(users, userId, options.regenerate === true, (text) =>
        io.stderr.write(`appwrite-users mfa-codes: ${text}\n`),
    );
    io.stdout.write(render(format, { APPWRITE_MFA_RECOVERY_CODES: codes.join(",") }, { userId, recoveryCodes: codes }));
    return EXIT_OK;
}
