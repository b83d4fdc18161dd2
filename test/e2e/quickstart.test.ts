import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliProject, EXAMPLES, changes } from "./support";

/**
 * examples/quickstart through the real `pulumi` CLI against the emulator, from an empty stack to destroy.
 * The tests build on each other in order, as one stack's history.
 */

const CI_BOT_PASSWORD = "e2e-ci-bot-Password-91x";
const KINDS = ["User", "UserLabels", "UserPrefs", "UserTarget", "UserStatus"];
let project: CliProject;

beforeAll(async () => {
    project = await CliProject.create({
        source: path.join(EXAMPLES, "quickstart"),
        config: { ciBotPassword: { value: CI_BOT_PASSWORD, secret: true } },
    });
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

describe("the quickstart under the real pulumi CLI", { timeout: 300_000 }, () => {
    // 15 resources and the stack: unlike the harness, the CLI does not count the default provider.
    it("1. preview on an empty stack shows five creates per declared user and sends no write to Appwrite", async () => {
        const { result, log } = await project.preview();
        expect(result.changeSummary).toEqual({ create: 16 });
        for (const id of ["ci-bot", "test-alice", "test-bob"]) {
            expect(changes(log).filter((c) => c.endsWith(` ${id}`) || c.includes(` ${id}-`))).toHaveLength(5);
        }
        expect(project.emu.writeRequests()).toBe(0);
    });

    it("2. up creates them, and a second up reports all same and sends no request at all", async () => {
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ create: 16 });
        expect(Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]))).toEqual({
            serviceAccountId: "ci-bot",
            testUserIds: ["test-alice", "test-bob"],
        });
        const list = await project.users.list();
        expect(list.users.map((u) => u.$id).sort()).toEqual(["ci-bot", "test-alice", "test-bob"]);

        project.emu.resetRequestCounts();
        const again = await project.up();
        expect(again.result.summary.resourceChanges).toEqual({ same: 16 });
        expect(project.emu.totalRequests()).toBe(0);
    });

    it("4. the exported state holds no API key, password, Appwrite hash, hash or hashOptions, and the password is secret", async () => {
        const exported = project.exportText();
        const hash = project.emu.store.users.get("ci-bot")?.password;
        expect(hash).toBeTruthy();
        for (const secret of [project.emu.apiKey, CI_BOT_PASSWORD, hash ?? ""]) expect(exported).not.toContain(secret);
        expect(exported).not.toMatch(/"hash(Options)?"/);

        const deployment = project.exportDeployment();
        const ciBot = deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/appwrite:User" && r.urn.endsWith("::ci-bot"));
        const secretSig = "4dabf18193072939515e22adb298388d";
        expect(ciBot?.inputs?.["password"]).toMatchObject({ [secretSig]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.any(String) });
        expect(ciBot?.outputs?.["password"]).toMatchObject({ [secretSig]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.any(String) });
        const provider = deployment.resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
        expect(provider?.inputs?.["appwrite:apiKey"]).toMatchObject({ ciphertext: expect.any(String) });

        for (const kind of KINDS) {
            const texts = deployment.resources
                .filter((r) => r.type === `pulumi-nodejs:dynamic/appwrite:${kind}`)
                .flatMap((r) => [r.inputs?.["__provider"], r.outputs?.["__provider"]]);
            expect(new Set(texts).size, `${kind}'s __provider is one text`).toBe(1);
            // Installed under node_modules, the provider is a require of the kind's subpath.
            expect(String(texts[0])).toContain(`require("pulumi-appwrite-users/provider/`);
            expect(Buffer.byteLength(String(texts[0])), `${kind}'s __provider`).toBeLessThanOrEqual(512);
            for (const secret of [project.emu.apiKey, CI_BOT_PASSWORD, project.emu.endpoint]) expect(String(texts[0])).not.toContain(secret);
        }
    });

    it("destroy removes everything the program made and leaves Appwrite as before", async () => {
        const { result } = await project.destroy();
        expect((result as { summary: { resourceChanges?: Record<string, number> } }).summary.resourceChanges).toEqual({ delete: 16 });
        expect((await project.users.list()).total).toBe(0);
    });
});
