import type { Models } from "node-appwrite";
import { describeRequestError } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";
import { createUserSession, deleteUserSession } from "../sdk/sessions";
import { EXIT_OK, parseOptions, required, UsageError, type CliIO } from "./command";
import { connect, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./connect";
import { outputFormat, render } from "./output";

export const USAGE = `Usage: appwrite-users session create --user ID [--format env|json]
       appwrite-users session list --user ID [--format env|json]
       appwrite-users session delete --user ID (--session SID | --all)

create  makes a session for the user with the API key (no password or sign-in) and prints
        APPWRITE_USER_ID, APPWRITE_SESSION_ID, APPWRITE_SESSION_SECRET and APPWRITE_SESSION_EXPIRE.
        The secret is what a client SDK takes in Client.setSession(secret). Delete the session when done,
        or use \`appwrite-users exec\`, which does.
list    prints the user's sessions (IDs, provider, expiry; never a secret): APPWRITE_SESSION_IDS (comma-separated)
delete  deletes one session, or every session of the user with --all

${CONNECTION_USAGE}
Needs an API key with users.write (or sessions.write); list needs users.read (or sessions.read).
`;

const OPTIONS = { ...CONNECTION_OPTIONS, user: "string", format: "string", session: "string", all: "boolean" } as const;

function sessionSummary(session: Models.Session) {
    return {
        sessionId: session.$id,
        provider: session.provider,
        createdAt: session.$createdAt,
        expire: session.expire,
        factors: session.factors,
    };
}

export async function runSession(argv: readonly string[], io: CliIO): Promise<number> {
    const { options, positional, help } = parseOptions(argv, OPTIONS);
    if (help) {
        io.stdout.write(USAGE);
        return EXIT_OK;
    }
    const [action, ...extra] = positional;
    if (action === undefined) throw new UsageError("say what to do: session create, list or delete");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const userId = required("user", options.user);
    const format = outputFormat(options.format);
    switch (action) {
        case "create": {
            const users = await connect(io, options);
            const session = await createUserSession(users, userId);
            io.stdout.write(
                render(
                    format,
                    {
                        APPWRITE_USER_ID: userId,
                        APPWRITE_SESSION_ID: session.$id,
                        APPWRITE_SESSION_SECRET: session.secret,
                        APPWRITE_SESSION_EXPIRE: session.expire,
                    },
                    { userId, sessionId: session.$id, secret: session.secret, expire: session.expire },
                ),
            );
            return EXIT_OK;
        }
        case "list": {
            const users = await connect(io, options);
            const { sessions } = await retrying(() => users.listSessions({ userId, total: false })).catch((err: unknown) => {
                throw describeRequestError(`listing the sessions of user "${userId}"`, err);
            });
            io.stdout.write(
                render(
                    format,
                    { APPWRITE_SESSION_IDS: sessions.map((s) => s.$id).join(",") },
                    { userId, sessions: sessions.map(sessionSummary) },
                ),
            );
            return EXIT_OK;
        }
        case "delete": {
            if ((options.session === undefined) === (options.all !== true)) throw new UsageError("give either --session SID or --all");
            const users = await connect(io, options);
            if (options.session !== undefined) {
                await deleteUserSession(users, userId, options.session, (note) => io.stderr.write(`appwrite-users session: ${note}\n`));
                io.stderr.write(`Deleted session ${options.session} of user "${userId}".\n`);
            } else {
                await retrying(() => users.deleteSessions({ userId })).catch((err: unknown) => {
                    throw describeRequestError(`deleting the sessions of user "${userId}"`, err);
                });
                io.stderr.write(`Deleted every session of user "${userId}".\n`);
            }
            return EXIT_OK;
        }
        default:
            throw new UsageError(`unknown session action "${action}"; use create, list or delete`);
    }
}
