import type { Emulator } from "../emulator";

/** One measured step of a benchmark: what Appwrite received during it and how long it took. */
export interface Figure {
    scenario: string;
    users: number;
    resources: number;
    /** Requests by route, e.g. `GET /v1/users/:userId`. */
    counts: Record<string, number>;
    seconds: number;
    /** A short remark printed after the table, e.g. why a step was skipped. */
    note?: string;
}

export type Log = (line: string) => void;

export const stdoutLog: Log = (line) => process.stdout.write(`${line}\n`);

/** The sizes and the modelled network: `npm run bench -- --users=500 --latency=10`, or BENCH_USERS, BENCH_LATENCY_MS, BENCH_CONCURRENCY. */
export interface BenchSettings {
    users: number;
    latencyMs: number;
    /** Provider calls in flight at once in the provider bench, like the engine's worker pool. */
    concurrency: number;
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
    return value;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
    return {
        users: Math.max(1, positiveInteger("BENCH_USERS", env["BENCH_USERS"]?.split(",")[0], 200)),
        latencyMs: positiveInteger("BENCH_LATENCY_MS", env["BENCH_LATENCY_MS"], 5),
        concurrency: Math.max(1, positiveInteger("BENCH_CONCURRENCY", env["BENCH_CONCURRENCY"], 16)),
    };
}

export function total(counts: Record<string, number>): number {
    return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Runs `step` with the emulator's counters reset, and returns what it sent and how long it took. */
export async function measure<T>(
    emu: Emulator,
    what: Omit<Figure, "counts" | "seconds">,
    step: () => Promise<T>,
): Promise<{ figure: Figure; value: T }> {
    emu.resetRequestCounts();
    const started = process.hrtime.bigint();
    const value = await step();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { figure: { ...what, counts: emu.requestCounts(), seconds }, value };
}

/** `PATCH /v1/users/:userId/prefs` -> `PATCH prefs`, `GET /v1/users/:userId` -> `GET user`, `GET /v1/users` -> `GET users (list)`. */
export function shortRoute(route: string): string {
    const [method, path = ""] = route.split(" ");
    if (path === "/v1/users") return `${method} users${method === "GET" ? " (list)" : ""}`;
    const rest = path.replace(/^\/v1\/users\/:userId/, "");
    if (rest === "") return `${method} user`;
    return `${method} ${rest.slice(1).replace("/:targetId", "/:id")}`;
}

function perUser(n: number, users: number): string {
    const value = n / users;
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function pad(cells: string[], widths: number[]): string {
    return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
}

/** Prints the figures as a table, then each step's requests per user by kind of request. */
export function printFigures(title: string, settings: BenchSettings, figures: Figure[], log: Log = stdoutLog): void {
    const header = ["scenario", "users", "resources", "requests", "req/user", "wall s", "req/s"];
    const rows = figures.map((f) => {
        const n = total(f.counts);
        return [
            f.scenario,
            String(f.users),
            String(f.resources),
            String(n),
            perUser(n, f.users),
            f.seconds.toFixed(2),
            f.seconds > 0 ? (n / f.seconds).toFixed(0) : "-",
        ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    log("");
    log(`${title} (emulator with ${settings.latencyMs} ms per request)`);
    log(pad(header, widths));
    log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of rows) log(pad(row, widths));
    log("requests per user by kind:");
    for (const f of figures) {
        const kinds = Object.entries(f.counts)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([route, n]) => `${shortRoute(route)} ${perUser(n, f.users)}`);
        log(`  ${f.scenario.padEnd(widths[0] ?? 0)}  ${kinds.length > 0 ? kinds.join(", ") : "none"}`);
    }
    for (const f of figures) if (f.note !== undefined) log(`  note: ${f.scenario}: ${f.note}`);
}
