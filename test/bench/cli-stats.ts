import type { PeakMemory } from "./process-memory";
import { shortRoute, total, type Log } from "./figures";

/** One scenario measured over several runs: each run's wall time, requests and (where there is one) ratio to the anchor. */
export interface Series {
    scenario: string;
    users: number;
    resources: number;
    seconds: number[];
    requests: number[];
    /** Wall time over the anchor's wall time of the same run. */
    ratios: number[];
    /** Requests by route in the last run. */
    counts: Record<string, number>;
    note?: string;
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** `min / median / max`, or the one value when there is one run. */
function spread(values: number[], digits: number): string {
    if (values.length === 0) return "-";
    if (values.length === 1) return (values[0] ?? 0).toFixed(digits);
    return [Math.min(...values), median(values), Math.max(...values)].map((v) => v.toFixed(digits)).join(" / ");
}

/** Where each measurement is also printed as it is made, so a long run that is stopped leaves its figures. */
let progress: Log | undefined;
export function logProgress(log: Log | undefined): void {
    progress = log;
}

/** Appends one run's measurement to the scenario's series, creating it on first use. */
export function record(
    all: Series[],
    what: { scenario: string; users: number; resources: number },
    run: { seconds: number; counts: Record<string, number>; anchorSeconds?: number },
): Series {
    let series = all.find((s) => s.scenario === what.scenario && s.users === what.users);
    if (series === undefined) {
        series = { ...what, seconds: [], requests: [], ratios: [], counts: {} };
        all.push(series);
    }
    series.seconds.push(run.seconds);
    series.requests.push(total(run.counts));
    if (run.anchorSeconds !== undefined && run.anchorSeconds > 0) series.ratios.push(run.seconds / run.anchorSeconds);
    series.counts = run.counts;
    progress?.(`    ${what.scenario}: ${run.seconds.toFixed(2)} s, ${total(run.counts)} requests`);
    return series;
}

function pad(cells: string[], widths: number[]): string {
    return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
}

function range(values: number[]): string {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return lo === hi ? String(lo) : `${lo}-${hi}`;
}

/** The table of one size: wall time and ratio as min / median / max, requests as their range over the runs. */
export function printSeries(title: string, series: Series[], log: Log): void {
    const header = ["scenario", "resources", "wall s (min / median / max)", "x anchor (min / median / max)", "requests", "req/resource"];
    const rows = series.map((s) => [
        s.scenario,
        String(s.resources),
        spread(s.seconds, 2),
        s.ratios.length > 0 ? spread(s.ratios, 2) : "",
        range(s.requests),
        (median(s.requests) / s.resources).toFixed(3),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    log("");
    log(title);
    log(pad(header, widths));
    log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of rows) log(pad(row, widths));
    log("requests by kind (last run):");
    for (const s of series) {
        const kinds = Object.entries(s.counts)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([route, n]) => `${shortRoute(route)} ${n}`);
        log(`  ${s.scenario.padEnd(widths[0] ?? 0)}  ${kinds.length > 0 ? kinds.join(", ") : "none"}`);
    }
    for (const s of series) if (s.note !== undefined) log(`  note: ${s.scenario}: ${s.note}`);
}

export function mb(bytes: number): string {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function printMemory(peaks: PeakMemory, log: Log): void {
    log(
        `peak resident memory: ${Object.entries(peaks)
            .map(([role, bytes]) => `${role} ${mb(bytes)}`)
            .join(", ")}`,
    );
}
