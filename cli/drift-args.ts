import { UsageError } from "./command";
import { FORMATS, type Format } from "./drift-report";

export { UsageError };

export const USAGE = `Usage: appwrite-users drift [STATE_FILE | -] [--stack NAME [--cwd DIR]] [--project NAME] [--format table|json|markdown]

Reports drift between a Pulumi stack's state and the live Appwrite project: per resource and field, the
value Pulumi holds and the live one; users and targets deleted outside Pulumi; passwords changed outside
Pulumi. It compares exactly as \`pulumi refresh\` does, with the provider's own read and diff. For each
drifted user it adds the latest entry Appwrite's log lists for that user (time, event, who), or says why
that is unknown.

Where the state comes from (one of):
  STATE_FILE       a file holding the output of \`pulumi stack export\`
  -                that output on stdin (also the default when stdin is not a terminal)
  --stack NAME     export the stack through the Pulumi Automation API (needs the pulumi CLI on PATH)
  --cwd DIR        the Pulumi project directory for --stack (default: the current directory)

Options:
  --format FORMAT  table (default), json for machines, markdown for a pull-request comment
  --allow-empty    report no drift for a state without Appwrite resources, instead of failing
  --project NAME   check only the resources that live in the project NAME (an entry of appwrite:projects)
  -h, --help       show this help

Credentials: appwrite:endpoint, appwrite:projectId, appwrite:apiKey and appwrite:selfSigned from the
stack's config, each one it lacks from APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID, APPWRITE_API_KEY and
APPWRITE_SELF_SIGNED in the environment; when both give a setting, the stack wins, with a warning on
stderr (an exported state keeps appwrite:apiKey encrypted, so set APPWRITE_API_KEY with it). Secrets in
the state are never decrypted or needed.

Projects: each resource is checked in the project it was recorded in (its \`project\`, else the default
one), and a stack in several projects is reported project by project. A named project's settings come
from the stack's appwrite:projects, each key it lacks from APPWRITE_PROJECTS (JSON:
{"NAME":{"endpoint":...,"projectId":...,"apiKey":...}}; an exported state keeps the keys encrypted, so
pass them there); its endpoint defaults to the default project's.

Exit status: 0 no drift, 2 drift found, 1 error (the reason is printed on stderr), which includes a state
without any Appwrite resources (the wrong stack, say) unless --allow-empty is given.
`;

export type StateSource = { kind: "file"; path: string } | { kind: "stdin" } | { kind: "stack"; name: string; cwd: string };

interface DriftArgs {
    source: StateSource;
    format: Format;
    /** Whether a state without Appwrite resources is a clean report rather than an error. */
    allowEmpty: boolean;
    /** Only the resources of this named project are checked. */
    project?: string;
}

export type ParsedArgs = { help: true } | ({ help: false } & DriftArgs);

/**
 * Parses the arguments after `appwrite-users drift`. `stdinIsTTY` decides whether a missing state source
 * means stdin (piped) or is an error (interactive).
 */
export function parseArgs(rest: readonly string[], stdinIsTTY: boolean, cwd: string): ParsedArgs {
    let format: Format = "table";
    let allowEmpty = false;
    let stack: string | undefined;
    let stackCwd = cwd;
    let project: string | undefined;
    const positional: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i] as string;
        const [flag, inline] =
            arg.startsWith("--") && arg.includes("=")
                ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
                : [arg, undefined];
        const value = () => {
            const v = inline ?? rest[++i];
            if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
            return v;
        };
        switch (flag) {
            case "-h":
            case "--help":
                return { help: true };
            case "--format": {
                const v = value();
                if (!(FORMATS as readonly string[]).includes(v))
                    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not "${v}"`);
                format = v as Format;
                break;
            }
            case "--stack":
                stack = value();
                break;
            case "--allow-empty":
                if (inline !== undefined) throw new UsageError("--allow-empty takes no value");
                allowEmpty = true;
                break;
            case "--cwd":
                stackCwd = value();
                break;
            case "--project":
                project = value();
                break;
            default:
                if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option "${arg}"`);
                positional.push(arg);
        }
    }
    if (positional.length > 1) throw new UsageError(`give one state file, not ${positional.length}: ${positional.join(" ")}`);
    const file = positional[0];
    if (stack !== undefined && file !== undefined) throw new UsageError("give either a state file or --stack, not both");
    const common = { help: false as const, format, allowEmpty, ...(project !== undefined ? { project } : {}) };
    if (stack !== undefined) return { ...common, source: { kind: "stack", name: stack, cwd: stackCwd } };
    if (file !== undefined && file !== "-") return { ...common, source: { kind: "file", path: file } };
    if (file === undefined && stdinIsTTY) {
        throw new UsageError("no state given: pass a file from `pulumi stack export`, pipe it in, or use --stack NAME");
    }
    return { ...common, source: { kind: "stdin" } };
}
