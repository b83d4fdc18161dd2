import { parseArgs, USAGE } from "./drift-args";
import { EXIT_ERROR, type CliIO } from "./command";
import { checkDrift } from "./drift-check";
import { resolveCredentials } from "./credentials";
import { formatReport } from "./drift-report";
import { loadStack } from "./drift-source";

export { USAGE };

/** Exit statuses of `drift`: 2 means drift was found. */
export const EXIT_NO_DRIFT = 0;
export const EXIT_DRIFT = 2;

/** `appwrite-users drift [STATE_FILE | - | --stack NAME] [--format ...]`; errors are thrown for the caller to print. */
export async function runDrift(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, io.stdin.isTTY === true, io.cwd);
    if (args.help) {
        io.stdout.write(USAGE);
        return EXIT_NO_DRIFT;
    }
    const { state, config } = await loadStack(args.source, io.stdin);
    const credentials = resolveCredentials(io.env, config);
    const report = await checkDrift(state, credentials);
    io.stdout.write(formatReport(report, args.format));
    return report.drift.length === 0 ? EXIT_NO_DRIFT : EXIT_DRIFT;
}

export { EXIT_ERROR };
