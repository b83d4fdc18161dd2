import { spawn, type ChildProcess } from "child_process";
import { constants } from "os";
import { settings } from "../provider/appwrite/connection";
import { createSessionJwt, createUserSession, deleteUserSession, JWT_DURATION } from "../sdk/sessions";
import { EXIT_ERROR, EXIT_OK, integerOption, parseOptions, required, UsageError, type CliIO } from "./command";
import { connect, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./connect";
import { deleteRunUser, makeRunUser } from "./run-user";
import { labelOption } from "./user-pages";

export const USAGE = `Usage: appwrite-users exec (--user ID | --label LABEL) [--jwt [--jwt-duration SECONDS]] [--pass-api-key] -- COMMAND [ARGS...]

Runs COMMAND as the user: makes a session for the user with the API key (and a JWT for it with --jwt,
lasting 1 to 3600 seconds, 900 by default), runs COMMAND with APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID,
APPWRITE_USER_ID, APPWRITE_SESSION_ID, APPWRITE_SESSION_SECRET (and APPWRITE_JWT) added to its environment,
and deletes the session when COMMAND ends: on success, on failure, and when this command gets SIGINT or
SIGTERM (passed on to COMMAND). Exits with COMMAND's status (128 + the signal's number when a signal ended
it). The secrets go to COMMAND's environment only; nothing is printed or stored.
It prints nothing on stdout, so it takes no --format (session, jwt, token and mfa-codes do).

COMMAND does not get the API key: APPWRITE_API_KEY, every other variable holding the same value, and
PULUMI_CONFIG_PASSPHRASE / PULUMI_CONFIG_PASSPHRASE_FILE (which decrypt appwrite:apiKey from the stack)
are removed from its environment, so the tests act as the user and nothing more.
--pass-api-key  keep them, for a COMMAND that needs the server key too.

With --label instead of --user, COMMAND runs as a new user made for this run (a unique ID, no email or
password) that carries LABEL, and the user is deleted when COMMAND ends. A run killed before that
(SIGKILL, a cancelled CI job) leaves the user behind, labelled: \`appwrite-users sweep --label LABEL
--older-than 2h --yes\` removes such leftovers.

${CONNECTION_USAGE}
Needs an API key with users.write (or sessions.write for the session alone).
`;

/** Variables that unlock the stack's encrypted config, `appwrite:apiKey` among it. */
const KEY_UNLOCKING = ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"];

/**
 * The command's environment: this process's, without the API key (under any name) and without what decrypts
 * it from the stack, unless `--pass-api-key` asks for them; then the user's settings on top.
 */
function commandEnv(env: NodeJS.ProcessEnv, apiKey: string, passApiKey: boolean, added: Record<string, string>): NodeJS.ProcessEnv {
    const kept = passApiKey
        ? env
        : Object.fromEntries(
              Object.entries(env).filter(
                  ([name, value]) => name !== "APPWRITE_API_KEY" && value !== apiKey && !KEY_UNLOCKING.includes(name),
              ),
          );
    return { ...kept, ...added };
}

const OPTIONS = {
    ...CONNECTION_OPTIONS,
    user: "string",
    label: "string",
    jwt: "boolean",
    "jwt-duration": "string",
    "pass-api-key": "boolean",
} as const;
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** What a shell answers when the command cannot be found or started. */
const EXIT_NOT_STARTED = 127;

interface Finished {
    code: number | null;
    signal: NodeJS.Signals | null;
    error?: Error;
}

function statusOf(finished: Finished): number {
    if (finished.error !== undefined) return EXIT_NOT_STARTED;
    if (finished.code !== null) return finished.code;
    const number = finished.signal === null ? undefined : constants.signals[finished.signal];
    return number === undefined ? EXIT_ERROR : 128 + number;
}

/**
 * Signals this process gets while it runs: passed on to the child once there is one, remembered before, so
 * that the process lives on to delete the session and then exits with the child's status.
 */
class SignalRelay {
    first: NodeJS.Signals | undefined;
    private child: ChildProcess | undefined;
    private readonly relay = (signal: NodeJS.Signals) => {
        this.first ??= signal;
        if (this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    };

    constructor() {
        for (const signal of FORWARDED) process.on(signal, this.relay);
    }

    /** Runs the command with the extra environment; signals received meanwhile go to it. */
    run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
        return new Promise((resolve) => {
            const child = spawn(command, args, { stdio: "inherit", env });
            this.child = child;
            child.once("error", (error) => resolve({ code: null, signal: null, error }));
            child.once("exit", (code, signal) => resolve({ code, signal }));
        });
    }

    close(): void {
        for (const signal of FORWARDED) process.off(signal, this.relay);
    }
}

export async function runExec(argv: readonly string[], io: CliIO): Promise<number> {
    const { options, positional, rest, help } = parseOptions(argv, OPTIONS, true);
    if (help) {
        io.stdout.write(USAGE);
        return EXIT_OK;
    }
    const [command, ...args] = rest ?? positional;
    if (command === undefined) throw new UsageError("give the command to run after --, e.g. appwrite-users exec --user ci -- npm test");
    if (options.user !== undefined && options.label !== undefined)
        throw new UsageError("give either --user or --label (a user made for the run), not both");
    const label = options.label === undefined ? undefined : labelOption("label", options.label);
    if (label === undefined) required("user", options.user);
    const jwtDuration = integerOption("jwt-duration", options["jwt-duration"], JWT_DURATION.min, JWT_DURATION.max);
    if (jwtDuration !== undefined && options.jwt !== true) throw new UsageError("--jwt-duration needs --jwt");

    const note = (text: string) => io.stderr.write(`appwrite-users exec: ${text}\n`);
    const signals = new SignalRelay();
    try {
        const users = await connect(io, options);
        // Stopped before anything was made: nothing to clean up.
        if (signals.first !== undefined) return statusOf({ code: null, signal: signals.first });
        const userId = label === undefined ? (options.user as string) : await makeRunUser(users, label);
        const session = await createUserSession(users, userId);
        let finished: Finished = { code: null, signal: null };
        try {
            const { endpoint, projectId, apiKey } = await settings(options.project);
            const env: Record<string, string> = {
                APPWRITE_ENDPOINT: endpoint,
                APPWRITE_PROJECT_ID: projectId,
                APPWRITE_USER_ID: userId,
                APPWRITE_SESSION_ID: session.$id,
                APPWRITE_SESSION_SECRET: session.secret,
            };
            if (options.jwt === true) env.APPWRITE_JWT = await createSessionJwt(users, userId, session.$id, jwtDuration);
            const childEnv = commandEnv(io.env, apiKey, options["pass-api-key"] === true, env);
            finished = signals.first === undefined ? await signals.run(command, args, childEnv) : { code: null, signal: signals.first };
        } finally {
            await deleteUserSession(users, userId, session.$id, note).catch((err: unknown) =>
                note(
                    `${(err as Error).message}; delete it with \`appwrite-users session delete --user ${userId} --session ${session.$id}${options.project === undefined ? "" : ` --project ${options.project}`}\``,
                ),
            );
            if (label !== undefined)
                await deleteRunUser(users, userId).catch((err: unknown) =>
                    note(
                        `${(err as Error).message}; \`appwrite-users sweep --label ${label}${options.project === undefined ? "" : ` --project ${options.project}`}\` removes it`,
                    ),
                );
        }
        if (finished.error !== undefined) note(`cannot run ${command}: ${finished.error.message}`);
        return statusOf(finished);
    } finally {
        signals.close();
    }
}
