/**
 * How the credential subcommands print what they made: `env` lines (NAME=value, for `$GITHUB_ENV` or
 * `export $(...)`) or one JSON document. Only stdout ever carries a secret; stderr gets notes without them.
 */
import { UsageError } from "./command";

export type OutputFormat = "env" | "json";

export function outputFormat(value: string | undefined): OutputFormat {
    if (value === undefined || value === "env" || value === "json") return value ?? "env";
    throw new UsageError(`--format must be env or json, not "${value}"`);
}

/** `env` prints `vars` (values are single-line in everything Appwrite mints); `json` prints `document`. */
export function render(format: OutputFormat, vars: Record<string, string>, document: unknown): string {
    if (format === "json") return `${JSON.stringify(document, null, 2)}\n`;
    return Object.entries(vars)
        .map(([name, value]) => `${name}=${value}\n`)
        .join("");
}
