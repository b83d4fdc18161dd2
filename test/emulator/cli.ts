import { parseArgs } from "node:util";
import { StateFileError, startEmulator } from "./index";

/** Exit statuses: 0 after SIGINT/SIGTERM or `--help`, 2 when it cannot start as asked, 1 for anything unforeseen. */
const EXIT_CANNOT_START = 2;
const EXIT_CRASHED = 1;

const USAGE = `Usage: npm run emulator -- [--port 8787] [--project <id>] [--key <key>] [--state FILE] [--latency MS]

Serves the Appwrite Users API on http://127.0.0.1:<port>/v1 until SIGINT or SIGTERM.
  --port     port to listen on; 0 picks a free one (default 8787)
  --project  project ID clients must send (default "emulator-project")
  --key      API key with users.read, users.write, sessions.read and sessions.write (default "emulator-key")
  --state    JSON file to load users, targets, sessions, tokens, identities, memberships,
             authenticators and logs from and save every change to
  --latency  fixed delay added to every /v1 request, in milliseconds (default 0)
The endpoint is the first line on stdout; \`npm run -s emulator\` keeps npm's own banner out of it.
Exit status: 0 when stopped by SIGINT or SIGTERM, 2 when it cannot start as asked (a bad option,
a state file it cannot use, a port in use), 1 for an unexpected error.`;

const HINT = "Run `npm run emulator -- --help` for the options.";

/** One line saying what is wrong, then where the options are: the usage text would bury the error. */
function fail(message: string): never {
    process.stderr.write(`emulator: ${message}\n${HINT}\n`);
    process.exit(EXIT_CANNOT_START);
}

function integerOption(name: string, value: string | undefined, fallback: number, max: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > max)
        fail(`--${name} must be an integer from 0 to ${max}, got "${value}"`);
    return n;
}

async function main(): Promise<void> {
    let values;
    try {
        ({ values } = parseArgs({
            options: {
                port: { type: "string" },
                project: { type: "string" },
                key: { type: "string" },
                state: { type: "string" },
                latency: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        }));
    } catch (error) {
        fail((error as Error).message.split("\n")[0] ?? "");
    }
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return;
    }
    const port = integerOption("port", values.port, 8787, 65535);
    let emu;
    try {
        emu = await startEmulator({
            port,
            projectId: values.project ?? "emulator-project",
            apiKey: values.key ?? "emulator-key",
            stateFile: values.state,
            latencyMs: integerOption("latency", values.latency, 0, 600_000),
        });
    } catch (error) {
        if (error instanceof StateFileError) fail(error.message);
        if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
            fail(`port ${port} is already in use; choose another with --port, or --port 0 for a free one`);
        }
        throw error;
    }
    process.stdout.write(`${emu.endpoint}\n`);
    process.stdout.write(`project: ${emu.projectId}\n`);
    process.stdout.write(`admin: http://127.0.0.1:${emu.port}/__emulator/requests\n`);
    if (values.state) process.stdout.write(`state: ${values.state}\n`);
    const shutdown = (): void => {
        void emu.stop().then(() => process.exit(0));
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(EXIT_CRASHED);
});
