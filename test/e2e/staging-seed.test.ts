import { scryptSync } from "node:crypto";
import * as path from "node:path";
import { exitCodeOf } from "../../scripts/pulumi-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededUserPassword } from "../../sdk/seed-password";
import { seedSetOf } from "../../sdk/seed-sets";
import { CliProject, EXAMPLES } from "./support";

/**
 * examples/staging-seed (50 users of users.yaml) as shipped, in SeededUsers' default UserSets, under the real
 * `pulumi` CLI against the emulator. (The five-resource layout at scale: seed-scale.test.ts.)
 */

const SECRET = "staging-seed-secret-for-e2e-0123456789";
const SEEDED = 50;
const SEEDED_IDS = Array.from({ length: SEEDED }, (_, i) => `staging-user-${String(i + 1).padStart(2, "0")}`);
/** The UserSets the 50 users fall into. */
const SETS = new Set(SEEDED_IDS.map(seedSetOf)).size;
const TARGETS = 7;
let project: CliProject;

beforeAll(async () => {
    project = await CliProject.create({
        source: path.join(EXAMPLES, "staging-seed"),
        stackName: "staging",
        config: { seedPasswordSecret: { value: SECRET, secret: true } },
    });
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

/** The emulator keeps `$argon2id$…$<salt>$<digest>` with a scrypt digest; a login compares the same way. */
function passwordMatches(userId: string, password: string): boolean {
    const stored = project.emu.store.user(userId)?.password ?? "";
    const [salt, digest] = stored.split("$").slice(-2);
    if (salt === undefined || digest === undefined) return false;
    const computed = scryptSync(password, Buffer.from(salt, "base64"), 32, { N: 1024, r: 8, p: 1 });
    return computed.toString("base64").replace(/=+$/, "") === digest;
}

describe("examples/staging-seed under the real pulumi CLI", { timeout: 600_000 }, () => {
    it("up seeds the 50 users of users.yaml with their labels, prefs, status and targets", async () => {
        const { result, log } = await project.up();
        expect(log.resources().filter((s) => s.op === "create")).toHaveLength(SETS);
        expect(result.summary.resourceChanges).toEqual({ create: SETS + 2 });
        expect(project.emu.store.users.size).toBe(SEEDED);
        const user = project.emu.store.user("staging-user-14");
        expect(user).toMatchObject({ email: "hedy.lamarr@example.org", name: "Hedy Lamarr", labels: ["staging", "support", "mobile"] });
        expect(user?.prefs).toEqual({ locale: "es", theme: "light", onboardingDone: true });
        expect(project.emu.store.user("staging-user-13")?.status).toBe(false);
        expect([...project.emu.store.targets.values()].filter((t) => t.providerType === "push")).toHaveLength(TARGETS);
        expect(result.outputs["seededUserIds"]?.value).toEqual(SEEDED_IDS);
    });

    it("gives each seeded user the password seededUserPassword derives, so CI can log in", () => {
        expect(passwordMatches("staging-user-01", seededUserPassword(SECRET, "staging-user-01"))).toBe(true);
        expect(passwordMatches("staging-user-50", seededUserPassword(SECRET, "staging-user-50"))).toBe(true);
        expect(passwordMatches("staging-user-01", seededUserPassword(SECRET, "staging-user-02"))).toBe(false);
    });

    it("the derived passwords and the seed secret never appear in the exported state", async () => {
        const exported = project.exportText();
        expect(exported).not.toContain(SECRET);
        expect(exported).not.toContain(seededUserPassword(SECRET, "staging-user-01"));
        expect(exported).not.toContain("Sd1!");
    });

    it("a second up changes nothing and sends no request to Appwrite", async () => {
        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ same: SETS + 2 });
        expect(project.emu.totalRequests()).toBe(0);
    });

    it("destroy removes every seeded user and target", async () => {
        await project.destroy();
        expect(project.emu.store.users.size).toBe(0);
        expect(project.emu.store.targets.size).toBe(0);
    });

    it("refuses to seed a stack named prod and writes nothing", async () => {
        const prod = await CliProject.create({
            source: path.join(EXAMPLES, "staging-seed"),
            stackName: "prod",
            config: { seedPasswordSecret: { value: SECRET, secret: true } },
        });
        try {
            const failure = await prod.up().then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(exitCodeOf(failure)).toBeGreaterThan(0);
            expect(String(failure)).toContain('SeededUsers refuses to seed stack "prod": its name says production');
            expect(prod.emu.writeRequests()).toBe(0);
        } finally {
            await prod.dispose();
        }
    });
});
