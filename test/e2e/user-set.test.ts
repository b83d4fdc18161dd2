import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driftCommand } from "../bench/cli-state";
import { exitCodeOf } from "../../scripts/pulumi-stack";
import type { DriftReport } from "../../cli/drift-report";
import { ENCRYPTED_SECRET } from "./encrypted-secret";
import { CliProject, REPO_ROOT } from "./support";

/**
 * A UserSet's whole life under the real `pulumi` CLI (file:// backend) against the emulator: create with an
 * adopted member, one change of each field on one member, members added, removed and replaced, drift of
 * each field, faults part-way through a create and an update, and destroy. The engine's display of a set
 * is its stored inputs compared, so what the CLI prints is pinned as well as what reaches Appwrite.
 */

const PROGRAM = path.join(REPO_ROOT, "test", "e2e", "programs", "user-set");
const SET = "pulumi-nodejs:dynamic/appwrite:UserSet";
const PASSWORD = "first-secret-password-1234";
const NEW_PASSWORD = "second-secret-password-5678";
const LITERAL_PASSWORD = "literal-password-in-the-program-9012";
const MD5 = (hash: string) => ({ algorithm: "md5", hash });
type Member = Record<string, unknown>;

let project: CliProject;

function qa(n: number, extra: Member = {}): Member {
    const userId = `qa-000${n}`;
    return { userId, email: `${userId}@example.org`, name: `QA ${n}`, ...extra };
}

const FIRST: Member[] = [
    qa(1, {
        password: "secret",
        labels: ["qa"],
        prefs: { theme: "dark" },
        blocked: false,
        targets: [{ targetId: "qa-0001-mail", providerType: "email", identifier: "qa-0001.alerts@example.org" }],
    }),
    // A literal password: the SDK sends it in Pulumi's wire form of a secret, with no Output.
    qa(2, { labels: ["qa"], password: LITERAL_PASSWORD }),
    qa(3, { passwordHash: MD5("5f4dcc3b5aa765d61d8327deb882cf99") }),
    qa(4, { email: "adopted@example.org", name: "Adopted", adopt: true }),
];

async function declare(sets: Record<string, Member[]>): Promise<void> {
    await project.stack.setConfig("sets", { value: JSON.stringify(sets) });
}

/** The stack's file in the backend, as the CLI wrote it (secrets encrypted): not what `stack export` decrypts. */
function backendFile(): string {
    const stacks = path.join(project.backendDir, ".pulumi", "stacks");
    const file = fs.readdirSync(stacks, { recursive: true, encoding: "utf8" }).find((f) => f.endsWith(`${project.stack.name}.json`));
    return fs.readFileSync(path.join(stacks, file as string), "utf8");
}

function setInBackend(name: string): { inputs: Record<string, Member>; outputs: Record<string, Member> } {
    const state = JSON.parse(backendFile()) as {
        checkpoint: { latest: { resources: { type: string; urn: string; inputs: Member; outputs: Member }[] } };
    };
    const set = state.checkpoint.latest.resources.find((r) => r.type === SET && r.urn.endsWith(`::${name}`));
    return { inputs: set?.inputs.users as Record<string, Member>, outputs: set?.outputs.users as Record<string, Member> };
}

const writes = () => Object.fromEntries(Object.entries(project.emu.requestCounts()).filter(([route]) => !route.startsWith("GET ")));

beforeAll(async () => {
    project = await CliProject.create({ source: PROGRAM, config: { password: { value: PASSWORD, secret: true } } });
    await project.users.create({ userId: "qa-0004", email: "adopted@example.org", name: "Made before" });
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

/** One request for each field of a member: email, name, password, labels, prefs, status and a target. */
const ONE_WRITE_PER_FIELD = {
    "PATCH /v1/users/:userId/email": 1,
    "PATCH /v1/users/:userId/name": 1,
    "PATCH /v1/users/:userId/password": 1,
    "PUT /v1/users/:userId/labels": 1,
    "PATCH /v1/users/:userId/prefs": 1,
    "PATCH /v1/users/:userId/status": 1,
    "PATCH /v1/users/:userId/targets/:targetId": 1,
};

describe("a UserSet under the real pulumi CLI", { timeout: 600_000 }, () => {
    let registration4 = "";

    it("up makes every member with all its parts in one resource, and adopts the member that exists", async () => {
        registration4 = (await project.users.get({ userId: "qa-0004" })).registration;
        await declare({ qa: FIRST });
        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ create: 2 });
        expect(writes()).toEqual({
            "POST /v1/users": 2,
            "POST /v1/users/md5": 1,
            "PUT /v1/users/:userId/labels": 2,
            "PATCH /v1/users/:userId/prefs": 1,
            "POST /v1/users/:userId/targets": 1,
            "PATCH /v1/users/:userId/status": 1,
            "PATCH /v1/users/:userId/name": 1,
        });
        const adopted = await project.users.get({ userId: "qa-0004" });
        expect([adopted.name, adopted.registration]).toEqual(["Adopted", registration4]);
        expect((await project.users.get({ userId: "qa-0001" })).targets.map((t) => t.$id)).toContain("qa-0001-mail");
    });

    it("keeps each password secret on its own member in the backend's file, inputs and outputs, and the rest readable", () => {
        const text = backendFile();
        expect(text).not.toContain(PASSWORD);
        const { inputs, outputs } = setInBackend("qa");
        // The stack config the program reads holds it in plain text (as a literal in a program's source would be); the set does not.
        expect(JSON.stringify({ inputs, outputs })).not.toContain(LITERAL_PASSWORD);
        expect(inputs["qa-0002"]).toMatchObject({ email: "qa-0002@example.org", password: ENCRYPTED_SECRET });
        expect(outputs["qa-0002"]).toMatchObject({ email: "qa-0002@example.org", password: ENCRYPTED_SECRET });
        expect(inputs["qa-0001"]).toMatchObject({ email: "qa-0001@example.org", password: ENCRYPTED_SECRET });
        expect(outputs["qa-0001"]).toMatchObject({ email: "qa-0001@example.org", password: ENCRYPTED_SECRET, labels: ["qa"] });
        expect(inputs["qa-0003"]?.passwordHash).toEqual(ENCRYPTED_SECRET);
        expect(outputs["qa-0003"]?.passwordHash).toEqual(ENCRYPTED_SECRET);
        expect(Object.keys(outputs)).toEqual(["qa-0001", "qa-0002", "qa-0003", "qa-0004"]);
    });

    it("a no-change up sends no request", async () => {
        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ same: 2 });
        expect(project.emu.totalRequests()).toBe(0);
    });

    it("preview --diff names each changed field on its member, and up writes exactly those, adding, removing and replacing members", async () => {
        const [one, , three, four] = FIRST as [Member, Member, Member, Member];
        const changed = {
            ...one,
            email: "qa-0001.new@example.org",
            name: "QA one",
            labels: ["qa", "vip"],
            prefs: { theme: "light" },
            blocked: true,
            targets: [{ targetId: "qa-0001-mail", providerType: "email", identifier: "qa-0001.moved@example.org" }],
        };
        await declare({ qa: [changed, { ...three, passwordHash: MD5("0d107d09f5bbe40cade3de5c71e9e9b7") }, four, qa(5)] });
        await project.stack.setConfig("password", { value: NEW_PASSWORD, secret: true });
        const preview = await project.stack.preview({ diff: true });
        const shown = preview.stdout;
        expect(shown).toMatch(/~ users\s*: \{/);
        expect(shown).toMatch(/~ qa-0001\s*: \{/);
        expect(shown).toMatch(/~ email\s*: "qa-0001@example\.org" => "qa-0001\.new@example\.org"/);
        expect(shown).toMatch(/~ name\s*: "QA 1" => "QA one"/);
        expect(shown).toMatch(/~ blocked\s*: false => true/);
        expect(shown).toMatch(/~ theme\s*: "dark" => "light"/);
        expect(shown).toMatch(/~ identifier\s*: "qa-0001\.alerts@example\.org" => "qa-0001\.moved@example\.org"/);
        // Pulumi 3.276 shows a nested secret as [secret] whether or not it changed: nothing of it is displayed.
        expect(shown).toMatch(/ password\s*: \[secret\]/);
        expect(shown).toMatch(/- qa-0002\s*: \{/);
        expect(shown).toMatch(/\+ qa-0005\s*: \{/);
        expect(shown).not.toContain(NEW_PASSWORD);
        expect(shown).not.toContain(PASSWORD);

        project.emu.resetRequestCounts();
        const { result } = await project.up();
        expect(result.summary.resourceChanges).toEqual({ same: 1, update: 1 });
        expect(writes()).toEqual({
            ...ONE_WRITE_PER_FIELD,
            "DELETE /v1/users/:userId": 2,
            "POST /v1/users/md5": 1,
            "POST /v1/users": 1,
        });
        expect([...project.emu.store.users.keys()].sort()).toEqual(["qa-0001", "qa-0003", "qa-0004", "qa-0005"]);
        expect((await project.users.get({ userId: "qa-0004" })).registration).toBe(registration4);
    });

    it("preview --refresh shows each field changed outside Pulumi on its member, appwrite-users drift names them, and up --refresh repairs them", async () => {
        await project.users.updateName({ userId: "qa-0001", name: "Renamed elsewhere" });
        await project.users.updateEmail({ userId: "qa-0001", email: "elsewhere@example.org" });
        await project.users.updateLabels({ userId: "qa-0001", labels: ["other"] });
        await project.users.updatePrefs({ userId: "qa-0001", prefs: { theme: "neon" } });
        await project.users.updateStatus({ userId: "qa-0001", status: true });
        await project.users.updateTarget({ userId: "qa-0001", targetId: "qa-0001-mail", identifier: "elsewhere.alerts@example.org" });
        await project.users.updatePassword({ userId: "qa-0001", password: "changed-elsewhere-1234" });
        project.emu.resetRequestCounts();
        const preview = await project.stack.preview({ diff: true, refresh: true });
        expect(Object.keys(writes())).toEqual([]);
        const shown = preview.stdout;
        expect(shown).toMatch(/~ qa-0001\s*: \{/);
        expect(shown).toMatch(/~ name\s*: "Renamed elsewhere" => "QA one"/);
        expect(shown).toMatch(/~ email\s*: "elsewhere@example\.org" => "qa-0001\.new@example\.org"/);
        expect(shown).toMatch(/~ theme\s*: "neon" => "light"/);
        expect(shown).toMatch(/~ blocked\s*: false => true/);
        expect(shown).toMatch(/~ identifier\s*: "elsewhere\.alerts@example\.org" => "qa-0001\.moved@example\.org"/);
        expect(shown).toMatch(/\+ password\s*: \[secret\]/);
        expect(shown).not.toMatch(/~ qa-000[345]\s*: \{/);

        const run = await driftCommand(project);
        expect(run.code, run.stderr).toBe(2);
        const report = JSON.parse(run.stdout) as DriftReport;
        const fields = report.drift.flatMap((d) => d.fields.map((f) => `${d.kind} ${d.name} ${f.field}`)).sort();
        expect(fields).toEqual(
            [
                'UserSet qa users["qa-0001"].blocked',
                'UserSet qa users["qa-0001"].email',
                'UserSet qa users["qa-0001"].labels',
                'UserSet qa users["qa-0001"].name',
                'UserSet qa users["qa-0001"].password',
                'UserSet qa users["qa-0001"].prefs.theme',
                'UserSet qa users["qa-0001"].targets[qa-0001-mail].identifier',
            ].sort(),
        );

        project.emu.resetRequestCounts();
        await project.up({ refresh: true });
        expect(writes()).toEqual(ONE_WRITE_PER_FIELD);
    });

    it("a fault part-way through an update records the members done, names the one that failed, and the next up does only what is missing", async () => {
        const sets = JSON.parse(String((await project.stack.getConfig("sets")).value)) as { qa: Member[] };
        const members = sets.qa.map((m) =>
            m.userId === "qa-0005" ? { ...m, labels: ["late"] } : m.userId === "qa-0004" ? { ...m, name: "Adopted again" } : m,
        );
        await declare({ qa: members });
        project.emu.injectFault({ route: "PATCH /v1/users/:userId/name", count: 100, kind: "500" });
        const failure = await project.up().then(
            () => undefined,
            (e: unknown) => e,
        );
        project.emu.clearFaults();
        expect(exitCodeOf(failure)).toBeGreaterThan(0);
        // Pulumi lists the reasons the error carries: one line per member that failed, with Appwrite's error.
        expect(String(failure)).toMatch(/UserSet update failed for user "qa-0004" while setting the name: .*HTTP 500/);
        expect(String(failure)).not.toMatch(/failed for user "qa-000[1235]"/);
        expect(setInBackend("qa").outputs["qa-0005"]?.labels).toEqual(["late"]);
        expect(setInBackend("qa").outputs["qa-0004"]?.name).toBe("Adopted");

        project.emu.resetRequestCounts();
        await project.up();
        expect(writes()).toEqual({ "PATCH /v1/users/:userId/name": 1 });
    });

    it("a fault part-way through a create records every user made, and the next up makes none twice", async () => {
        const sets = JSON.parse(String((await project.stack.getConfig("sets")).value)) as { qa: Member[] };
        const batch = [6, 7, 8].map((n) => qa(n, { labels: ["batch"], blocked: false }));
        await declare({ ...sets, batch });
        project.emu.injectFault({ route: "PUT /v1/users/:userId/labels", count: 1000, kind: "500" });
        const failure = await project.up().then(
            () => undefined,
            (e: unknown) => e,
        );
        project.emu.clearFaults();
        for (const n of [6, 7, 8])
            expect(String(failure)).toContain(`UserSet create failed for user "qa-000${n}" while setting the labels`);
        expect(Object.keys(setInBackend("batch").outputs)).toEqual(["qa-0006", "qa-0007", "qa-0008"]);

        project.emu.resetRequestCounts();
        await project.up();
        expect(writes()).toEqual({ "PUT /v1/users/:userId/labels": 3, "PATCH /v1/users/:userId/status": 3 });
        expect(project.emu.store.user("qa-0007")?.labels).toEqual(["batch"]);
    });

    it("destroy deletes every member of every set", async () => {
        project.emu.resetRequestCounts();
        await project.destroy();
        expect(writes()).toEqual({ "DELETE /v1/users/:userId": 7 });
        expect(project.emu.store.users.size).toBe(0);
    });
});
