import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSeedFile } from "../../sdk/seed-file";
import { insertUsers } from "../emulator/fixtures";
import { formatDate } from "../emulator/store";
import { runAppwriteUsers } from "./appwrite-users";
import { CliProject, REPO_ROOT, changes } from "./support";

/**
 * The whole path from an existing project to a managed one: users made in Appwrite (labels, prefs, targets,
 * a block, verification flags), `appwrite-users generate --stack` writing users.ts, the program importing it
 * type-checked, then `pulumi up` through the real CLI taking every user over without a write, and a preview
 * showing no change. Then `sweep --stack` spares the users the stack now manages.
 */

const LABEL = "existing";
let project: CliProject;
let userIds: string[];

/** The consumer's program: index.ts imports the module generate writes next to it. */
function programSource(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "generated-program-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: generated-users\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.ts"), 'import { users } from "./users";\n\nexport const userIds = Object.keys(users);\n');
    const compilerOptions = { target: "ES2022", module: "commonjs", moduleResolution: "node", strict: true, skipLibCheck: true, types: [] };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts", "users.ts"] }, null, 2));
    return dir;
}

/** Users as an application would have made them: every field generate declares, on one user or another. */
async function existingUsers(): Promise<string[]> {
    const users = project.users;
    const ids = ["ada", "bob", "cy", "dee"];
    await users.create({ userId: "ada", email: "ada@example.com", phone: "+14155550101", password: "a long password 1", name: "Ada" });
    await users.updateLabels({ userId: "ada", labels: [LABEL, "admin"] });
    await users.updatePrefs({ userId: "ada", prefs: { theme: "dark", notifications: { email: true } } });
    await users.updateEmailVerification({ userId: "ada", emailVerification: true });
    await users.updatePhoneVerification({ userId: "ada", phoneVerification: true });
    await users.createTarget({
        userId: "ada",
        targetId: "ada-alerts",
        providerType: "email" as never,
        identifier: "alerts@example.com",
        name: "Alerts",
    });
    await users.create({ userId: "bob", email: "bob@example.com" });
    await users.updateLabels({ userId: "bob", labels: [LABEL] });
    await users.updateStatus({ userId: "bob", status: false });
    await users.updateMFA({ userId: "bob", mfa: true });
    await users.create({ userId: "cy", phone: "+14155550103", name: "Cy" });
    await users.updateLabels({ userId: "cy", labels: [LABEL] });
    await users.createTarget({ userId: "cy", targetId: "cy-push", providerType: "push" as never, identifier: "device-token-cy" });
    await users.create({ userId: "dee", email: "dee@example.com" });
    await users.updateLabels({ userId: "dee", labels: [LABEL] });
    return ids;
}

function typecheck(dir: string): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir, "--noEmit"], {
            cwd: dir,
        });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr.on("data", (d: Buffer) => (output += d.toString()));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, output }));
    });
}

beforeAll(async () => {
    project = await CliProject.create({ source: programSource() });
    userIds = await existingUsers();
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

describe("generate, then pulumi up, under the real pulumi CLI", { timeout: 600_000 }, () => {
    it("writes users.ts from the stack's project, and the program importing it type-checks", async () => {
        const run = await runAppwriteUsers(
            ["generate", "--stack", "e2e", "--cwd", project.workDir, "--out", "users.ts"],
            project.cliEnv(),
            project.workDir,
        );
        expect({ code: run.code, stderr: run.stderr }).toEqual({
            code: 0,
            stderr: `appwrite-users generate: ${userIds.length} user(s) declared in users.ts\n`,
        });
        const written = fs.readFileSync(path.join(project.workDir, "users.ts"), "utf8");
        for (const id of userIds) expect(written).toContain(`${JSON.stringify(id)}: new UserBundle(${JSON.stringify(id)}, {`);
        const checked = await typecheck(project.workDir);
        expect(checked).toEqual({ code: 0, output: "" });
    });

    it("takes every user over at the first up with no write request, and then previews no change", async () => {
        project.emu.resetRequestCounts();
        const { log } = await project.up();
        expect(changes(log)).toEqual(userIds.map((id) => `create UserBundle ${id}`));
        expect(project.emu.writeRequests()).toBe(0);
        const notReads = Object.keys(project.emu.requestCounts()).filter((route) => !route.startsWith("GET "));
        expect(notReads).toEqual([]);

        const preview = await project.preview({ expectNoChanges: true });
        expect(changes(preview.log)).toEqual([]);
        const refreshed = await project.preview({ refresh: true, expectNoChanges: true });
        expect(changes(refreshed.log)).toEqual([]);
        expect(project.emu.writeRequests()).toBe(0);
        const ada = await project.users.get({ userId: "ada" });
        expect({ labels: ada.labels, prefs: ada.prefs, emailVerification: ada.emailVerification }).toEqual({
            labels: [LABEL, "admin"],
            prefs: { theme: "dark", notifications: { email: true } },
            emailVerification: true,
        });
    });

    it("writes the same users as a seed file that loadSeedFile loads", async () => {
        const run = await runAppwriteUsers(
            ["generate", "--stack", "e2e", "--cwd", project.workDir, "--out", "seed.yaml", "--label", LABEL],
            project.cliEnv(),
            project.workDir,
        );
        expect(run.code).toBe(0);
        const seed = loadSeedFile("seed.yaml", project.workDir);
        expect(seed.map((u) => u.id)).toEqual(userIds);
        expect(seed.find((u) => u.id === "bob")).toMatchObject({ blocked: true, labels: [LABEL] });
        expect(seed.find((u) => u.id === "cy")?.targets).toEqual([
            { targetId: "cy-push", providerType: "push", identifier: "device-token-cy" },
        ]);
    });

    it("sweep --stack spares the users the stack manages and deletes the other old labelled ones", async () => {
        const old = formatDate(Date.now() - 3 * 3600_000);
        const strays = insertUsers(project.emu.store, 2, "stray", () => ({ labels: [LABEL], registration: old })).map((u) => u.$id);
        for (const id of userIds) project.emu.store.updateUser(project.emu.store.user(id)!, { registration: old }, Date.now());
        const run = await runAppwriteUsers(
            ["sweep", "--stack", "e2e", "--cwd", project.workDir, "--label", LABEL, "--older-than", "2h", "--yes", "--format", "json"],
            project.cliEnv(),
            project.workDir,
        );
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({ deleted: strays, failed: [], spared: userIds });
        for (const id of userIds) await expect(project.users.get({ userId: id })).resolves.toMatchObject({ $id: id });
    });
});
