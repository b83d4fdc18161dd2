#!/usr/bin/env node
import { EXIT_ERROR, UsageError, type CliIO } from "./command";
import { runDrift, USAGE as DRIFT_USAGE } from "./drift";
import { runExec, USAGE as EXEC_USAGE } from "./exec";
import { runJwt, USAGE as JWT_USAGE } from "./jwt";
import { runMfaCodes, USAGE as MFA_CODES_USAGE } from "./mfa-codes";
import { runMfaReset, USAGE as MFA_RESET_USAGE } from "./mfa-reset";
import { runSession, USAGE as SESSION_USAGE } from "./session";
import { runToken, USAGE as TOKEN_USAGE } from "./token";

export type { CliIO };
export { EXIT_DRIFT, EXIT_NO_DRIFT } from "./drift";
export { EXIT_ERROR };

interface Subcommand {
    run(argv: readonly string[], io: CliIO): Promise<number>;
    usage: string;
}

const COMMANDS: Record<string, Subcommand> = {
    drift: { run: runDrift, usage: DRIFT_USAGE },
    exec: { run: runExec, usage: EXEC_USAGE },
    session: { run: runSession, usage: SESSION_USAGE },
    jwt: { run: runJwt, usage: JWT_USAGE },
    token: { run: runToken, usage: TOKEN_USAGE },
    "mfa-codes": { run: runMfaCodes, usage: MFA_CODES_USAGE },
    "mfa-reset": { run: runMfaReset, usage: MFA_RESET_USAGE },
};

export const USAGE = `Usage: appwrite-users COMMAND [OPTIONS]

  drift       report drift between a Pulumi stack's state and the live Appwrite project
  exec        run a command as a user, with a session made for it and deleted afterwards
  session     create, list or delete a user's sessions
  jwt         print a JWT for one of a user's sessions
  token       print a one-time token for a user
  mfa-codes   print a user's MFA recovery codes, creating them when there are none
  mfa-reset   remove a user's authenticator app

Run \`appwrite-users COMMAND --help\` for a command's options. Credentials minted by these commands are
printed on stdout only (or handed to exec's COMMAND), never logged, and never enter Pulumi state.
`;

/** Runs `appwrite-users <argv...>` and returns the exit status; never throws. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
    const [name, ...rest] = argv;
    if (name === undefined || name === "-h" || name === "--help" || name === "help") {
        io.stdout.write(USAGE);
        return 0;
    }
    const command = COMMANDS[name];
    if (command === undefined) {
        io.stderr.write(`appwrite-users: unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(", ")}\n\n${USAGE}`);
        return EXIT_ERROR;
    }
    try {
        return await command.run(rest, io);
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        io.stderr.write(`appwrite-users ${name}: ${message}\n`);
        if (error instanceof UsageError) io.stderr.write(`\n${command.usage}`);
        return EXIT_ERROR;
    }
}

if (require.main === module) {
    runCli(process.argv.slice(2), {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        cwd: process.cwd(),
    }).then((code) => {
        process.exitCode = code;
    });
}
