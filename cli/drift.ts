import { parseArgs, USAGE, type StateSource } from "./drift-args";
import type { CliIO } from "./command";
import { checkDrift } from "./drift-check";
import { resolveCredentials } from "./credentials";
import { formatReport } from "./drift-report";
import { loadStack } from "./drift-source";

export { USAGE };

/** Exit statuses of `drift`: 2 means drift was found. */
const EXIT_NO_DRIFT = 0;
const EXIT_DRIFT = 2;

/** A CI job pointed at the wrong stack or an empty export must not pass as "no drift". */
function noResources(source: StateSource): string {
    const where = source.kind === "file" ? source.path : source.kind === "stdin" ? "the state on stdin" : `stack "${source.name}"`;
    return (
        `no Appwrite resources were found in ${where}: it holds no User, UserLabels, UserPrefs, UserTarget or UserStatus. ` +
        "Check that this is the stack that declares them; pass --allow-empty if an empty stack is expected."
    );
}

/** `appwrite-users drift [STATE_FILE | - | --stack NAME] [--format ...]`; errors are thrown for the caller to print. */
export async function runDrift(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, io.stdin.isTTY === true, io.cwd);
    if (args.help) {
        io.stdout.write(USAGE);
        return EXIT_NO_DRIFT;
    }
    const { state, config } = await loadStack(args.source, io.stdin);
    if (state.resources.length === 0 && !args.allowEmpty) throw new Error(noResources(args.source));
    const credentials = resolveCredentials(io.env, config, (line) => io.stderr.write(`appwrite-users drift: warning: ${line}\n`));
    const report = await checkDrift(state, credentials);
    io.stdout.write(formatReport(report, args.format));
    return report.drift.length === 0 ? EXIT_NO_DRIFT : EXIT_DRIFT;
}
