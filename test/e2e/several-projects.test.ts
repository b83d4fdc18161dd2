import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, Users } from "node-appwrite";
import { startEmulator, type Emulator } from "../emulator";
import { runAppwriteUsers } from "./appwrite-users";
import { CliProject, EXAMPLES, changes } from "./support";

/**
 * examples/several-projects through the real `pulumi` CLI: the default project and two named ones
 * (`eu`, `us`), each an emulator of its own with its own project ID and key. The tests build on each
 * other in order, as one stack's history.
 */

let project: CliProject;
let eu: Emulator;
let us: Emulator;
const usersOf = (emu: Emulator) => new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
const everyProject = () => [
    { name: "main", users: project.users, emu: project.emu },
    { name: "eu", users: usersOf(eu), emu: eu },
    { name: "us", users: usersOf(us), emu: us },
];

beforeAll(async () => {
    eu = await startEmulator({ projectId: "shop-eu" });
    us = await startEmulator({ projectId: "shop-us" });
    project = await CliProject.create({ source: path.join(EXAMPLES, "several-projects") });
    // As the guide sets them: `pulumi config set --path`, the keys as secrets. Each entry names its endpoint,
    // since each project is an emulator of its own.
    await project.stack.setAllConfig(
        {
            "appwrite:projects.eu.endpoint": { value: eu.endpoint },
            "appwrite:projects.eu.projectId": { value: eu.projectId },
            "appwrite:projects.eu.apiKey": { value: eu.apiKey, secret: true },
            "appwrite:projects.us.endpoint": { value: us.endpoint },
            "appwrite:projects.us.projectId": { value: us.projectId },
            "appwrite:projects.us.apiKey": { value: us.apiKey, secret: true },
            blockedIn: { value: JSON.stringify(["us"]) },
        },
        true,
    );
}, 900_000);

afterAll(async () => {
    await project?.dispose();
    await eu?.stop();
    await us?.stop();
});

describe("one program with users in several Appwrite projects, under the real pulumi CLI", { timeout: 300_000 }, () => {
    it("fails at preview for a project name that is not configured, listing the configured names, and writes nothing", async () => {
        await project.stack.setConfig("regions", { value: JSON.stringify(["eu", "us", "asia"]) });
        const failed = await project.preview().then(
            () => "",
            (err: unknown) => String((err as Error).message),
        );
        expect(failed).toContain('the Appwrite project "asia" is not configured (configured: "eu", "us")');
        expect(failed).toContain("pulumi config set --path 'appwrite:projects.asia.projectId' <value>");
        for (const { emu } of everyProject()) expect(emu.writeRequests()).toBe(0);
        await project.stack.removeConfig("regions");
    });

    it("puts each user, its labels and its status in its own project only, and a lookup reads from the project it names", async () => {
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ create: 10 });
        for (const { name, users } of everyProject()) {
            const { users: found } = await users.list();
            expect(found.map((u) => [u.$id, u.name, u.labels, u.status])).toEqual([
                ["ci-bot", `CI bot (${name})`, ["service", name], name !== "us"],
            ]);
        }
        expect(result.outputs.regionalNames?.value).toEqual({ eu: "CI bot (eu)", us: "CI bot (us)" });
    });

    it("stores only each resource's project name in the state file: no endpoint or key of any project", () => {
        const stackFile = path.join(project.backendDir, ".pulumi", "stacks", "appwrite-users-several-projects", "e2e.json");
        const state = fs.readFileSync(stackFile, "utf8");
        for (const emu of [project.emu, eu, us]) expect(state).not.toContain(emu.apiKey);
        // Pulumi keeps the stack config in the provider's inputs: appwrite:projects there is one encrypted secret.
        for (const emu of [eu, us]) expect(state).not.toContain(emu.endpoint);
        const provider = project.exportDeployment().resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
        expect(provider?.inputs?.["appwrite:projects"]).toMatchObject({ ciphertext: expect.any(String) });
        const resources = project.exportDeployment().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/appwrite:"));
        const projectOf = (r: (typeof resources)[number]) => [
            r.urn.split("::").pop(),
            r.inputs?.project ?? null,
            r.outputs?.project ?? null,
        ];
        expect(resources.map(projectOf).sort()).toEqual(
            ["eu", "main", "us"].flatMap((name) =>
                Array.from({ length: 3 }, () => [`ci-bot-${name}`, name === "main" ? null : name, name === "main" ? null : name]),
            ),
        );
        for (const r of resources) expect(JSON.stringify(r)).not.toMatch(/shop-eu|shop-us|127\.0\.0\.1/);
    });

    it("reports drift made in one project on exactly that resource, grouped by project, and up --refresh repairs it there", async () => {
        await usersOf(eu).updateLabels({ userId: "ci-bot", labels: ["changed"] });
        const run = await runAppwriteUsers(["drift", "--stack", "e2e", "--cwd", project.workDir, "--format", "json"], project.cliEnv());
        expect(run.stderr).toBe("");
        expect(run.code).toBe(2);
        const report = JSON.parse(run.stdout) as {
            projects: { project: string | null; projectId: string; checked: number; drifted: number }[];
            drift: { name: string; kind: string; project?: string }[];
        };
        expect(report.projects.map((p) => [p.project, p.projectId, p.checked, p.drifted])).toEqual([
            [null, project.emu.projectId, 3, 0],
            ["eu", "shop-eu", 3, 1],
            ["us", "shop-us", 3, 0],
        ]);
        expect(report.drift.map((d) => [d.kind, d.name, d.project])).toEqual([["UserLabels", "ci-bot-eu", "eu"]]);

        const { log } = await project.up({ refresh: true });
        expect(changes(log)).toEqual(["update UserLabels ci-bot-eu [labels]"]);
        expect((await usersOf(eu).get({ userId: "ci-bot" })).labels).toEqual(["service", "eu"]);
    });

    it("previews a change of a resource's project as a replacement", async () => {
        await project.stack.setConfig("mainProject", { value: "us" });
        const { log } = await project.preview();
        const replaced = changes(log).filter((c) => c.startsWith("replace "));
        expect(replaced.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
            "replace User ci-bot-main",
            "replace UserLabels ci-bot-main",
            "replace UserStatus ci-bot-main",
        ]);
        expect(replaced[0]).toBe("replace User ci-bot-main [project]");
        await project.stack.removeConfig("mainProject");
    });

    it("destroys the resources of every project, leaving each project empty", async () => {
        const { result } = await project.destroy();
        expect(result).toBeDefined();
        for (const { users } of everyProject()) expect((await users.list()).users).toEqual([]);
    });
});
