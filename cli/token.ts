import { describeRequestError } from "../provider/appwrite/errors";
import { type CliIO, EXIT_OK, integerOption, optionsOrHelp, required } from "./command";
import { connect, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./connect";
import { outputFormat, render } from "./output";

export const USAGE = `Usage: appwrite-users token --user ID [--length N] [--expire SECONDS] [--format env|json]

Makes a one-time token for the user, which a client exchanges for a session with
account.createSession({ userId, secret }). Prints APPWRITE_USER_ID, APPWRITE_TOKEN_ID, APPWRITE_TOKEN_SECRET
and APPWRITE_TOKEN_EXPIRE. --length is the secret's length, 4 to 128 characters (default 6); --expire its
lifetime in seconds, 60 to 31536000 (default 900).

${CONNECTION_USAGE}
Needs an API key with users.write.
`;

const OPTIONS = { ...CONNECTION_OPTIONS, user: "string", length: "string", expire: "string", format: "string" } as const;

export async function runToken(argv: readonly string[], io: CliIO): Promise<number> {
    const options = optionsOrHelp(argv, OPTIONS, USAGE, io);
    if (options === undefined) return EXIT_OK;
    const userId = required("user", options.user);
    const length = integerOption("length", options.length, 4, 128);
    const expire = integerOption("expire", options.expire, 60, 31_536_000);
    const format = outputFormat(options.format);
    const users = await connect(io, options);
    const token = await users
        .createToken({ userId, ...(length === undefined ? {} : { length }), ...(expire === undefined ? {} : { expire }) })
        .catch((err: unknown) => {
            throw describeRequestError(`creating a token for user "${userId}"`, err);
        });
    io.stdout.write(
        render(
            format,
            {
                APPWRITE_USER_ID: userId,
                APPWRITE_TOKEN_ID: token.$id,
                APPWRITE_TOKEN_SECRET: token.secret,
                APPWRITE_TOKEN_EXPIRE: token.expire,
            },
            { userId, tokenId: token.$id, secret: token.secret, expire: token.expire },
        ),
    );
    return EXIT_OK;
}
