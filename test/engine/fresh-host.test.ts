import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client, Users } from "node-appwrite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Emulator, startEmulator } from "../emulator";
import { OperationResult, ProviderHost, Stack, failureOf } from "./index";
import { makeSecret } from "./properties";
import type { UserSpec } from "./programs/users";
import { userSpec } from "../support/lifecycle-fixtures";

/** One field at a time: users declared from a spec in the stack config, through the harness against the emulator. */

const projectDir = path.join(__dirname, "programs", "users");


let emu: Emulator;
let dir: string;
let users: Users;

beforeEach(async () => {
    emu = await startEmulator();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-changes-"));
    users = new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
});

afterEach(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

function stack(specs: UserSpec[], parallel?: number): Stack {
    return new Stack({
        projectDir,
        passphrase: "changes",
        stateFile: path.join(dir, "state.json"),
        ...(parallel !== undefined ? { parallel } : {}),
        config: {
            "appwrite:endpoint": emu.endpoint,
            "appwrite:projectId": emu.projectId,
            "appwrite:apiKey": { value: emu.apiKey, secret: true },
            "users-lifecycle:users": JSON.stringify(specs),
        },
    });
}

function changes(result: OperationResult): string[] {
    return result.steps
        .filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/appwrite:") && s.op !== "same")
        .map((s) => `${s.op} ${s.type.slice(s.type.lastIndexOf(":") + 1)} ${s.name}${s.diffs.length ? ` [${s.diffs.join(",")}]` : ""}`)
        .sort();
}

// Each operation starts node processes; on a busy machine a sequence of them outlasts the default timeout.
describe("changes through the engine harness", { timeout: 180_000 }, () => {
    it("3. changing an email, labels, prefs, a target identifier and blocked is one in-place update and one request each", async () => {
        const s = stack([userSpec("u1")]);
        await s.up();
        s.setConfig(
            "users",
            JSON.stringify([
                userSpec("u1", {
                    email: "u1.new@example.com",
                    labels: ["team", "ops"],
                    prefs: { locale: "de" },
                    target: { name: "u1-alerts", targetId: "u1-alerts", providerType: "email", identifier: "u1.pager@example.com" },
                    blocked: true,
                }),
            ]),
        );
        const expected = [
            "update User u1 [email]",
            "update UserLabels u1 [labels]",
            "update UserPrefs u1 [prefs]",
            "update UserStatus u1 [blocked]",
            "update UserTarget u1-alerts [identifier]",
        ];
        expect(changes(await s.preview())).toEqual(expected);

        emu.resetRequestCounts();
        const up = await s.up();
        expect(changes(up)).toEqual(expected);
        expect.soft(emu.requestCounts()).toEqual({
            "PATCH /v1/users/:userId/email": 1,
            "PUT /v1/users/:userId/labels": 1,
            "PATCH /v1/users/:userId/prefs": 1,
            "PATCH /v1/users/:userId/status": 1,
            "PATCH /v1/users/:userId/targets/:targetId": 1,
        });
        const u1 = await users.get({ userId: "u1" });
        expect([u1.email, u1.labels, u1.prefs, u1.status]).toEqual(["u1.new@example.com", ["team", "ops"], { locale: "de" }, false]);
    });

    it("4. changing a user ID or a target ID replaces without a conflict and leaves no stray object", async () => {
        const s = stack([userSpec("u1"), userSpec("w1")]);
        await s.up();
        s.setConfig(
            "users",
            JSON.stringify([
                userSpec("u1", { userId: "u2" }),
                userSpec("w1", { target: { name: "w1-alerts", targetId: "w1-pager", providerType: "email", identifier: "w1.alerts@example.com" } }),
            ]),
        );
        const preview = await s.preview();
        expect(changes(preview).filter((c) => c.startsWith("replace"))).toEqual([
            // The companions' userId is unknown in a preview until the new user exists.
            "replace User u1 [userId]",
            "replace UserLabels u1 [userId]",
            "replace UserPrefs u1 [userId]",
            "replace UserStatus u1 [userId]",
            "replace UserTarget u1-alerts [userId]",
            "replace UserTarget w1-alerts [targetId]",
        ]);

        await s.up();
        expect((await users.list()).users.map((u) => u.$id).sort()).toEqual(["u2", "w1"]);
        const targets = (await users.listTargets({ userId: "w1" })).targets.map((t) => t.$id);
        expect(targets).toContain("w1-pager");
        expect(targets).not.toContain("w1-alerts");
        expect((await users.listTargets({ userId: "u2" })).targets.map((t) => t.$id)).toContain("u1-alerts");
        expect(s.state.filter((r) => r.delete || r.pendingReplacement)).toEqual([]);
        const again = await s.up();
        expect(changes(again)).toEqual([]);
    });

    it("8. many creates arriving together at a fresh host all see the configuration", async () => {
        const specs = ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"].map((id) => userSpec(id));
        const previewed = stack(specs);
        const preview = await previewed.preview();
        const checks = preview.rpcs.filter((c) => c.method === "Check" && c.urn?.includes("dynamic/appwrite:User::"));
        expect(checks).toHaveLength(8);

        const config = {
            "appwrite:endpoint": emu.endpoint,
            "appwrite:projectId": emu.projectId,
            "appwrite:apiKey": makeSecret(emu.apiKey),
        };
        const host = await ProviderHost.start({ projectDir: previewed.projectDir, projectName: "users-lifecycle", config });
        try {
            await host.negotiate();
            await host.configure(config, "urn:pulumi:dev::users-lifecycle::pulumi:providers:pulumi-nodejs::default", "race");
            // No Check first: the first call for this __provider text configures it while the others arrive.
            const created = await Promise.all(
                checks.map((c) => host.create(c.urn ?? "", c.request["news"] as Record<string, never>)),
            );
            expect(created.map((c) => c.id).sort()).toEqual(specs.map((x) => x.userId));
        } finally {
            await host.stop();
        }
        expect(emu.requestCounts()["POST /v1/users"]).toBe(8);
        expect((await users.list()).total).toBe(8);
    });

    it("8. a refresh of many resources at a fresh host reads them all with the stored configuration", async () => {
        const s = stack([userSpec("a1"), userSpec("a2"), userSpec("a3")], 16);
        await s.up();
        const refresh = await s.refresh();
        expect(refresh.changeSummary).toEqual({ same: 16 });
        expect(refresh.rpcs.filter((c) => c.method === "Read")).toHaveLength(15);
    });

    it("9. a fault in the middle of a create leaves the user recorded, and the next up finishes it", async () => {
        const s = stack([userSpec("f1", { emailVerification: true })]);
        // The create's second request fails every time it is retried.
        emu.injectFault({ route: "PATCH /v1/users/:userId/verification", count: 4, kind: "500" });
        const failed = await failureOf(s.up());
        expect(failed.result.errors.join("\n")).toMatch(/f1/);
        const recorded = s.resource("f1", "pulumi-nodejs:dynamic/appwrite:User");
        expect(recorded?.id).toBe("f1");
        expect(recorded?.initErrors?.length).toBeGreaterThan(0);
        expect((await users.get({ userId: "f1" })).emailVerification).toBe(false);

        const up = await s.up();
        expect(changes(up)).toContain("update User f1");
        expect((await users.get({ userId: "f1" })).emailVerification).toBe(true);
        expect(s.resource("f1", "pulumi-nodejs:dynamic/appwrite:User")?.initErrors).toBeUndefined();
        expect(changes(await s.up())).toEqual([]);
    });

    it("10. a preview refuses inputs the User does not have, passed by a spread, and sends nothing to Appwrite", async () => {
        const s = stack([userSpec("x1", { extraUserInputs: { emailVerified: true, labels: ["vip"] } })]);
        const failed = await failureOf(s.preview());
        const errors = failed.result.errors.join("\n");
        expect(errors).toContain("emailVerified: is not a known input of User; did you mean `emailVerification`?");
        expect(errors).toContain("labels: is not an input of User: it belongs to UserLabels; set it on a UserLabels resource for this user instead");
        expect(emu.writeRequests()).toBe(0);
    });
});
