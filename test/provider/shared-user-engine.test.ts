import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client, Users } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Emulator, startEmulator } from "../emulator";
import { OperationResult, Stack, failureOf } from "../engine";

/**
 * One user shared by two non-exclusive UserLabels, two non-exclusive UserPrefs and the application, run
 * through the engine harness (which creates independent resources in parallel, as the engine does) against
 * an emulator with latency, so the merges of one user overlap. The tests build on each other in order.
 */

const projectDir = path.join(__dirname, "programs", "shared-user");

let emu: Emulator;
let dir: string;
let stack: Stack;
let users: Users;

beforeAll(async () => {
    emu = await startEmulator({ latencyMs: 20 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-user-"));
    users = new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
    stack = new Stack({
        projectDir,
        passphrase: "shared-user",
        stateFile: path.join(dir, "state.json"),
        config: {
            "appwrite:endpoint": emu.endpoint,
            "appwrite:projectId": emu.projectId,
            "appwrite:apiKey": { value: emu.apiKey, secret: true },
        },
    });
});

afterAll(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

function changes(result: OperationResult): string[] {
    return result.steps
        .filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/appwrite:") && s.op !== "same" && s.op !== "refresh")
        .map((s) => `${s.op} ${s.type.slice(s.type.lastIndexOf(":") + 1)} ${s.name}${s.diffs.length ? ` [${s.diffs.join(",")}]` : ""}`)
        .sort();
}

function refreshed(result: OperationResult): string[] {
    return result.steps
        .filter((s) => s.op === "refresh" && s.type.startsWith("pulumi-nodejs:dynamic/appwrite:"))
        .map((s) => `${s.name} ${s.result ?? ""}${s.diffs.length ? ` [${s.diffs.join(",")}]` : ""}`)
        .sort();
}

describe("a user shared by non-exclusive resources, through the engine harness", { timeout: 180_000 }, () => {
    it("1. one up converges both label resources, both prefs resources and the impersonator flag", async () => {
        const up = await stack.up();
        expect(up.errors).toEqual([]);
        const support = await users.get({ userId: "support" });
        expect(new Set(support.labels)).toEqual(new Set(["service", "ops", "oncall"]));
        expect(support.prefs).toEqual({ locale: "en", pager: "+14155550100", rota: { week: 2 } });
        expect(support.impersonator).toBe(true);
        expect(emu.requestCounts()["PUT /v1/users/:userId/labels"]).toBe(2);
        expect(emu.requestCounts()["PATCH /v1/users/:userId/prefs"]).toBe(2);
    });

    it("2. labels and prefs the application changes are not drift: preview --refresh shows nothing", async () => {
        await users.updateLabels({ userId: "support", labels: [...(await users.get({ userId: "support" })).labels, "beta"] });
        await users.updatePrefs({ userId: "support", prefs: { ...(await users.getPrefs({ userId: "support" })), theme: "dark" } });
        emu.resetRequestCounts();
        const preview = await stack.preview({ refresh: true });
        expect(emu.writeRequests()).toBe(0);
        expect(changes(preview)).toEqual([]);
        expect(refreshed(preview).filter((s) => !s.includes(" same"))).toEqual([]);
    });

    it("3. a declared label and a declared key changed elsewhere are drift, and up --refresh repairs only them", async () => {
        const live = await users.get({ userId: "support" });
        await users.updateLabels({ userId: "support", labels: live.labels.filter((label) => label !== "ops") });
        await users.updatePrefs({ userId: "support", prefs: { ...live.prefs, locale: "fr" } });
        const preview = await stack.preview({ refresh: true });
        expect(changes(preview)).toEqual(["update UserLabels infra-labels [labels]", "update UserPrefs infra-prefs [prefs]"]);
        const up = await stack.up({ refresh: true });
        expect(up.errors).toEqual([]);
        const repaired = await users.get({ userId: "support" });
        expect(new Set(repaired.labels)).toEqual(new Set(["service", "ops", "oncall", "beta"]));
        expect(repaired.prefs).toEqual({ locale: "en", pager: "+14155550100", rota: { week: 2 }, theme: "dark" });
    });

    it("4. an exclusive and a non-exclusive UserLabels for the same user are refused at preview, before any write", async () => {
        stack.setConfig("mixed", "true");
        emu.resetRequestCounts();
        const failed = await failureOf(stack.preview()).finally(() => stack.setConfig("mixed", "false"));
        // Whichever of the two the host checks second is refused.
        expect(failed.result.errors.join("\n")).toMatch(
            /UserLabels::(infra|team)-labels has check errors: exclusive: is (true|false), but another UserLabels in this program for user "support" has exclusive: (true|false)/,
        );
        expect(emu.writeRequests()).toBe(0);
    });

    it("5. blocking with endSessions, when deleting the sessions fails, records the block; the next up deletes them", async () => {
        await users.createSession({ userId: "support" });
        stack.setConfig("blocked", "true");
        emu.injectFault({ route: "DELETE /v1/users/:userId/sessions", count: 4, kind: "500" });
        const failed = await failureOf(stack.up());
        expect(failed.result.errors.join("\n")).toMatch(/UserStatus update failed for user "support" while deleting the user's sessions/);
        const recorded = stack.resource("support", "pulumi-nodejs:dynamic/appwrite:UserStatus");
        expect(recorded?.outputs).toMatchObject({ blocked: true, sessionsEnded: false });
        expect((await users.get({ userId: "support" })).status).toBe(false);
        expect((await users.listSessions({ userId: "support" })).total).toBe(1);

        emu.resetRequestCounts();
        const up = await stack.up();
        expect(changes(up)).toEqual(["update UserStatus support"]);
        expect(emu.requestCounts()["DELETE /v1/users/:userId/sessions"]).toBe(1);
        expect(emu.requestCounts()["PATCH /v1/users/:userId/status"]).toBeUndefined();
        expect((await users.listSessions({ userId: "support" })).total).toBe(0);
    });
});
