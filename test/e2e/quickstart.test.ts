import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_KINDS, entrySubpath, type ResourceKind } from "../../provider/kinds";
import { providerTextOf } from "../support/provider-text";
import { StepLog } from "../../scripts/pulumi-stack";
import { ENCRYPTED_SECRET } from "./encrypted-secret";
import { CliProject, EXAMPLES, changes } from "./support";

/**
 * examples/quickstart through the real `pulumi` CLI against the emulator, from an empty stack to destroy.
 * The tests build on each other in order, as one stack's history.
 */

const CI_BOT_PASSWORD = "e2e-ci-bot-Password-91x";
const KINDS = ["User", "UserLabels", "UserPrefs", "UserTarget", "UserStatus"];
let project: CliProject;
/** What the CLI printed for each operation, where the provider host's own output also lands. */
const cliOutputs: string[] = [];

function record<R extends { stdout: string; stderr: string }>(operation: { result: R; log: StepLog }): { result: R; log: StepLog } {
    cliOutputs.push(operation.result.stdout, operation.result.stderr);
    return operation;
}

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
    it("preview on an empty stack shows five creates per declared user, sends no write to Appwrite and records nothing", async () => {
        const { result, log } = record(await project.preview());
        expect(result.changeSummary).toEqual({ create: 16 });
        for (const id of ["ci-bot", "test-alice", "test-bob"]) {
            expect(changes(log).filter((c) => c.endsWith(` ${id}`) || c.includes(` ${id}-`))).toHaveLength(5);
        }
        expect(changes(log)).toHaveLength(15);
        expect(project.emu.writeRequests()).toBe(0);
        expect(project.exportDeployment().resources ?? []).toEqual([]);
    });

    it("up creates them, and a second up reports all same and sends no request at all", async () => {
        const { result } = record(await project.up());
        expect(result.summary.resourceChanges).toEqual({ create: 16 });
        expect(Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]))).toEqual({
            serviceAccountId: "ci-bot",
            testUserIds: ["test-alice", "test-bob"],
        });
        const list = await project.users.list();
        expect(list.users.map((u) => u.$id).sort()).toEqual(["ci-bot", "test-alice", "test-bob"]);
        expect(list.users.find((u) => u.$id === "ci-bot")?.labels).toEqual(["service"]);

        project.emu.resetRequestCounts();
        const again = record(await project.up());
        expect(again.result.summary.resourceChanges).toEqual({ same: 16 });
        expect(project.emu.totalRequests()).toBe(0);
    });

    it("the exported state and the CLI's output hold no API key, password, Appwrite hash, hash or hashOptions, and the password is secret", async () => {
        const exported = project.exportText();
        const hash = project.emu.store.users.get("ci-bot")?.password;
        expect(hash).toBeTruthy();
        expect(cliOutputs.length).toBeGreaterThanOrEqual(6);
        for (const secret of [project.emu.apiKey, CI_BOT_PASSWORD, hash ?? ""]) {
            expect(exported).not.toContain(secret);
            for (const output of cliOutputs) expect(output).not.toContain(secret);
        }
        expect(exported).not.toMatch(/"hash(Options)?"/);

        const deployment = project.exportDeployment();
        const ciBot = deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/appwrite:User" && r.urn.endsWith("::ci-bot"));
        expect(ciBot?.inputs?.["password"]).toMatchObject(ENCRYPTED_SECRET);
        expect(ciBot?.outputs?.["password"]).toMatchObject(ENCRYPTED_SECRET);
        const provider = deployment.resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
        expect(provider?.inputs?.["appwrite:apiKey"]).toMatchObject({ ciphertext: expect.stringMatching(/^v1:/) });

        for (const kind of KINDS) {
            const texts = deployment.resources
                .filter((r) => r.type === `pulumi-nodejs:dynamic/appwrite:${kind}`)
                .flatMap((r) => [r.inputs?.["__provider"], r.outputs?.["__provider"]]);
            expect(texts.length).toBeGreaterThanOrEqual(2);
            expect(new Set(texts).size, `${kind}'s __provider is one text`).toBe(1);
            for (const secret of [project.emu.apiKey, CI_BOT_PASSWORD, project.emu.endpoint, "127.0.0.1", project.emu.projectId]) {
                expect(String(texts[0])).not.toContain(secret);
            }
        }
    });

    // Loaded from node_modules, each kind's provider object is its entry module's exports, which the closure
    // serializer writes as a require of the package subpath: the whole text, pinned byte for byte.
    it("stores the same __provider text of at most 512 bytes for every resource of a kind: a require of the kind's subpath", () => {
        const deployment = project.exportDeployment();
        for (const kind of KINDS) {
            const texts = new Set(
                deployment.resources
                    .filter((r) => r.type === `pulumi-nodejs:dynamic/appwrite:${kind}`)
                    .flatMap((r) => [r.inputs?.["__provider"], r.outputs?.["__provider"]]),
            );
            expect(texts.size, `${kind}'s __provider texts`).toBe(1);
            const [text] = texts;
            expect(text).toBe(providerTextOf(entrySubpath(kind as ResourceKind)));
            expect(Buffer.byteLength(String(text)), `${kind}'s __provider`).toBeLessThanOrEqual(512);
        }
        expect(Buffer.byteLength(providerTextOf(entrySubpath("User")))).toBe(275);
        // The quickstart declares no UserBundle; its text is the same require of its own subpath (pinned as
        // stored by test/e2e/compact-seed.test.ts), and every kind's stays within 512 bytes.
        expect(Buffer.byteLength(providerTextOf(entrySubpath("UserBundle")))).toBe(282);
        for (const kind of ALL_KINDS) expect(Buffer.byteLength(providerTextOf(entrySubpath(kind))), kind).toBeLessThanOrEqual(512);
    });

    it("destroy removes everything the program made and leaves Appwrite as before", async () => {
        const { result } = await project.destroy();
        expect((result as { summary: { resourceChanges?: Record<string, number> } }).summary.resourceChanges).toEqual({ delete: 16 });
        expect((await project.users.list()).total).toBe(0);
        expect(project.exportDeployment().resources ?? []).toEqual([]);
    });
});
