#!/usr/bin/env node
import { parseArgs, USAGE, UsageError, type StateSource } from "./args";
import { checkDrift } from "./check";
import { resolveCredentials } from "./credentials";
import { formatReport } from "./report";
import { loadStack } from "./source";

/** Exit statuses, the contract CI scripts rely on. */
export const EXIT_NO_DRIFT = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

export interface CliIO {
    stdin: NodeJS.ReadableStream & { isTTY?: boolean };
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
    env: NodeJS.ProcessEnv;
    cwd: string;
}

/** A CI job pointed at the wrong stack or an empty export must not pass as "no drift". */
function noResources(source: StateSource): string {
    const where = source.kind === "file" ? source.path : source.kind === "stdin" ? "the state on stdin" : `stack "${source.name}"`;
    return (
        `no Appwrite resources were found in ${where}: it holds no User, UserLabels, UserPrefs, UserTarget or UserStatus. ` +
        "Check that this is the stack that declares them; pass --allow-empty if an empty stack is expected."
    );
}

/** Runs `appwrite-users <argv...>` and returns the exit status; never throws. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
    try {
        const args = parseArgs(argv, io.stdin.isTTY === true, io.cwd);
        if (args.help) {
            io.stdout.write(USAGE);
            return EXIT_NO_DRIFT;
        }
        const { state, config } = await loadStack(args.source, io.stdin);
        if (state.resources.length === 0 && !args.allowEmpty) throw new Error(noResources(args.source));
        const credentials = resolveCredentials(io.env, config);
        const report = await checkDrift(state, credentials);
        io.stdout.write(formatReport(report, args.format));
        return report.drift.length === 0 ? EXIT_NO_DRIFT : EXIT_DRIFT;
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        io.stderr.write(`appwrite-users drift: ${message}\n`);
        if (error instanceof UsageError) io.stderr.write(`\n${USAGE}`);
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
