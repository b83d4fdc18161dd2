/** What every subcommand shares: its streams, usage errors and option parsing. */

export interface CliIO {
    stdin: NodeJS.ReadableStream & { isTTY?: boolean };
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
    env: NodeJS.ProcessEnv;
    cwd: string;
}

/** Exit statuses, the contract CI scripts rely on. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;

/** Wrong arguments: the message is printed with the command's usage. */
export class UsageError extends Error {
    override name = "UsageError";
}

export type OptionKind = "string" | "boolean";

export interface Parsed<S extends Record<string, OptionKind>> {
    options: { [K in keyof S]?: S[K] extends "boolean" ? boolean : string };
    /** Arguments that are not options, in order. */
    positional: string[];
    /** Everything after `--`, untouched (undefined when there was no `--`). */
    rest: string[] | undefined;
    help: boolean;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` options of `spec`; `-h`/`--help` asks for
 * help; `--` ends the options, and with `stopAtPositional` so does the first argument that is not one.
 */
export function parseOptions<S extends Record<string, OptionKind>>(argv: readonly string[], spec: S, stopAtPositional = false): Parsed<S> {
    const options: Record<string, string | boolean> = {};
    const positional: string[] = [];
    let help = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] as string;
        if (arg === "--") return { options: options as Parsed<S>["options"], positional, rest: argv.slice(i + 1), help };
        if (arg === "-h" || arg === "--help") {
            help = true;
            continue;
        }
        if (!arg.startsWith("--") || arg === "-") {
            if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option "${arg}"`);
            if (stopAtPositional) return { options: options as Parsed<S>["options"], positional, rest: argv.slice(i), help };
            positional.push(arg);
            continue;
        }
        const eq = arg.indexOf("=");
        const name = arg.slice(2, eq === -1 ? undefined : eq);
        const kind = spec[name];
        if (kind === undefined) throw new UsageError(`unknown option "--${name}"`);
        if (kind === "boolean") {
            if (eq !== -1) throw new UsageError(`--${name} takes no value`);
            options[name] = true;
            continue;
        }
        const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
        if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
        options[name] = value;
    }
    return { options: options as Parsed<S>["options"], positional, rest: undefined, help };
}

/**
 * The options of a subcommand that takes no arguments besides them, or undefined when help was asked for
 * (the usage is then printed and the command has nothing more to do).
 */
export function optionsOrHelp<S extends Record<string, OptionKind>>(
    argv: readonly string[],
    spec: S,
    usage: string,
    io: CliIO,
): Parsed<S>["options"] | undefined {
    const { options, positional, help } = parseOptions(argv, spec);
    if (help) {
        io.stdout.write(usage);
        return undefined;
    }
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    return options;
}

/** A whole number within Appwrite's bounds for the option, or a usage error that names them. */
export function integerOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
        throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
    return n;
}

export function required(name: string, value: string | undefined): string {
    if (value === undefined) throw new UsageError(`--${name} is required`);
    return value;
}
