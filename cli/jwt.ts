import { describeRequestError } from "../provider/appwrite/errors";
import { JWT_DURATION } from "../sdk/sessions";
import { type CliIO, EXIT_OK, integerOption, optionsOrHelp, required } from "./command";
import { connect, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./connect";
import { outputFormat, render } from "./output";

export const USAGE = `Usage: appwrite-users jwt --user ID [--session SID] [--duration SECONDS] [--format env|json]

Prints a JWT that acts as the user, as APPWRITE_JWT. It names the user's most recent session, or the one
given with --session; Appwrite makes it without a session when the user has none (or --session names
none of theirs). --duration is its lifetime in seconds, 1 to 3600 (Appwrite's default: 900; it answers 0
with a server error, so 0 is refused before any request).

${CONNECTION_USAGE}
Needs an API key with users.write.
`;

const OPTIONS = { ...CONNECTION_OPTIONS, user: "string", session: "string", duration: "string", format: "string" } as const;

export async function runJwt(argv: readonly string[], io: CliIO): Promise<number> {
    const options = optionsOrHelp(argv, OPTIONS, USAGE, io);
    if (options === undefined) return EXIT_OK;
    const userId = required("user", options.user);
    const duration = integerOption("duration", options.duration, JWT_DURATION.min, JWT_DURATION.max);
    const format = outputFormat(options.format);
    const users = await connect(io, options);
    const { jwt } = await users
        .createJWT({
            userId,
            ...(options.session === undefined ? {} : { sessionId: options.session }),
            ...(duration === undefined ? {} : { duration }),
        })
        .catch((err: unknown) => {
            throw describeRequestError(`creating a JWT for user "${userId}"`, err);
        });
    io.stdout.write(render(format, { APPWRITE_JWT: jwt }, { userId, jwt }));
    return EXIT_OK;
}
