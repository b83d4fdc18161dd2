import { exitCodeOf } from "../../scripts/pulumi-stack";
import { afterEach, describe, expect, it } from "vitest";
import type { UserSpec } from "../engine/programs/users";
import { userSpec } from "../support/lifecycle-fixtures";
import { CliProject, USERS_PROGRAM, changes } from "./support";

/** One field at a time, under the real `pulumi` CLI: users declared from a spec in the stack config. */

let project: CliProject | undefined;

async function declare(specs: UserSpec[]): Promise<CliProject> {
    project ??= await CliProject.create({ source: USERS_PROGRAM });
    await project.stack.setConfig("users", { value: JSON.stringify(specs) });
    return project;
}

afterEach(async () => {
    await project?.dispose();
    project = undefined;
});

describe("changes under the real pulumi CLI", { timeout: 600_000 }, () => {
    it("changing an email, labels, prefs, a target identifier and blocked is one in-place update and one request each", async () => {
        const p = await declare([userSpec("u1")]);
        await p.up();
        await declare([
            userSpec("u1", {
                email: "u1.new@example.com",
                labels: ["team", "ops"],
                prefs: { locale: "de" },
                target: { name: "u1-alerts", targetId: "u1-alerts", providerType: "email", identifier: "u1.pager@example.com" },
                blocked: true,
            }),
        ]);
        const expected = [
            "update User u1 [email]",
            "update UserLabels u1 [labels]",
            "update UserPrefs u1 [prefs]",
            "update UserStatus u1 [blocked]",
            "update UserTarget u1-alerts [identifier]",
        ];
        expect(changes((await p.preview()).log)).toEqual(expected);
        p.emu.resetRequestCounts();
        const up = await p.up();
        expect(changes(up.log)).toEqual(expected);
        expect(p.emu.requestCounts()).toEqual({
            "PATCH /v1/users/:userId/email": 1,
            "PUT /v1/users/:userId/labels": 1,
            "PATCH /v1/users/:userId/prefs": 1,
            "PATCH /v1/users/:userId/status": 1,
            "PATCH /v1/users/:userId/targets/:targetId": 1,
        });
        const u1 = await p.users.get({ userId: "u1" });
        expect([u1.email, u1.labels, u1.prefs, u1.status]).toEqual(["u1.new@example.com", ["team", "ops"], { locale: "de" }, false]);
    });

    it("changing a user ID or a target ID replaces without a conflict and leaves no stray object", async () => {
        const p = await declare([userSpec("u1"), userSpec("w1")]);
        await p.up();
        await declare([
            userSpec("u1", { userId: "u2" }),
            userSpec("w1", {
                target: { name: "w1-alerts", targetId: "w1-pager", providerType: "email", identifier: "w1.alerts@example.com" },
            }),
        ]);
        const preview = await p.preview();
        expect(changes(preview.log).filter((c) => c.startsWith("replace"))).toEqual([
            // The companions' userId is unknown in a preview until the new user exists.
            "replace User u1 [userId]",
            "replace UserLabels u1 [userId]",
            "replace UserPrefs u1 [userId]",
            "replace UserStatus u1 [userId]",
            "replace UserTarget u1-alerts [userId]",
            "replace UserTarget w1-alerts [targetId]",
        ]);
        await p.up();
        expect((await p.users.list()).users.map((u) => u.$id).sort()).toEqual(["u2", "w1"]);
        const targets = (await p.users.listTargets({ userId: "w1" })).targets.map((t) => t.$id);
        expect(targets).toContain("w1-pager");
        expect(targets).not.toContain("w1-alerts");
        expect((await p.users.listTargets({ userId: "u2" })).targets.map((t) => t.$id)).toContain("u1-alerts");
        const deployment = p.exportDeployment();
        expect(deployment.resources.filter((r) => r.delete || r.pendingReplacement)).toEqual([]);
        expect(changes((await p.up()).log)).toEqual([]);
    });

    it("a fault in the middle of a create leaves the user recorded, and the next up finishes it", async () => {
        const p = await declare([userSpec("f1", { emailVerification: true })]);
        // The create's second request fails every time it is retried.
        p.emu.injectFault({ route: "PATCH /v1/users/:userId/verification", count: 4, kind: "500" });
        const failure = await p.up().then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        expect(String(failure)).toMatch(/f1/);
        const deployment = p.exportDeployment();
        const recorded = deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/appwrite:User" && r.urn.endsWith("::f1"));
        expect(recorded?.id).toBe("f1");
        expect(recorded?.initErrors?.length).toBeGreaterThan(0);
        expect((await p.users.get({ userId: "f1" })).emailVerification).toBe(false);

        const up = await p.up();
        // The engine forces the update for the recorded init error; the inputs themselves did not change.
        expect(changes(up.log)).toContain("update User f1");
        expect((await p.users.get({ userId: "f1" })).emailVerification).toBe(true);
        const finished = p
            .exportDeployment()
            .resources.find((r) => r.type === "pulumi-nodejs:dynamic/appwrite:User" && r.urn.endsWith("::f1"));
        expect(finished?.initErrors).toBeUndefined();
        expect(changes((await p.up()).log)).toEqual([]);
    });

    it("a preview refuses inputs the User does not have, passed by a spread, and sends nothing to Appwrite", async () => {
        const p = await declare([userSpec("x1", { extraUserInputs: { emailVerified: true, labels: ["vip"] } })]);
        const failure = await p.preview().then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        // In the CLI's words for a check failure: the resource, the property, its value, then the reason.
        expect(String(failure)).toContain(
            "User resource 'x1': property emailVerified value {true} has a problem: is not a known input of User; did you mean `emailVerification`?",
        );
        expect(String(failure)).toContain(
            "User resource 'x1': property labels value {[{vip}]} has a problem: is not an input of User: it belongs to UserLabels; set it on a UserLabels resource for this user instead",
        );
        expect(p.emu.writeRequests()).toBe(0);
    });

    // The CLI loads the project's language plugin for an import even with --generate-code=false, so where
    // programs run inline (no pulumi-language-nodejs) it stops there; with the plugin it would reach the
    // dynamic-provider host's Read, which cannot load a provider without the `__provider` only a program
    // supplies. Either way nothing is imported: `adopt: true` is the way (docs/_index.md, Limitations).
    it("pulumi import of a dynamic resource is refused by the CLI, and nothing is written to Appwrite or the state", async () => {
        const p = await declare([]);
        await p.up();
        await p.users.create({ userId: "existing", email: "existing@example.com" });
        p.emu.resetRequestCounts();
        const failure = await p.stack
            .import({ resources: [{ type: "pulumi-nodejs:dynamic/appwrite:User", name: "existing", id: "existing" }], generateCode: false })
            .then(
                (result) => result,
                (e: unknown) => e,
            );
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        expect(exitCodeOf(failure)).toBe(1);
        expect(String(failure)).toContain("failed to load language plugin nodejs");
        expect(p.emu.writeRequests()).toBe(0);
        const deployment = p.exportDeployment();
        expect((deployment.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))).toEqual([]);
    });
});
