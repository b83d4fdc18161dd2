import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { mockStack, type Registration } from "../support/pulumi-mocks";
import { afterAll, describe, expect, it } from "vitest";
import { SEED_SETS, SeededUsers, seedSetName, seedSetOf, seededUserPassword } from "../../sdk/seeded-users";
import { UserSet } from "../../sdk/user-set";

const SET = "pulumi-nodejs:dynamic/appwrite:UserSet";
const declared: Registration[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seeded-sets-"));
const secret = "staging-seed-secret-0123456789";

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const useStack = (stack: string) => mockStack(stack, declared);

function seedFile(name: string, users: number, from = 1): string {
    const file = path.join(dir, name);
    const entries = Array.from({ length: users }, (_, i) => ({
        id: `qa-${String(from + i).padStart(4, "0")}`,
        email: `qa-${from + i}@example.org`,
        labels: ["qa"],
    }));
    fs.writeFileSync(file, JSON.stringify({ users: entries }));
    return file;
}

async function declaredSets(file: string): Promise<Map<string, Record<string, unknown>>> {
    useStack("staging");
    const seeded = new SeededUsers("seed", { file, passwordSecret: secret });
    await new Promise((resolve) => pulumi.all(Object.values(seeded.sets).map((s) => s.urn)).apply(resolve));
    // The mocks lift a nested secret to the whole value (deserializeProperty); the engine gets it nested
    // (test/e2e/user-set.test.ts reads the backend's file).
    const unwrapped = (users: unknown) => ((users as Record<string, unknown>)["value"] ?? users) as Record<string, unknown>;
    return new Map(declared.filter((d) => d.type === SET).map((d) => [d.name, unwrapped(d.inputs["users"])]));
}

describe("SeededUsers' default layout", () => {
    it("declares the users in at most 64 UserSets, each user in the set its ID hashes to, with its derived password", async () => {
        const sets = await declaredSets(seedFile("many.json", 500));
        expect(sets.size).toBeLessThanOrEqual(SEED_SETS);
        expect(sets.size).toBeGreaterThan(32);
        expect(declared.filter((d) => d.type.startsWith("pulumi-nodejs:dynamic/appwrite:") && d.type !== SET)).toEqual([]);
        expect([...sets.values()].reduce((n, users) => n + Object.keys(users).length, 0)).toBe(500);
        const members = sets.get(seedSetName("seed", seedSetOf("qa-0042")));
        expect(members?.["qa-0042"]).toEqual({
            email: "qa-42@example.org",
            labels: ["qa"],
            prefs: {},
            blocked: false,
            targets: [],
            password: seededUserPassword(secret, "qa-0042"),
        });
    });

    it("changes only the sets of users added to the file: no user moves between sets", async () => {
        const before = await declaredSets(seedFile("before.json", 200));
        const after = await declaredSets(seedFile("after.json", 203));
        const added = ["qa-0201", "qa-0202", "qa-0203"].map((id) => seedSetName("seed", seedSetOf(id)));
        for (const [name, users] of after) {
            if (added.includes(name)) continue;
            expect(users, name).toEqual(before.get(name));
        }
    });
});

describe("UserSet", () => {
    it("refuses a user ID declared twice before anything is registered", () => {
        useStack("staging");
        expect(() => new UserSet("qa", { users: [{ userId: "a" }, { userId: "b" }, { userId: "a" }] })).toThrow(
            'UserSet "qa": the user ID "a" is declared twice',
        );
        expect(declared).toEqual([]);
    });
});
