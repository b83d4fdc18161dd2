import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { startEmulator, type Emulator } from "../emulator";
import { configure, providers } from "../../provider";
import type { ResourceKind } from "../../provider/kinds";
import { benchSettings, measure, printFigures, stdoutLog, type BenchSettings, type Figure, type Log } from "./figures";
import { KINDS_PER_USER } from "./stack";
import { Semaphore } from "../support/semaphore";

type Props = Record<string, unknown>;

const DEPENDENTS: Exclude<ResourceKind, "User" | "UserBundle" | "UserSet">[] = ["UserLabels", "UserPrefs", "UserTarget", "UserStatus"];

interface Resource {
    kind: ResourceKind;
    userId: string;
    inputs: Props;
    id?: string;
    outs?: Props;
}

function provider(kind: ResourceKind): Required<Pick<ResourceProvider, "check" | "diff" | "create" | "read" | "delete">> {
    const p = providers[kind];
    if (!p.check || !p.diff || !p.create || !p.read || !p.delete) throw new Error(`the ${kind} provider lacks a method`);
    return { check: p.check, diff: p.diff, create: p.create, read: p.read, delete: p.delete };
}

/** The same five resources per user as test/bench/program. */
function declare(users: number): Resource[][] {
    return Array.from({ length: users }, (_, n) => {
        const i = n + 1;
        const userId = `pbench-${String(i).padStart(5, "0")}`;
        const inputs: Record<Exclude<ResourceKind, "UserBundle" | "UserSet">, Props> = {
            User: { userId, email: `${userId}@example.com`, name: `Bench user ${i}`, password: "bench-password-0123456789" },
            UserLabels: { userId, labels: ["bench", i % 2 === 0 ? "even" : "odd"] },
            UserPrefs: { userId, prefs: { locale: "en", theme: i % 3 === 0 ? "dark" : "light" } },
            UserTarget: { userId, targetId: `${userId}-alerts`, providerType: "email", identifier: `${userId}.alerts@example.com` },
            UserStatus: { userId, blocked: false },
        };
        return (["User", ...DEPENDENTS] as const).map((kind) => ({ kind, userId, inputs: inputs[kind] }));
    });
}

async function create(pool: Semaphore, r: Resource): Promise<void> {
    const p = provider(r.kind);
    const checked = await p.check({}, r.inputs);
    if (checked.failures?.length) throw new Error(`${r.kind} ${r.userId}: ${JSON.stringify(checked.failures)}`);
    r.inputs = checked.inputs ?? r.inputs;
    const made = await pool.run(() => p.create(r.inputs));
    r.id = made.id;
    r.outs = made.outs ?? {};
}

async function read(pool: Semaphore, r: Resource): Promise<void> {
    const got = await pool.run(() => provider(r.kind).read(r.id ?? "", r.outs));
    if (got.id !== r.id) throw new Error(`${r.kind} ${r.id ?? ""} read back as gone`);
}

/** Check and diff of every resource against its own outputs, as a no-change up asks: CPU only, no request. */
async function checkAndDiff(all: Resource[]): Promise<void> {
    for (const r of all) {
        const p = provider(r.kind);
        const checked = await p.check(r.outs ?? {}, r.inputs);
        const diff = await p.diff(r.id ?? "", r.outs ?? {}, checked.inputs ?? r.inputs);
        if (diff.changes === true) throw new Error(`${r.kind} ${r.id ?? ""} shows a change against its own outputs`);
    }
}

/**
 * The provider methods called directly, no engine in between, with at most `concurrency` calls in flight:
 * what the harness figures would be without program and host overhead. Reads run twice: in the order a
 * refresh of the state uses (every User first, then the resources that depend on them) and grouped by user.
 */
export async function runProviderBench(settings: BenchSettings = benchSettings(), log: Log = stdoutLog): Promise<Figure[]> {
    const concurrency = settings.concurrency;
    const emu: Emulator = await startEmulator({ latencyMs: settings.latencyMs });
    configure({
        config: {
            get: (key: string) =>
                ({ "appwrite:endpoint": emu.endpoint, "appwrite:projectId": emu.projectId, "appwrite:apiKey": emu.apiKey })[key],
        },
    });
    const pool = new Semaphore(concurrency);
    const byUser = declare(settings.users);
    const all = byUser.flat();
    const what = (scenario: string) => ({ scenario, users: settings.users, resources: all.length });
    const usersFirst = [...all.filter((r) => r.kind === "User"), ...all.filter((r) => r.kind !== "User")];
    try {
        const figures = [
            (
                await measure(emu, what("check + create"), () =>
                    Promise.all(
                        byUser.map(async ([user, ...dependents]) => {
                            if (user === undefined) return;
                            await create(pool, user);
                            await Promise.all(dependents.map((r) => create(pool, r)));
                        }),
                    ),
                )
            ).figure,
            (await measure(emu, what("check + diff, no change"), () => checkAndDiff(all))).figure,
            (await measure(emu, what("read, Users first"), () => Promise.all(usersFirst.map((r) => read(pool, r))))).figure,
            (await measure(emu, what("read, grouped by user"), () => Promise.all(all.map((r) => read(pool, r))))).figure,
            (
                await measure(emu, what("delete"), async () => {
                    await Promise.all(
                        all.filter((r) => r.kind !== "User").map((r) => pool.run(() => provider(r.kind).delete(r.id ?? "", r.outs ?? {}))),
                    );
                    await Promise.all(
                        all.filter((r) => r.kind === "User").map((r) => pool.run(() => provider(r.kind).delete(r.id ?? "", r.outs ?? {}))),
                    );
                })
            ).figure,
        ];
        printFigures(
            `Provider methods called directly, ${concurrency} calls in flight, ${KINDS_PER_USER} resources per user`,
            settings,
            figures,
            log,
        );
        return figures;
    } finally {
        await emu.stop();
    }
}
