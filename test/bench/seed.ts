import * as fs from "node:fs";
import * as path from "node:path";

/** One user of the generated seed file: the fields SeededUsers reads, one email target each. */
export interface BenchSeedUser {
    id: string;
    email: string;
    name: string;
    labels: string[];
    prefs: Record<string, string>;
    targets: { targetId: string; providerType: "email"; identifier: string }[];
    blocked: boolean;
}

/** Resources SeededUsers declares per generated user: User, UserLabels, UserPrefs, one UserTarget, UserStatus. */
export const RESOURCES_PER_SEED_USER = 5;

/** The requests a seed of `users` generated users sends, whatever its layout: create, labels, prefs, target, status. */
export function seedRequests(users: number): Record<string, number> {
    return {
        "POST /v1/users": users,
        "PUT /v1/users/:userId/labels": users,
        "PATCH /v1/users/:userId/prefs": users,
        "POST /v1/users/:userId/targets": users,
        "PATCH /v1/users/:userId/status": users,
    };
}

/** `users` users with contiguous IDs `seed-00001`..., as a seed file gives them. */
export function benchSeed(users: number): BenchSeedUser[] {
    return Array.from({ length: users }, (_, n) => {
        const i = n + 1;
        const id = `seed-${String(i).padStart(5, "0")}`;
        return {
            id,
            email: `${id}@example.com`,
            name: `Seeded user ${i}`,
            labels: ["bench", i % 2 === 0 ? "even" : "odd"],
            prefs: { locale: "en", theme: i % 3 === 0 ? "dark" : "light" },
            targets: [{ targetId: `${id}-alerts`, providerType: "email", identifier: `${id}.alerts@example.com` }],
            blocked: false,
        };
    });
}

/** Writes the seed as the program's `seed.json`. */
export function writeSeedFile(projectDir: string, seed: BenchSeedUser[]): void {
    fs.writeFileSync(path.join(projectDir, "seed.json"), JSON.stringify({ users: seed }));
}
