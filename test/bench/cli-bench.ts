/**
 * The seed through the real `pulumi` CLI (file:// backend, default --parallel) against the emulator with a
 * modelled latency, next to a plain node-appwrite script that sends the same requests with as many in
 * flight, in the same run. Each run makes fresh projects: the seed with checkpoints (every step), the seed
 * with PULUMI_SKIP_CHECKPOINTS=true, the same program through a do-nothing provider, and the anchor script.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { CliProject } from "../e2e/support";
import { seededUserPassword } from "../../sdk/seed-password";
import { seedSetOf } from "../../sdk/seed-sets";
import type { SeedLayout } from "../../sdk/seeded-users";
import { ensurePulumiCli } from "../../scripts/setup-pulumi";
import { anchorRead, anchorSeed, type AnchorResult } from "./anchor-script";
import { installDoNothingProvider } from "./do-nothing-provider";
import { driftCommand, stateFigures, type StateFigures } from "./cli-state";
import { logProgress, mb, median, printMemory, printSeries, record, type Series } from "./cli-stats";
import { stdoutLog, type Log } from "./figures";
import { sampleDescendantMemory, type PeakMemory } from "./process-memory";
import { RESOURCES_PER_SEED_USER, benchSeed, writeSeedFile, type BenchSeedUser } from "./seed";

const SEED_PROGRAM = path.join(__dirname, "seed-program");
const SECRET = "bench-seed-secret-0123456789abcdef";
/** `pulumi up --help`: "(default 8)"; Automation passes no --parallel unless asked. */
const CLI_DEFAULT_PARALLEL = 8;

/** The steps a run can take; `--steps=a,b` picks some (the 10,000-user run takes only a few). */
const CLI_STEPS = [
    "up",
    "no-change-up",
    "empty",
    "change-one",
    "preview",
    "preview-refresh",
    "refresh",
    "drift",
    "destroy",
    "skip-checkpoints",
    "do-nothing",
    "anchor",
] as const;
type Step = (typeof CLI_STEPS)[number];

export interface CliBenchSettings {
    users: number[];
    runs: number;
    latencyMs: number;
    steps: Step[];
    /** Run the main seed project with PULUMI_SKIP_CHECKPOINTS=true too (for very large stacks). */
    skipCheckpoints: boolean;
    /** SeededUsers' layout for the seed and its do-nothing variant: `sets` (the default), `bundles` or `resources`. */
    layout: SeedLayout;
}

function cliBenchSettings(env: NodeJS.ProcessEnv = process.env): CliBenchSettings {
    const numbers = (name: string, fallback: number[]) => {
        const raw = env[name];
        if (raw === undefined || raw === "") return fallback;
        const values = raw.split(",").map(Number);
        if (values.some((v) => !Number.isInteger(v) || v < 1))
            throw new Error(`${name} must be whole numbers separated by commas, not "${raw}"`);
        return values;
    };
    const steps = (env["BENCH_STEPS"] ?? "").split(",").filter(Boolean);
    const unknown = steps.filter((s) => !(CLI_STEPS as readonly string[]).includes(s));
    if (unknown.length > 0) throw new Error(`unknown step ${unknown.join(", ")}; known: ${CLI_STEPS.join(", ")}`);
    return {
        // 1,000 users take over an hour for three runs of every step on 2 cores, so they are asked for (--users=200,1000).
        users: numbers("BENCH_USERS", [200]),
        runs: numbers("BENCH_RUNS", [3])[0] ?? 3,
        latencyMs: env["BENCH_LATENCY_MS"] ? Number(env["BENCH_LATENCY_MS"]) : 25,
        steps: steps.length > 0 ? (steps as Step[]) : [...CLI_STEPS],
        skipCheckpoints: env["BENCH_SKIP_CHECKPOINTS"] === "true",
        layout: benchLayout(env),
    };
}

function benchLayout(env: NodeJS.ProcessEnv): SeedLayout {
    const layout = env["BENCH_LAYOUT"] || (env["BENCH_COMPACT"] === "true" ? "bundles" : "sets");
    if (!["sets", "bundles", "resources"].includes(layout))
        throw new Error(`BENCH_LAYOUT must be sets, bundles or resources, not "${layout}"`);
    return layout as SeedLayout;
}

/** A consumer project of the seed program with `seed` as its seed.json, on a fresh emulator and backend. */
export async function seedProject(
    seed: BenchSeedUser[],
    latencyMs: number,
    options: { skipCheckpoints?: boolean; doNothing?: boolean; layout?: SeedLayout; empty?: boolean },
): Promise<CliProject> {
    const project = await CliProject.create({
        source: SEED_PROGRAM,
        stackName: "bench",
        config: {
            seedPasswordSecret: { value: SECRET, secret: true },
            ...(options.doNothing ? { doNothing: { value: "true" } } : {}),
            layout: { value: options.layout ?? "sets" },
            ...(options.empty ? { empty: { value: "true" } } : {}),
        },
        emulator: { latencyMs },
        env: options.skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {},
    });
    writeSeedFile(project.workDir, seed);
    if (options.doNothing) installDoNothingProvider(project.workDir);
    return project;
}

/** The resources SeededUsers declares for this seed: five per user, one per user, or one per set that holds a user. */
export function seedResources(seed: readonly BenchSeedUser[], layout: SeedLayout): number {
    if (layout === "sets") return new Set(seed.map((u) => seedSetOf(u.id))).size;
    return seed.length * (layout === "bundles" ? 1 : RESOURCES_PER_SEED_USER);
}

/** The seed with one user's email changed: the smallest change a seed sees. */
function withOneEmailChanged(seed: BenchSeedUser[]): BenchSeedUser[] {
    const at = Math.floor(seed.length / 2);
    return seed.map((u, i) => (i === at ? { ...u, email: `changed-${u.email}` } : u));
}

const writesOf = (counts: Record<string, number>) =>
    Object.entries(counts).reduce((n, [route, c]) => (route.startsWith("GET ") ? n : n + c), 0);

async function timed(project: CliProject, run: () => Promise<unknown>): Promise<{ seconds: number; counts: Record<string, number> }> {
    project.emu.resetRequestCounts();
    const started = process.hrtime.bigint();
    await run();
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, counts: project.emu.requestCounts() };
}

function changedSteps(summary: Record<string, number> | undefined): number {
    return Object.entries(summary ?? {}).reduce((n, [op, count]) => (op === "same" ? n : n + count), 0);
}

interface SizeResult {
    series: Series[];
    state?: StateFigures;
    peaks: Record<string, PeakMemory>;
}

/** One size, `runs` times: every figure of the seed, its variants and the anchor. */
async function benchSize(users: number, settings: CliBenchSettings, log: Log): Promise<SizeResult> {
    const seed = benchSeed(users);
    const resources = seedResources(seed, settings.layout);
    const series: Series[] = [];
    const peaks: Record<string, PeakMemory> = {};
    const has = (step: Step) => settings.steps.includes(step);
    const at = (scenario: string) => ({ scenario, users, resources });
    const peakOf = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
        const { value, peaks: seen } = await sampleDescendantMemory(run);
        for (const [role, bytes] of Object.entries(seen))
            peaks[name] = { ...peaks[name], [role]: Math.max(bytes, peaks[name]?.[role] ?? 0) };
        return value;
    };
    let state: StateFigures | undefined;
    for (let run = 1; run <= settings.runs; run++) {
        log(`  ${users} users, run ${run} of ${settings.runs} (${new Date().toISOString().slice(11, 19)} UTC)`);
        let anchor: { seed: AnchorResult; read: AnchorResult } | undefined;
        if (has("anchor")) {
            const emu = await startEmulator({ latencyMs: settings.latencyMs });
            try {
                const seedRun = await anchorSeed(emu, seed, (id) => seededUserPassword(SECRET, id), CLI_DEFAULT_PARALLEL);
                anchor = { seed: seedRun, read: await anchorRead(emu, seed, CLI_DEFAULT_PARALLEL, settings.layout !== "resources") };
            } finally {
                await emu.stop();
            }
            record(series, at("anchor: node-appwrite seed script"), { ...anchor.seed, anchorSeconds: anchor.seed.seconds });
            record(series, at("anchor: one GET per resource"), { ...anchor.read, anchorSeconds: anchor.read.seconds });
        }
        const seedAnchor = anchor?.seed.seconds;
        const readAnchor = anchor?.read.seconds;
        const main = await seedProject(seed, settings.latencyMs, { skipCheckpoints: settings.skipCheckpoints, layout: settings.layout });
        const label = settings.skipCheckpoints ? " (PULUMI_SKIP_CHECKPOINTS)" : "";
        try {
            if (has("up")) {
                const up = await peakOf("up (seed)", () => timed(main, () => main.up()));
                record(series, at(`up (seed)${label}`), { ...up, anchorSeconds: seedAnchor });
            }
            if (has("no-change-up")) {
                let changed = 0;
                const up = await peakOf("up (no change)", () =>
                    timed(main, async () => (changed = changedSteps((await main.up()).result.summary.resourceChanges))),
                );
                const s = record(series, at(`up (no change)${label}`), up);
                if (changed > 0) s.note = `expected no change, saw ${changed} changed steps`;
            }
            if (has("change-one")) {
                writeSeedFile(main.workDir, withOneEmailChanged(seed));
                const up = await timed(main, () => main.up());
                const s = record(series, at("up (one email changed)"), up);
                if (writesOf(up.counts) !== 1) s.note = `expected 1 write request, saw ${writesOf(up.counts)}`;
                writeSeedFile(main.workDir, seed);
                await main.up();
            }
            if (has("preview")) record(series, at("preview"), await timed(main, () => main.preview()));
            if (has("preview-refresh"))
                record(series, at("preview --refresh"), {
                    ...(await timed(main, () => main.preview({ refresh: true }))),
                    anchorSeconds: readAnchor,
                });
            if (has("refresh"))
                record(series, at(`refresh${label}`), {
                    ...(await peakOf("refresh", () => timed(main, () => main.refresh()))),
                    anchorSeconds: readAnchor,
                });
            if (has("drift")) {
                let outcome = { code: 0 as number | null, stderr: "" };
                const drift = await timed(main, async () => (outcome = await driftCommand(main)));
                const s = record(series, at("drift command (appwrite-users drift --stack)"), drift);
                if (outcome.code !== 0) s.note = `exit code ${String(outcome.code)}: ${outcome.stderr.trim().split("\n")[0] ?? ""}`;
            }
            if (run === 1 && has("up")) state = stateFigures(main);
            if (has("destroy")) record(series, at(`destroy${label}`), await timed(main, () => main.destroy()));
        } finally {
            await main.dispose();
        }
        if (has("empty")) {
            const empty = await seedProject([], settings.latencyMs, { empty: true, skipCheckpoints: settings.skipCheckpoints });
            try {
                await empty.up();
                record(
                    series,
                    { scenario: "empty program: up (nothing declared)", users: 0, resources: 0 },
                    await timed(empty, () => empty.up()),
                );
            } finally {
                await empty.dispose();
            }
        }
        if (has("skip-checkpoints") && !settings.skipCheckpoints) {
            const skipping = await seedProject(seed, settings.latencyMs, { skipCheckpoints: true, layout: settings.layout });
            try {
                record(series, at("up (seed), PULUMI_SKIP_CHECKPOINTS=true"), {
                    ...(await timed(skipping, () => skipping.up())),
                    anchorSeconds: seedAnchor,
                });
            } finally {
                await skipping.dispose();
            }
        }
        if (has("do-nothing")) {
            const idle = await seedProject(seed, settings.latencyMs, {
                doNothing: true,
                layout: settings.layout,
                skipCheckpoints: settings.skipCheckpoints,
            });
            try {
                record(series, at(`do-nothing provider: up${label}`), {
                    ...(await timed(idle, () => idle.up())),
                    anchorSeconds: seedAnchor,
                });
                record(series, at(`do-nothing provider: up (no change)${label}`), await timed(idle, () => idle.up()));
                record(series, at(`do-nothing provider: refresh${label}`), {
                    ...(await timed(idle, () => idle.refresh())),
                    anchorSeconds: readAnchor,
                });
                if (has("destroy")) record(series, at(`do-nothing provider: destroy${label}`), await timed(idle, () => idle.destroy()));
            } finally {
                await idle.dispose();
            }
        }
    }
    return { series, state, peaks };
}

function printSize(users: number, result: SizeResult, log: Log, settings: Pick<CliBenchSettings, "layout">): void {
    printSeries(
        `${users} users in ${seedResources(benchSeed(users), settings.layout)} resources (SeededUsers layout "${settings.layout}")`,
        result.series,
        log,
    );
    const up = result.series.find((s) => s.scenario === "up (seed)");
    const skipped = result.series.find((s) => s.scenario === "up (seed), PULUMI_SKIP_CHECKPOINTS=true");
    if (up !== undefined && skipped !== undefined) {
        const share = (median(up.seconds) - median(skipped.seconds)) / median(up.seconds);
        log(
            `checkpoint writing: ${(share * 100).toFixed(0)} % of the seed up's median wall time (${median(up.seconds).toFixed(2)} s with, ${median(skipped.seconds).toFixed(2)} s without)`,
        );
    }
    if (result.state !== undefined) {
        const s = result.state;
        log(
            `state: checkpoint file ${mb(s.checkpointBytes)} (${(s.checkpointBytes / users).toFixed(0)} bytes per user), pulumi stack export ${mb(s.exportBytes)} for ${s.resources} resources, ${s.bytesPerResource.toFixed(0)} bytes per resource; __provider bytes by kind: ${Object.entries(
                s.providerBytesByKind,
            )
                .map(([k, n]) => `${k} ${n}`)
                .join(", ")}`,
        );
    }
    for (const [step, peaks] of Object.entries(result.peaks)) {
        log(`${step}:`);
        printMemory(peaks, (line) => log(`  ${line}`));
    }
}

export async function runCliBench(settings: CliBenchSettings = cliBenchSettings(), log: Log = stdoutLog): Promise<SizeResult[]> {
    const version = spawnSync(path.join(await ensurePulumiCli(), "pulumi"), ["version"], { encoding: "utf8" }).stdout.trim();
    log("");
    log(
        `Real pulumi CLI ${version}, file:// backend, --parallel ${CLI_DEFAULT_PARALLEL} (its default); emulator with ${settings.latencyMs} ms per request; ` +
            `${os.availableParallelism()} CPUs, Node ${process.version}; ${settings.runs} run(s) per size; wall times as min / median / max`,
    );
    logProgress(log);
    const results: SizeResult[] = [];
    for (const users of settings.users) {
        const result = await benchSize(users, settings, log);
        printSize(users, result, log, settings);
        results.push(result);
    }
    log(
        "(refresh and preview --refresh request counts depend on timing: reads that arrive while a read-ahead page is in flight wait for it, others start their own)",
    );
    return results;
}
