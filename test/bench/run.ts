import { runEmulatorBench } from "../emulator/bench";
import { runCliBench } from "./cli-bench";
import { runDriftBench } from "./drift-bench";
import { runEngineBench } from "./engine-bench";
import { runProviderBench } from "./provider-bench";

/** Every benchmark `npm run bench` runs, by name; `npm run bench -- <name>` runs only that one. */
const BENCHES: Record<string, () => Promise<unknown>> = {
    emulator: () => runEmulatorBench(),
    provider: () => runProviderBench(),
    cli: () => runCliBench(),
};

/**
 * Run only when named: the engine harness's figures are the real CLI's now (cli), and the drift bench only
 * repeats the drift command the cli bench runs.
 */
const ON_REQUEST: Record<string, () => Promise<unknown>> = {
    engine: () => runEngineBench(),
    drift: () => runDriftBench(),
};

/**
 * `--users=N[,N...]`, `--latency=MS`, `--concurrency=N`, `--runs=N`, `--steps=a,b`, `--skip-checkpoints=true`,
 * `--layout=sets|bundles|resources` and `--compact=true` stand for BENCH_USERS, BENCH_LATENCY_MS, BENCH_CONCURRENCY,
 * BENCH_RUNS, BENCH_STEPS, BENCH_SKIP_CHECKPOINTS, BENCH_LAYOUT (SeededUsers' layout for the cli bench, `sets` by
 * default) and BENCH_COMPACT (the same as `--layout=bundles`).
 * The harness benches take the first of several --users; the cli bench runs each.
 */
const OPTIONS: Record<string, string> = {
    "--users": "BENCH_USERS",
    "--latency": "BENCH_LATENCY_MS",
    "--concurrency": "BENCH_CONCURRENCY",
    "--runs": "BENCH_RUNS",
    "--steps": "BENCH_STEPS",
    "--skip-checkpoints": "BENCH_SKIP_CHECKPOINTS",
    "--layout": "BENCH_LAYOUT",
    "--compact": "BENCH_COMPACT",
};

async function main(): Promise<void> {
    const only: string[] = [];
    for (const arg of process.argv.slice(2)) {
        const [flag = "", value] = arg.split("=", 2);
        const envName = OPTIONS[flag];
        if (envName !== undefined && value !== undefined) process.env[envName] = value;
        else if (arg.startsWith("-"))
            throw new Error(
                `Unknown option ${arg}; known: ${Object.keys(OPTIONS)
                    .map((o) => `${o}=N`)
                    .join(", ")}`,
            );
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
