import { runEmulatorBench } from "../emulator/bench";
import { runDriftBench } from "./drift-bench";
import { runEngineBench } from "./engine-bench";
import { runProviderBench } from "./provider-bench";

/** Every benchmark `npm run bench` runs, by name; `npm run bench -- <name>` runs only that one. */
const BENCHES: Record<string, () => Promise<unknown>> = {
  emulator: () => runEmulatorBench(),
  engine: () => runEngineBench(),
  provider: () => runProviderBench(),
};

/** Run only when named: the engine bench already runs the drift command on the state it made. */
const ON_REQUEST: Record<string, () => Promise<unknown>> = {
  drift: () => runDriftBench(),
};

/** `--users=N`, `--latency=MS` and `--concurrency=N` stand for BENCH_USERS, BENCH_LATENCY_MS and BENCH_CONCURRENCY. */
const OPTIONS: Record<string, string> = { "--users": "BENCH_USERS", "--latency": "BENCH_LATENCY_MS", "--concurrency": "BENCH_CONCURRENCY" };

async function main(): Promise<void> {
  const only: string[] = [];
  for (const arg of process.argv.slice(2)) {
    const [flag = "", value] = arg.split("=", 2);
    const envName = OPTIONS[flag];
    if (envName !== undefined && value !== undefined) process.env[envName] = value;
    else if (arg.startsWith("-")) throw new Error(`Unknown option ${arg}; known: ${Object.keys(OPTIONS).map((o) => `${o}=N`).join(", ")}`);
    else only.push(arg);
  }
  const known = { ...BENCHES, ...ON_REQUEST };
  const unknown = only.filter((n) => !(n in known));
  if (unknown.length > 0) throw new Error(`Unknown bench ${unknown.join(", ")}; known: ${Object.keys(known).join(", ")}`);
  for (const [name, run] of Object.entries(only.length > 0 ? known : BENCHES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    await run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.message : error)}\n`);
  process.exit(1);
});
