import { Readable } from "node:stream";
import { startEmulator, type Emulator } from "../emulator";
import { runCli } from "../../cli/main";
import { benchSettings, measure, printFigures, stdoutLog, total, type BenchSettings, type Figure, type Log } from "./figures";
import { KINDS_PER_USER, benchStack } from "./stack";

/**
 * `appwrite-users drift STATE --format json` in this process on an exported state of `users` users. The command
 * lists the stack's users in batches, so it should cost about one request per hundred users whatever the number
 * of resources. When the command fails, the figure says why instead of counting a broken run.
 */
export async function runDrift(emu: Emulator, stateFile: string, users: number, resources: number): Promise<Figure> {
    let stdout = "";
    let stderr = "";
    const { figure, value: code } = await measure(emu, { scenario: "drift command", users, resources }, () =>
        runCli(["drift", stateFile, "--format", "json"], {
            stdin: Object.assign(Readable.from([]), { isTTY: true }),
            stdout: { write: (t: string) => (stdout += t) },
            stderr: { write: (t: string) => (stderr += t) },
            env: { APPWRITE_ENDPOINT: emu.endpoint, APPWRITE_PROJECT_ID: emu.projectId, APPWRITE_API_KEY: emu.apiKey },
            cwd: process.cwd(),
        }),
    );
    if (code === 1) {
        return { ...figure, note: `skipped: the drift command failed: ${stderr.trim().split("\n")[0] ?? ""}` };
    }
    const report = JSON.parse(stdout) as { checked?: number; drift?: unknown[] };
    const lists = Math.ceil(users / 100);
    const notes = [`checked ${report.checked ?? "?"} resources, ${report.drift?.length ?? "?"} drifted`];
    if (total(figure.counts) > lists) notes.push(`expected ${lists} list requests (100 users each), saw ${total(figure.counts)}`);
    return { ...figure, note: notes.join("; ") };
}

/** The drift command alone: an up through the engine harness (not measured), then the command on its state. */
export async function runDriftBench(settings: BenchSettings = benchSettings(), log: Log = stdoutLog): Promise<Figure[]> {
    const emu = await startEmulator();
    const { stack, stateFile, dispose } = benchStack(emu, settings.users);
    try {
        await stack.up();
        emu.setLatency(settings.latencyMs);
        const figures = [await runDrift(emu, stateFile, settings.users, settings.users * KINDS_PER_USER)];
        printFigures("Drift command on an exported state", settings, figures, log);
        return figures;
    } finally {
        dispose();
        await emu.stop();
    }
}
