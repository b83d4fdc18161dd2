import { parseArgs, USAGE, type StateSource } from "./drift-args";
import type { CliIO } from "./command";
import { checkDrift } from "./drift-check";
import { projectOfResource } from "./drift-state";
import { partialCredentials, resolveCredentials } from "./credentials";
import { formatReport } from "./drift-report";
import { loadStack } from "./drift-source";

export { USAGE };

/** Exit statuses of `drift`: 2 means drift was found. */
const EXIT_NO_DRIFT = 0;
const EXIT_DRIFT = 2;

/** A CI job pointed at the wrong stack or an empty export must not pass as "no drift". */
function noResources(source: StateSource, project: string | undefined): string {
    const where = source.kind === "file" ? source.path : source.kind === "stdin" ? "the state on stdin" : `stack "${source.name}"`;
    return (
        `no Appwrite resources were found in ${where}${project === undefined ? "" : ` in project "${project}"`}: ` +
        "it holds no User, UserLabels, UserPrefs, UserTarget or UserStatus. " +
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
    const checked = args.project === undefined ? state.resources : state.resources.filter((r) => projectOfResource(r) === args.project);
    if (checked.length === 0 && !args.allowEmpty) throw new Error(noResources(args.source, args.project));
    const warn = (line: string) => io.stderr.write(`appwrite-users drift: warning: ${line}\n`);
    // The default project's settings are needed only when a resource checked lives there.
    const usesDefault = checked.length === 0 ? args.project === undefined : checked.some((r) => projectOfResource(r) === undefined);
    const credentials = usesDefault ? resolveCredentials(io.env, config, warn) : partialCredentials(io.env, config, warn);
    const report = await checkDrift(state, credentials, args.project);
    io.stdout.write(formatReport(report, args.format));
    return report.drift.length === 0 ? EXIT_NO_DRIFT : EXIT_DRIFT;
}
