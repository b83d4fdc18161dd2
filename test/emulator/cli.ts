import { parseArgs } from "node:util";
import { StateFileError, startEmulator } from "./index";

const USAGE = `Usage: npm run emulator -- [--port 8787] [--project <id>] [--key <key>] [--state FILE] [--latency MS]

Serves the Appwrite Users API on http://127.0.0.1:<port>/v1 until SIGINT or SIGTERM.
  --port     port to listen on; 0 picks a free one (default 8787)
  --project  project ID clients must send (default "emulator-project")
  --key      API key with users.read, users.write, sessions.read and sessions.write (default "emulator-key")
  --state    JSON file to load users, targets, sessions, tokens, identities, memberships,
             authenticators and logs from and save every change to
  --latency  fixed delay added to every /v1 request, in milliseconds (default 0)
The first line printed is the endpoint, so scripts can read it.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function nonNegativeInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got "${value}"`);
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
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const emu = await startEmulator({
    port: nonNegativeInt("port", values.port, 8787),
    projectId: values.project ?? "emulator-project",
    apiKey: values.key ?? "emulator-key",
    stateFile: values.state,
    latencyMs: nonNegativeInt("latency", values.latency, 0),
  });
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
  if (error instanceof StateFileError) fail(error.message);
  const e = error as NodeJS.ErrnoException;
  if (e.code === "EADDRINUSE") fail(`Port already in use: ${e.message}`);
  process.stderr.write(`${e.stack ?? String(error)}\n`);
  process.exit(1);
});
