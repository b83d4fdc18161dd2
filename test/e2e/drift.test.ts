import * as path from "node:path";
import type { Users } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitCodeOf } from "../../scripts/pulumi-stack";
import { runAppwriteUsers } from "./appwrite-users";
import { CliProject, EXAMPLES, changes } from "./support";

/**
 * Drift made directly in Appwrite with node-appwrite, seen through the real `pulumi` CLI: `preview --refresh`,
 * `--expect-no-changes`, a plain `up`, the drift command with `--stack`, and the repair by `up --refresh`.
 */

/** Changes the quickstart's users directly in Appwrite: one of each kind, and a deleted user. */
async function driftQuickstart(users: Users): Promise<void> {
    await users.updateName({ userId: "ci-bot", name: "Renamed bot" });
    await users.updatePassword({ userId: "ci-bot", password: "changed-outside-pulumi-1" });
    await users.updateLabels({ userId: "ci-bot", labels: ["service", "admin"] });
    await users.updateTarget({ userId: "ci-bot", targetId: "ci-bot-alerts", identifier: "someone-else@example.com" });
    await users.updateEmail({ userId: "test-alice", email: "alice.new@example.com" });
    await users.updatePrefs({ userId: "test-alice", prefs: { locale: "fr" } });
    await users.updateStatus({ userId: "test-alice", status: false });
    await users.delete({ userId: "test-bob" });
}

/** What `preview --refresh` shows after `driftQuickstart`, as `op Kind name [properties]`, sorted. */
const QUICKSTART_DRIFT = [
    "create User test-bob",
    "create UserLabels test-bob",
    "create UserPrefs test-bob",
    "create UserStatus test-bob",
    "create UserTarget test-bob-sms",
    "update User ci-bot [name,password]",
    // Appwrite resets emailVerification when the email changes, and test-alice declares it true.
    "update User test-alice [email,emailVerification]",
    "update UserLabels ci-bot [labels]",
    "update UserPrefs test-alice [prefs]",
    "update UserStatus test-alice [blocked]",
    "update UserTarget ci-bot-alerts [identifier]",
];

let project: CliProject;

beforeAll(async () => {
    project = await CliProject.create({
        source: path.join(EXAMPLES, "quickstart"),
        config: { ciBotPassword: { value: "e2e-drift-Password-77q", secret: true } },
    });
    await project.up();
    await driftQuickstart(project.users);
    project.emu.resetRequestCounts();
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

describe("drift made outside Pulumi, under the real pulumi CLI", { timeout: 300_000 }, () => {
    it("preview --refresh shows each change on exactly the right resource and field, and writes nothing", async () => {
        const { log } = await project.preview({ refresh: true });
        expect(changes(log)).toEqual(QUICKSTART_DRIFT);
        expect(project.emu.writeRequests()).toBe(0);
    });

    it("preview --refresh --expect-no-changes fails with the CLI's exit code 7", async () => {
        const failure = await project.preview({ refresh: true, expectNoChanges: true }).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        expect(exitCodeOf(failure)).toBe(7);
    });

    it("the drift command with --stack reads the stack through the CLI and reports the same drift", async () => {
        const run = await runAppwriteUsers(["drift", "--stack", "e2e", "--cwd", project.workDir, "--format", "json"], project.cliEnv());
        expect(run.stderr).toBe("");
        expect(run.code).toBe(2);
        const report = JSON.parse(run.stdout) as { drift: { name: string; kind: string; fields: { field: string }[]; gone?: boolean }[] };
        const found = report.drift
            .map(
                (d) =>
                    `${d.kind} ${d.name}${
                        d.fields.length
                            ? ` [${d.fields
                                  .map((f) => f.field)
                                  .sort()
                                  .join(",")}]`
                            : ""
                    }`,
            )
            .sort();
        expect(found).toEqual([
            "User ci-bot [name,password]",
            "User test-alice [email,emailVerification]",
            "User test-bob",
            "UserLabels ci-bot [labels]",
            "UserLabels test-bob",
            "UserPrefs test-alice [prefs]",
            "UserPrefs test-bob",
            "UserStatus test-alice [blocked]",
            "UserStatus test-bob",
            "UserTarget ci-bot-alerts [identifier]",
            "UserTarget test-bob-sms",
        ]);
    });

    it("a plain up does not refresh: it sees no change, sends no request, and the drift stays", async () => {
        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ same: 16 });
        expect(project.emu.requestCounts()).toEqual({});
        expect((await project.users.get({ userId: "ci-bot" })).name).toBe("Renamed bot");
    });

    it("up --refresh repairs everything, after which preview --refresh shows nothing", async () => {
        await project.up({ refresh: true });
        const after = await project.preview({ refresh: true });
        expect(changes(after.log)).toEqual([]);
        const ciBot = await project.users.get({ userId: "ci-bot" });
        expect([ciBot.name, ciBot.labels]).toEqual(["CI bot", ["service"]]);
        const alice = await project.users.get({ userId: "test-alice" });
        expect([alice.email, alice.status, alice.prefs]).toEqual(["alice@example.com", true, { locale: "en", theme: "dark" }]);
        expect((await project.users.get({ userId: "test-bob" })).labels).toEqual(["test", "beta"]);
        const targets = await project.users.listTargets({ userId: "ci-bot" });
        expect(targets.targets.find((t) => t.$id === "ci-bot-alerts")?.identifier).toBe("ci-alerts@example.com");
    });

    it("with options: refresh: always in Pulumi.yaml, a plain up refreshes first and repairs the drift", async () => {
        const always = await CliProject.create({
            source: path.join(EXAMPLES, "quickstart"),
            config: { ciBotPassword: { value: "e2e-always-Password-52z", secret: true } },
            projectOptions: { refresh: "always" },
        });
        try {
            await always.up();
            await always.users.updateLabels({ userId: "ci-bot", labels: ["service", "admin"] });
            const { log } = await always.up();
            expect(changes(log)).toEqual(["update UserLabels ci-bot [labels]"]);
            expect((await always.users.get({ userId: "ci-bot" })).labels).toEqual(["service"]);
        } finally {
            await always.dispose();
        }
    });
});
