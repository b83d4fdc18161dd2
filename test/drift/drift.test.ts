import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { Client, Users } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { clientInfo } from "../emulator/models-auth";
import { Stack } from "../engine";
import { runCli } from "../../cli/main";
import type { DriftReport } from "../../cli/drift-report";

/**
 * The drift command on state written by the engine harness (examples/staging-seed: 50 users, 207
 * resources), before and after changes made directly through node-appwrite.
 */

const repo = path.resolve(__dirname, "..", "..");
const projectDir = path.join(repo, "examples", "staging-seed");
const RESOURCES = 50 * 4 + 7;

let emulator: Emulator;
let dir: string;
let cleanState: string;
let driftedState: string;
let users: Users;

async function run(argv: string[], env: NodeJS.ProcessEnv, stdinText?: string) {
    let stdout = "";
    let stderr = "";
    const stdin = Object.assign(Readable.from(stdinText === undefined ? [] : [stdinText]), { isTTY: stdinText === undefined });
    const code = await runCli(argv, {
        stdin,
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        env,
        cwd: dir,
    });
    return { code, stdout, stderr };
}

const ADA_LOGGED_AT = "2026-03-04T05:06:07.000+00:00";

/** An audit entry of the user's own change (through Appwrite's Account API), as Appwrite's audit worker writes it. */
function logOwnChange(userId: string, email: string, time: string): void {
    const user = emulator.store.user(userId);
    if (user === undefined) throw new Error(`no user ${userId} in the emulator`);
    emulator.store.side.addLog({
        ...clientInfo("127.0.0.1"),
        event: "user.update",
        resource: `user/${userId}`,
        actorSeq: user.seq,
        userId,
        userName: user.name ?? "",
        userEmail: email,
        userType: "user",
        mode: "default",
        userAgent: "Mozilla/5.0",
        time,
    });
}

/** Only the key: the endpoint and project come from the stack config stored in the state. */
const keyOnly = () => ({ APPWRITE_API_KEY: emulator.apiKey });

beforeAll(async () => {
    emulator = await startEmulator();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
    const stack = new Stack({
        projectDir,
        stackName: "staging",
        passphrase: "drift passphrase",
        stateFile: path.join(dir, "state.json"),
        useStackConfigFile: false,
        config: {
            "appwrite:endpoint": emulator.endpoint,
            "appwrite:projectId": emulator.projectId,
            "appwrite:apiKey": { value: emulator.apiKey, secret: true },
            seedPasswordSecret: { value: "drift-test-seed-secret-0123456789", secret: true },
            layout: "resources",
        },
    });
    await stack.up();
    cleanState = path.join(dir, "clean.json");
    fs.writeFileSync(cleanState, JSON.stringify(stack.exportState(), null, 2));
    driftedState = cleanState;
    users = new Users(new Client().setEndpoint(emulator.endpoint).setProject(emulator.projectId).setKey(emulator.apiKey));
}, 120_000);

afterAll(async () => {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe("appwrite-users drift on a stack that matches Appwrite", () => {
    it("reports no drift and exits 0", async () => {
        const { code, stdout, stderr } = await run(["drift", cleanState], keyOnly());
        expect(stderr).toBe("");
        expect(code).toBe(0);
        expect(stdout).toBe(
            `No drift: ${RESOURCES} resources checked (stack "staging" vs project "${emulator.projectId}" at ${emulator.endpoint}).\n`,
        );
    });

    it("reads the 50 users with one list request instead of one request per resource", async () => {
        emulator.resetRequestCounts();
        expect((await run(["drift", cleanState, "--format", "json"], keyOnly())).code).toBe(0);
        expect(emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
    });

    it("never needs the secrets of the state, which stay encrypted", () => {
        const text = fs.readFileSync(cleanState, "utf8");
        expect(text).toContain('"ciphertext"');
        expect(text).not.toContain(emulator.apiKey);
    });
});

describe("appwrite-users drift after changes made outside Pulumi", () => {
    let report: DriftReport;

    beforeAll(async () => {
        await users.updateName({ userId: "staging-user-01", name: "Ada King" });
        await users.updateLabels({ userId: "staging-user-02", labels: ["staging"] });
        await users.updatePrefs({ userId: "staging-user-03", prefs: { locale: "fr", theme: "light", onboardingDone: false } });
        await users.updateStatus({ userId: "staging-user-04", status: false });
        await users.delete({ userId: "staging-user-05" });
        await users.updatePassword({ userId: "staging-user-06", password: "Changed-elsewhere-1" });
        await users.deleteTarget({ userId: "staging-user-07", targetId: "staging-user-07-push" });
        await users.updateEmail({ userId: "staging-user-08", email: "new.address@example.org" });
        logOwnChange("staging-user-01", "ada@example.com", ADA_LOGGED_AT);
        const { code, stdout } = await run(["drift", driftedState, "--format", "json"], keyOnly());
        expect(code).toBe(2);
        report = JSON.parse(stdout) as DriftReport;
    });

    const entry = (kind: string, name: string) => report.drift.find((d) => d.kind === kind && d.name === name);

    it("exits 2 and names each drifted resource, and nothing else", () => {
        expect(report.checked).toBe(RESOURCES);
        expect(report.drift.map((d) => `${d.kind} ${d.name} ${d.status}`).sort()).toEqual(
            [
                "User staging-staging-user-01 changed",
                "UserLabels staging-staging-user-02 changed",
                "UserPrefs staging-staging-user-03 changed",
                "UserStatus staging-staging-user-04 changed",
                "User staging-staging-user-05 deleted",
                "UserLabels staging-staging-user-05 deleted",
                "UserPrefs staging-staging-user-05 deleted",
                "UserStatus staging-staging-user-05 deleted",
                "User staging-staging-user-06 changed",
                "UserTarget staging-staging-user-07-staging-user-07-push deleted",
                "User staging-staging-user-08 changed",
            ].sort(),
        );
    });

    it("gives the value Pulumi holds and the live one per field", () => {
        expect(entry("User", "staging-staging-user-01")?.fields).toEqual([{ field: "name", pulumi: "Ada Lovelace", live: "Ada King" }]);
        expect(entry("UserLabels", "staging-staging-user-02")?.fields).toEqual([
            { field: "labels", pulumi: ["staging", "qa"], live: ["staging"] },
        ]);
        expect(entry("UserPrefs", "staging-staging-user-03")?.fields).toEqual([
            {
                field: "prefs",
                pulumi: { locale: "fr", theme: "dark", onboardingDone: false },
                live: { locale: "fr", theme: "light", onboardingDone: false },
            },
        ]);
        expect(entry("UserStatus", "staging-staging-user-04")?.fields).toEqual([{ field: "blocked", pulumi: false, live: true }]);
        expect(entry("User", "staging-staging-user-08")?.fields).toEqual([
            { field: "email", pulumi: "linus.torvalds@example.org", live: "new.address@example.org" },
        ]);
    });

    it("reports a password changed outside Pulumi without knowing the password", () => {
        const fields = entry("User", "staging-staging-user-06")?.fields;
        expect(fields).toHaveLength(1);
        expect(fields?.[0]).toMatchObject({ field: "password", pulumi: "[secret]", live: null });
        expect(fields?.[0]?.note).toMatch(/^changed outside Pulumi \(passwordUpdate \d{4}-\d\d-\d\dT/);
    });

    it("prints the same findings as a table", async () => {
        const { code, stdout } = await run(["drift", driftedState], keyOnly());
        expect(code).toBe(2);
        const lines = stdout.split("\n");
        expect(lines[0]).toBe(
            `Drift in 11 of ${RESOURCES} resources (stack "staging" vs project "${emulator.projectId}" at ${emulator.endpoint}); 5 deleted outside Pulumi.`,
        );
        expect(lines[2]).toMatch(/^RESOURCE\s+KIND\s+FIELD\s+PULUMI\s+LIVE\s+LAST CHANGE$/);
        expect(lines).toContainEqual(
            expect.stringMatching(
                /^staging-staging-user-01\s+User\s+name\s+"Ada Lovelace"\s+"Ada King"\s+2026-\S+ user\.update by ada@example\.com \(user\)$/,
            ),
        );
        expect(lines).toContainEqual(
            expect.stringMatching(/^staging-staging-user-05\s+User\s+-\s+exists \(staging-user-05\)\s+deleted outside Pulumi\s+unknown$/),
        );
        expect(lines.at(-2)).toMatch(/^Last change: Appwrite lists no log entry for some drifted users/);
        expect(lines.filter((l) => l.startsWith("staging-"))).toHaveLength(11);
    });

    it("prints the same findings as markdown for a pull-request comment", async () => {
        const { code, stdout } = await run(["drift", driftedState, "--format", "markdown"], keyOnly());
        expect(code).toBe(2);
        expect(stdout.startsWith("### Appwrite users: drift detected\n")).toBe(true);
        expect(stdout).toContain('| `staging-staging-user-02` | UserLabels | labels | `["staging","qa"]` | `["staging"]` | unknown |');
        expect(stdout).toContain(
            "| `staging-staging-user-07-staging-user-07-push` | UserTarget | - | `exists (staging-user-07/staging-user-07-push)` | **deleted outside Pulumi** | unknown |",
        );
        expect(stdout.match(/Last change: /g)).toHaveLength(1);
        expect(stdout.split("\n").filter((l) => l.startsWith("| `"))).toHaveLength(11);
    });

    it("names who changed a user when Appwrite's log lists an entry for it, and says once why the others are unknown", () => {
        expect(entry("User", "staging-staging-user-01")?.lastChange).toEqual({
            time: ADA_LOGGED_AT,
            event: "user.update",
            by: "ada@example.com (user)",
        });
        expect(entry("UserLabels", "staging-staging-user-02")?.lastChange).toBeNull();
        expect(entry("User", "staging-staging-user-05")?.lastChange).toBeNull();
        expect(report.lastChangeNote).toMatch(
            /^Appwrite lists no log entry for some drifted users: users\.listLogs shows what a user did itself/,
        );
    });

    it("still reads all users with one list request, and the log of each drifted user once", async () => {
        emulator.resetRequestCounts();
        expect((await run(["drift", driftedState, "--format", "json"], keyOnly())).code).toBe(2);
        expect(emulator.requestCounts()).toEqual({ "GET /v1/users": 1, "GET /v1/users/:userId/logs": 8 });
    });

    it("works as the installed bin, reading the export from stdin", async () => {
        // Spawned without blocking: the emulator answers from this process.
        const child = spawn(process.execPath, [path.join(repo, "dist", "cli", "main.js"), "drift", "--format", "json"], {
            env: { PATH: process.env.PATH, ...keyOnly() },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
        child.stdin.end(fs.readFileSync(driftedState, "utf8"));
        const status = await new Promise<number | null>((resolve) => child.once("exit", resolve));
        expect(stderr).toBe("");
        expect(status).toBe(2);
        expect((JSON.parse(stdout) as DriftReport).drift).toHaveLength(11);
        expect(fs.readFileSync(path.join(repo, "dist", "cli", "main.js"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    });
});

/** Plays the pulumi CLI for the Automation API: the stack's export (with --show-secrets) and its config. */
const FAKE_PULUMI = `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2).filter((a) => a !== "--non-interactive").join(" ");
const stack = process.env.FAKE_STACK;
if (args === "version") console.log("v3.270.0");
else if (args === "stack select --stack " + stack) process.exit(0);
else if (args === "stack export --show-secrets --stack " + stack) process.stdout.write(fs.readFileSync(process.env.FAKE_EXPORT, "utf8"));
else if (args === "config --show-secrets --json --stack " + stack) process.stdout.write(fs.readFileSync(process.env.FAKE_CONFIG, "utf8"));
else { console.error("error: no stack named '" + process.argv[process.argv.indexOf("--stack") + 1] + "' found"); process.exit(255); }
`;

/** What `pulumi stack export --show-secrets` prints: secrets as JSON text under `plaintext`. */
function showSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(showSecrets);
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    if ("4dabf18193072939515e22adb298388d" in record && "value" in record) {
        return { "4dabf18193072939515e22adb298388d": record["4dabf18193072939515e22adb298388d"], plaintext: JSON.stringify(record.value) };
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, showSecrets(v)]));
}

describe("appwrite-users drift --stack, through the Automation API", () => {
    let fakeBin: string;
    const saved = { ...process.env };

    beforeAll(() => {
        fakeBin = path.join(dir, "fake-bin");
        fs.mkdirSync(fakeBin, { recursive: true });
        fs.writeFileSync(path.join(fakeBin, "pulumi"), FAKE_PULUMI, { mode: 0o755 });
        const stack = new Stack({
            projectDir,
            stackName: "staging",
            passphrase: "drift passphrase",
            stateFile: path.join(dir, "state.json"),
            packageInstall: "none",
        });
        const exported = stack.exportState() as { deployment: { resources?: Record<string, unknown>[] } };
        const plain = stack.state.map((r) => ({ ...r, inputs: showSecrets(r.inputs), outputs: showSecrets(r.outputs) }));
        fs.writeFileSync(
            path.join(dir, "show-secrets.json"),
            JSON.stringify({ ...exported, deployment: { ...exported.deployment, resources: plain } }),
        );
        fs.writeFileSync(
            path.join(dir, "config.json"),
            JSON.stringify({
                "appwrite:endpoint": { value: emulator.endpoint, secret: false },
                "appwrite:projectId": { value: emulator.projectId, secret: false },
                "appwrite:apiKey": { value: emulator.apiKey, secret: true },
            }),
        );
        Object.assign(process.env, {
            PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ""}`,
            FAKE_STACK: "staging",
            FAKE_EXPORT: path.join(dir, "show-secrets.json"),
            FAKE_CONFIG: path.join(dir, "config.json"),
        });
        fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    });
    afterAll(() => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    });

    it("exports the stack and takes the credentials from its config, with no APPWRITE_* set", async () => {
        const { code, stdout, stderr } = await run(["drift", "--stack", "staging", "--cwd", dir, "--format", "json"], {});
        expect(stderr).toBe("");
        expect(code).toBe(2);
        const report = JSON.parse(stdout) as DriftReport;
        expect(report.drift).toHaveLength(11);
        expect(report.drift.find((d) => d.name === "staging-staging-user-06")?.fields).toEqual([
            expect.objectContaining({ field: "password", pulumi: "[secret]", live: null }),
        ]);
    });

    it("never prints a secret the export shows in plaintext", async () => {
        const { stdout } = await run(["drift", "--stack", "staging", "--cwd", dir, "--format", "markdown"], {});
        expect(stdout).toContain("| `staging-staging-user-06` | User | password | `[secret]` | `changed outside Pulumi (passwordUpdate ");
        expect(fs.readFileSync(path.join(dir, "show-secrets.json"), "utf8")).toContain('"plaintext":"\\"Sd1!');
        expect(stdout).not.toContain("Sd1!");
    });

    it("exits 1 with the reason when the stack does not exist", async () => {
        const { code, stderr } = await run(["drift", "--stack", "nope", "--cwd", dir], {});
        expect(code).toBe(1);
        expect(stderr).toBe(`appwrite-users drift: cannot select stack "nope" in ${dir}: error: no stack named 'nope' found\n`);
    });

    it("exits 1 and says what to install when there is no pulumi CLI", async () => {
        const path_ = process.env.PATH;
        process.env.PATH = path.join(dir, "no-such-bin");
        try {
            const { code, stderr } = await run(["drift", "--stack", "staging", "--cwd", dir], {});
            expect(code).toBe(1);
            expect(stderr).toContain("--stack needs the pulumi CLI on PATH (https://www.pulumi.com/docs/install/), which was not found");
        } finally {
            process.env.PATH = path_;
        }
    });
});

/** The clean state with another endpoint in its stack config, which wins over APPWRITE_ENDPOINT. */
function stateAt(endpoint: string): string {
    const file = path.join(dir, `at-${encodeURIComponent(endpoint)}.json`);
    fs.writeFileSync(file, fs.readFileSync(cleanState, "utf8").split(emulator.endpoint).join(endpoint));
    return file;
}

describe("appwrite-users drift errors exit 1 with the reason", () => {
    it("a rejected API key", async () => {
        const { code, stdout, stderr } = await run(["drift", cleanState], { APPWRITE_API_KEY: "standard_wrong" });
        expect(code).toBe(1);
        expect(stdout).toBe("");
        expect(stderr).toMatch(
            /^appwrite-users drift: .*\(user_unauthorized, HTTP 401\)\. Appwrite rejected the API key: check `appwrite:apiKey` \(or APPWRITE_API_KEY\)/,
        );
    });

    it("an unreachable endpoint", async () => {
        const { code, stderr } = await run(["drift", stateAt("http://127.0.0.1:9/v1")], keyOnly());
        expect(code).toBe(1);
        expect(stderr).toContain("could not reach Appwrite");
    });

    it("no API key: the export keeps appwrite:apiKey encrypted", async () => {
        const { code, stderr } = await run(["drift", cleanState], {});
        expect(code).toBe(1);
        expect(stderr).toBe(
            "appwrite-users drift: missing Appwrite settings: set APPWRITE_API_KEY (or appwrite:apiKey in the stack's config); an exported state keeps appwrite:apiKey encrypted, so pass the key in APPWRITE_API_KEY\n",
        );
    });

    it("a state file that is missing or not a stack export", async () => {
        const missing = await run(["drift", path.join(dir, "missing.json")], keyOnly());
        expect(missing.code).toBe(1);
        expect(missing.stderr).toMatch(/^appwrite-users drift: cannot read the state file .*missing\.json: ENOENT/);

        fs.writeFileSync(path.join(dir, "other.json"), JSON.stringify({ hello: "world" }));
        const other = await run(["drift", path.join(dir, "other.json")], keyOnly());
        expect(other.code).toBe(1);
        expect(other.stderr).toContain('is not the output of `pulumi stack export`: it has no "deployment" object.');
    });

    it("a state without Appwrite resources, such as another stack's export, unless --allow-empty", async () => {
        const empty = path.join(dir, "empty.json");
        const stackOnly = {
            urn: "urn:pulumi:other::website::pulumi:pulumi:Stack::website-other",
            type: "pulumi:pulumi:Stack",
            custom: false,
        };
        fs.writeFileSync(empty, JSON.stringify({ version: 3, deployment: { resources: [stackOnly] } }));
        const refused = await run(["drift", empty], keyOnly());
        expect(refused.code).toBe(1);
        expect(refused.stdout).toBe("");
        expect(refused.stderr).toBe(
            `appwrite-users drift: no Appwrite resources were found in ${empty}: it holds no User, UserLabels, UserPrefs, UserTarget or UserStatus. ` +
                "Check that this is the stack that declares them; pass --allow-empty if an empty stack is expected.\n",
        );
        const env = { ...keyOnly(), APPWRITE_ENDPOINT: emulator.endpoint, APPWRITE_PROJECT_ID: emulator.projectId };
        const allowed = await run(["drift", empty, "--allow-empty"], env);
        expect(allowed).toMatchObject({ code: 0, stderr: "" });
        expect(allowed.stdout).toMatch(/^No drift: 0 resources checked/);
    });

    it("an endpoint that answers with an HTML page, named with the URL tried and without the page", async () => {
        const server = http.createServer((_req, res) =>
            res.writeHead(404, { "content-type": "text/html" }).end("<html><body><h1>Not Found</h1></body></html>"),
        );
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as { port: number };
        try {
            const { code, stderr } = await run(["drift", stateAt(`http://127.0.0.1:${port}/v1`)], keyOnly());
            expect(code).toBe(1);
            expect(stderr).toContain(
                `the endpoint did not answer like Appwrite: GET http://127.0.0.1:${port}/v1/users got HTTP 404 with a text/html answer`,
            );
            expect(stderr).not.toContain("<html>");
        } finally {
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    });

    it("a usage mistake, followed by the usage", async () => {
        const { code, stderr } = await run(["drift", cleanState, "--format", "yaml"], keyOnly());
        expect(code).toBe(1);
        expect(stderr).toContain('--format must be one of table, json, markdown, not "yaml"');
        expect(stderr).toContain("Usage: appwrite-users drift");
    });
});
