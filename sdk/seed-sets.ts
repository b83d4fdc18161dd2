import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { SeedUser } from "./seed-file";
import { UserSet, type UserSetMemberArgs } from "./user-set";

/** The most UserSets a seed is spread over, whatever its size. */
export const SEED_SETS = 64;

/**
 * The set a seeded user belongs to: a hash of its ID alone, so adding or removing users in the file changes
 * only their own sets, and a user never moves from one set to another.
 */
export function seedSetOf(userId: string): number {
    return createHash("sha256").update(userId).digest().readUInt32BE(0) % SEED_SETS;
}

/** The resource name of a seed's set: `<name>-set-07`. */
export const seedSetName = (name: string, set: number): string => `${name}-set-${String(set).padStart(2, "0")}`;

/**
 * One UserSet per set that holds a user of the seed, each with its users in file order. A set's members are one
 * Output, computed from the password secret's value: `member` gets it as a plain string, and UserSet makes each
 * member's password secret again where it is stored (one Output per member would cost the program seconds).
 */
export function declareSets(
    parent: pulumi.Resource,
    name: string,
    seed: readonly SeedUser[],
    passwordSecret: pulumi.Output<string>,
    member: (entry: SeedUser, passwordSecret: string) => UserSetMemberArgs,
    project: pulumi.Input<string> | undefined,
): Record<string, UserSet> {
    const bySet = new Map<number, SeedUser[]>();
    for (const entry of seed) {
        const set = seedSetOf(entry.id);
        const entries = bySet.get(set);
        if (entries === undefined) bySet.set(set, [entry]);
        else entries.push(entry);
    }
    const secretValue = pulumi.unsecret(passwordSecret);
    const sets: Record<string, UserSet> = {};
    for (const [set, entries] of [...bySet].sort(([a], [b]) => a - b)) {
        const setName = seedSetName(name, set);
        const users = secretValue.apply((secret) => entries.map((entry) => member(entry, secret)));
        sets[setName] = new UserSet(setName, { ...(project !== undefined ? { project } : {}), users }, { parent });
    }
    return sets;
}
