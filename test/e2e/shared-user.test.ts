import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StepLog, exitCodeOf } from "../../scripts/pulumi-stack";
import { CliProject, REPO_ROOT, changes } from "./support";
import { runAppwriteUsers } from "./appwrite-users";

/**
 * One user shared by two non-exclusive UserLabels, two non-exclusive UserPrefs and the application, under
 * the real `pulumi` CLI (test/provider/programs/shared-user) against an emulator with latency, so that the
 * engine's parallel steps overlap. The tests build on each other in order.
 */

const PROGRAM = path.join(REPO_ROOT, "test", "provider", "programs", "shared-user");
const SHARED = ["infra-labels", "team-labels", "infra-prefs", "team-prefs"];

let project: CliProject;

beforeAll(async () => {
    project = await CliProject.create({ source: PROGRAM, emulator: { latencyMs: 20 } });
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

/** The engine's events for our shared resources, in order: `start NAME` when a step begins, `end NAME` when it is done. */
function stepOrder(): { events: string[]; onEvent: (event: EngineEvent) => void } {
    const events: string[] = [];
    const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
    return {
        events,
        onEvent: (event) => {
            const started = event.resourcePreEvent?.metadata.urn;
            const ended = event.resOutputsEvent?.metadata.urn;
            if (started !== undefined && SHARED.includes(nameOf(started))) events.push(`start ${nameOf(started)}`);
            if (ended !== undefined && SHARED.includes(nameOf(ended))) events.push(`end ${nameOf(ended)}`);
        },
    };
}

const live = () => project.users.get({ userId: "support" });

describe("a user shared with the application, under the real pulumi CLI", { timeout: 300_000 }, () => {
    it("one up creates two label resources and two prefs resources at the same time, and all four converge", async () => {
        const order = stepOrder();
        const log = new StepLog();
        await project.stack.up({
            onEvent: (event) => {
                log.onEvent(event);
                order.onEvent(event);
            },
        });
        // Both of a kind had started before either had finished: the engine ran them in parallel.
        for (const [a, b] of [
            ["infra-labels", "team-labels"],
            ["infra-prefs", "team-prefs"],
        ] as const) {
            const firstEnd = Math.min(order.events.indexOf(`end ${a}`), order.events.indexOf(`end ${b}`));
            expect(order.events.indexOf(`start ${a}`)).toBeLessThan(firstEnd);
            expect(order.events.indexOf(`start ${b}`)).toBeLessThan(firstEnd);
        }
        expect(changes(log).filter((c) => c.includes("-labels") || c.includes("-prefs"))).toEqual([
            "create UserLabels infra-labels",
            "create UserLabels team-labels",
            "create UserPrefs infra-prefs",
            "create UserPrefs team-prefs",
        ]);
        const support = await live();
        expect(new Set(support.labels)).toEqual(new Set(["service", "ops", "oncall"]));
        expect(support.prefs).toEqual({ locale: "en", pager: "+14155550100", rota: { week: 2 } });
        expect(support.impersonator).toBe(true);
        expect(project.emu.requestCounts()["PUT /v1/users/:userId/labels"]).toBe(2);
        expect(project.emu.requestCounts()["PATCH /v1/users/:userId/prefs"]).toBe(2);
    });

    it("labels and prefs the application changes are not drift: preview --refresh shows nothing and writes nothing", async () => {
        const before = await live();
        await project.users.updateLabels({ userId: "support", labels: [...before.labels, "beta"] });
        await project.users.updatePrefs({ userId: "support", prefs: { ...before.prefs, theme: "dark", locale2: "fr" } });
        project.emu.resetRequestCounts();
        const { log } = await project.preview({ refresh: true });
        expect(changes(log)).toEqual([]);
        expect(log.resources().filter((s) => s.diffs.length > 0)).toEqual([]);
        expect(project.emu.writeRequests()).toBe(0);
        // The CLI agrees: --expect-no-changes does not fail.
        await project.preview({ refresh: true, expectNoChanges: true });
    });

    it("the drift command with --stack reports no drift for the labels and prefs the application changed", async () => {
        const run = await runAppwriteUsers(
            ["drift", "--stack", project.stack.name, "--cwd", project.workDir, "--format", "json"],
            project.cliEnv(),
        );
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expect((JSON.parse(run.stdout) as { drift: unknown[] }).drift).toEqual([]);
    });

    it("a declared label and a declared key changed elsewhere show on exactly that resource, and up --refresh repairs only them", async () => {
        const before = await live();
        await project.users.updateLabels({ userId: "support", labels: before.labels.filter((label) => label !== "ops") });
        await project.users.updatePrefs({ userId: "support", prefs: { ...before.prefs, locale: "de" } });
        const { log } = await project.preview({ refresh: true });
        expect(changes(log)).toEqual(["update UserLabels infra-labels [labels]", "update UserPrefs infra-prefs [prefs]"]);

        await project.up({ refresh: true });
        const repaired = await live();
        expect(new Set(repaired.labels)).toEqual(new Set(["service", "ops", "oncall", "beta"]));
        expect(repaired.prefs).toEqual({ locale: "en", pager: "+14155550100", rota: { week: 2 }, theme: "dark", locale2: "fr" });
        expect(changes((await project.preview({ refresh: true })).log)).toEqual([]);
    });

    it("an exclusive and a non-exclusive UserLabels for the same user are refused at preview, before any write", async () => {
        await project.stack.setConfig("mixed", { value: "true" });
        project.emu.resetRequestCounts();
        const failure = await project
            .preview()
            .then(
                () => undefined,
                (e: unknown) => e,
            )
            .finally(() => project.stack.setConfig("mixed", { value: "false" }));
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        // Whichever of the two the host checks second is refused, in the CLI's words for a check failure.
        expect(String(failure)).toMatch(
            /UserLabels resource '(infra|team)-labels': property exclusive value \{(true|false)\} has a problem: is (true|false), but another UserLabels in this program for user "support" has exclusive: (true|false)/,
        );
        expect(project.emu.writeRequests()).toBe(0);
    });

    it("blocking with endSessions, when deleting the sessions fails, records the block; the next up deletes them", async () => {
        await project.users.createSession({ userId: "support" });
        await project.stack.setConfig("blocked", { value: "true" });
        project.emu.injectFault({ route: "DELETE /v1/users/:userId/sessions", count: 4, kind: "500" });
        const failure = await project.up().then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        expect(String(failure)).toMatch(/UserStatus update failed for user "support" while deleting the user's sessions/);
        const recorded = project
            .exportDeployment()
            .resources.find((r) => r.type === "pulumi-nodejs:dynamic/appwrite:UserStatus" && r.urn.endsWith("::support"));
        expect(recorded?.outputs).toMatchObject({ blocked: true, sessionsEnded: false });
        // The engine records the failed update's outputs but keeps the inputs it last applied, so the next up
        // shows blocked as the change; the provider only ends the sessions, without blocking again.
        expect(recorded?.inputs?.["blocked"]).toBe(false);
        expect((await live()).status).toBe(false);
        expect((await project.users.listSessions({ userId: "support" })).total).toBe(1);

        project.emu.resetRequestCounts();
        const { log } = await project.up();
        expect(changes(log)).toEqual(["update UserStatus support [blocked]"]);
        expect(project.emu.requestCounts()["DELETE /v1/users/:userId/sessions"]).toBe(1);
        expect(project.emu.requestCounts()["PATCH /v1/users/:userId/status"]).toBeUndefined();
        expect((await project.users.listSessions({ userId: "support" })).total).toBe(0);
    });
});
