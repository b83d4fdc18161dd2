#!/usr/bin/env node
import { EXIT_ERROR, UsageError, type CliIO } from "./command";

export type { CliIO };

interface Subcommand {
    run(argv: readonly string[], io: CliIO): Promise<number>;
    usage: string;
}

/** Each subcommand is loaded only when run: drift brings the provider and Pulumi, the others need neither. */
const COMMANDS: Record<string, () => Promise<Subcommand>> = {
    drift: async () => import("./drift").then((m) => ({ run: m.runDrift, usage: m.USAGE })),
    exec: async () => import("./exec").then((m) => ({ run: m.runExec, usage: m.USAGE })),
    session: async () => import("./session").then((m) => ({ run: m.runSession, usage: m.USAGE })),
    jwt: async () => import("./jwt").then((m) => ({ run: m.runJwt, usage: m.USAGE })),
    token: async () => import("./token").then((m) => ({ run: m.runToken, usage: m.USAGE })),
    "mfa-codes": async () => import("./mfa-codes").then((m) => ({ run: m.runMfaCodes, usage: m.USAGE })),
    "mfa-reset": async () => import("./mfa-reset").then((m) => ({ run: m.runMfaReset, usage: m.USAGE })),
    generate: async () => import("./generate").then((m) => ({ run: m.runGenerate, usage: m.USAGE })),
    sweep: async () => import("./sweep").then((m) => ({ run: m.runSweep, usage: m.USAGE })),
    "mfa-totp": async () => import("./mfa-totp").then((m) => ({ run: m.runMfaTotp, usage: m.USAGE })),
};

export const USAGE = `Usage: appwrite-users COMMAND [OPTIONS]

  drift       report drift between a Pulumi stack's state and the live Appwrite project
  exec        run a command as a user, with a session made for it and deleted afterwards
  session     create, list or delete a user's sessions
  jwt         print a JWT for one of a user's sessions
  token       print a one-time token for a user
  mfa-codes   print a user's MFA recovery codes, creating them when there are none
  mfa-reset   remove a user's authenticator app
  generate    write a Pulumi program (or seed file) declaring the project's existing users, to take them over
  sweep       delete the users that carry a label and are older than a duration (a dry run without --yes)
  mfa-totp    add and verify an authenticator app for a user and print its TOTP secret

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
    const load = COMMANDS[name];
    if (load === undefined) {
        io.stderr.write(`appwrite-users: unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(", ")}\n\n${USAGE}`);
        return EXIT_ERROR;
    }
    const command = await load();
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
