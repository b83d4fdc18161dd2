import { Client, Query, Users } from "node-appwrite";
import { insertUsers } from "./fixtures";
import { startEmulator } from "./index";

export interface BenchFigure {
    name: string;
    requests: number;
    seconds: number;
    perSecond: number;
}

/** Runs `total` calls with `concurrency` in flight and reports the rate. */
async function measure(name: string, total: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<BenchFigure> {
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
        Array.from({ length: concurrency }, async () => {
            while (next < total) await call(next++);
        }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { name, requests: total, seconds, perSecond: total / seconds };
}

/**
 * The emulator's throughput through node-appwrite over HTTP with 10,000 users: it must never be what limits
 * a provider benchmark.
 */
export async function runEmulatorBench(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<BenchFigure[]> {
    const emu = await startEmulator();
    try {
        insertUsers(emu.store, 10_000, "bench", (i) => ({ labels: i % 2 ? ["odd"] : ["even"] }));
        const users = new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
        const id = (i: number) => `bench${String((i * 7919) % 10_000).padStart(5, "0")}`;
        await measure("warm-up", 200, 8, (i) => users.get({ userId: id(i) }));
        const figures = [
            await measure("get user (10k users)", 3000, 8, (i) => users.get({ userId: id(i) })),
            await measure("list first page of 25 (10k users, total)", 500, 8, () => users.list()),
            await measure("list page after a cursor (10k users)", 500, 8, (i) =>
                users.list({ queries: [Query.limit(25), Query.cursorAfter(id(i))], total: false }),
            ),
            await measure("list filtered by label (10k users)", 300, 8, () => users.list({ queries: [Query.contains("labels", "odd")] })),
            await measure("update name", 2000, 8, (i) => users.updateName({ userId: id(i), name: `n${i}` })),
        ];
        log(`Appwrite emulator, node-appwrite over HTTP on 127.0.0.1, concurrency 8 (requests/s):`);
        for (const f of figures)
            log(
                `  ${f.name.padEnd(44)} ${f.perSecond.toFixed(0).padStart(7)} req/s  (${f.requests} requests in ${f.seconds.toFixed(2)} s)`,
            );
        return figures;
    } finally {
        await emu.stop();
    }
}

if (require.main === module) {
    runEmulatorBench().catch((error: unknown) => {
        process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
        process.exit(1);
    });
}
