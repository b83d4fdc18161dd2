/**
 * What the seed would cost without Pulumi: a plain node-appwrite script that sends the requests a seed `up`
 * sends (create each user, then its labels, prefs, target and status) and, for refresh, one GET per
 * resource, with as many requests in flight as the CLI runs steps at once (`--parallel`, 8 by default).
 * The benchmarks time the CLI against it in the same run.
 */
import { Client, MessagingProviderType, Users } from "node-appwrite";
import type { Emulator } from "../emulator";
import { Semaphore } from "../support/semaphore";
import type { BenchSeedUser } from "./seed";

export interface AnchorResult {
    seconds: number;
    counts: Record<string, number>;
}

function usersOf(emu: Emulator): Users {
    return new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
}

async function timed(emu: Emulator, run: () => Promise<unknown>): Promise<AnchorResult> {
    emu.resetRequestCounts();
    const started = process.hrtime.bigint();
    await run();
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, counts: emu.requestCounts() };
}

/** Creates every seed user with its four companions; a user's companions wait for the user, as in the engine. */
export function anchorSeed(
    emu: Emulator,
    seed: BenchSeedUser[],
    password: (userId: string) => string,
    inFlight: number,
): Promise<AnchorResult> {
    const users = usersOf(emu);
    const pool = new Semaphore(inFlight);
    return timed(emu, () =>
        Promise.all(
            seed.map(async (u) => {
                await pool.run(() => users.create({ userId: u.id, email: u.email, password: password(u.id), name: u.name }));
                await Promise.all([
                    pool.run(() => users.updateLabels({ userId: u.id, labels: u.labels })),
                    pool.run(() => users.updatePrefs({ userId: u.id, prefs: u.prefs })),
                    ...u.targets.map((t) =>
                        pool.run(() =>
                            users.createTarget({
                                userId: u.id,
                                targetId: t.targetId,
                                providerType: t.providerType as MessagingProviderType,
                                identifier: t.identifier,
                            }),
                        ),
                    ),
                    pool.run(() => users.updateStatus({ userId: u.id, status: !u.blocked })),
                ]);
            }),
        ),
    );
}

/**
 * One GET per resource of the seed, the way most providers refresh: for five resources per user the user four
 * times and its target once; for one UserBundle per user (`compact`), the user once.
 */
export function anchorRead(emu: Emulator, seed: BenchSeedUser[], inFlight: number, compact = false): Promise<AnchorResult> {
    const users = usersOf(emu);
    const pool = new Semaphore(inFlight);
    return timed(emu, () =>
        Promise.all(
            seed.flatMap((u) =>
                compact
                    ? [pool.run(() => users.get({ userId: u.id }))]
                    : [
                          ...Array.from({ length: 4 }, () => pool.run(() => users.get({ userId: u.id }))),
                          ...u.targets.map((t) => pool.run(() => users.getTarget({ userId: u.id, targetId: t.targetId }))),
                      ],
            ),
        ),
    );
}
