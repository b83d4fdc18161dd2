import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAppwriteUsers, type CommandRun } from "../e2e/appwrite-users";
import { CliProject, EXAMPLES } from "../e2e/support";
import { envLines } from "./run";

/**
 * The credential subcommands with `--stack NAME`, under the real `pulumi` CLI that `npm run setup:pulumi`
 * builds: examples/quickstart deployed to a `file://` backend against the emulator, and the built
 * `appwrite-users` run in its own process with no APPWRITE_* in its environment, so the endpoint, the
 * project and the encrypted API key can only come from the stack's config through the CLI.
 */

const USER = "ci-bot";
let project: CliProject;

beforeAll(async () => {
    project = await CliProject.create({
        source: path.join(EXAMPLES, "quickstart"),
        stackName: "ci",
        config: { ciBotPassword: { value: "stack-settings-Password-31k", secret: true } },
    });
    await project.up();
}, 900_000);

afterAll(async () => {
    await project?.dispose();
});

/** `appwrite-users ARGS --stack ci`, from the project directory, with only the CLI's settings in the environment. */
function withStack(args: string[], env: NodeJS.ProcessEnv = project.cliEnv()) {
    // Before exec's `--`: what follows it is the command's own.
    const end = args.includes("--") ? args.indexOf("--") : args.length;
    return runAppwriteUsers([...args.slice(0, end), "--stack", "ci", ...args.slice(end)], env, project.workDir);
}

/** The secret went to stdout and nowhere else: not stderr, not the stack's state or config. */
function onlyOnStdout(run: CommandRun, secret: string | undefined): void {
    expect(secret?.length).toBeGreaterThan(5);
    expect(run.stdout).toContain(secret);
    expect(run.stderr).toBe("");
    expect(project.exportText()).not.toContain(secret);
    expect(fs.readFileSync(path.join(project.workDir, "Pulumi.ci.yaml"), "utf8")).not.toContain(secret);
}

const sessionIds = async () => (await project.users.listSessions({ userId: USER })).sessions.map((s) => s.$id).sort();

describe("appwrite-users --stack under the real pulumi CLI", { timeout: 120_000 }, () => {
    it("the stack's config keeps the API key encrypted, so the commands can only get it through the CLI", () => {
        expect(fs.readFileSync(path.join(project.workDir, "Pulumi.ci.yaml"), "utf8")).not.toContain(project.emu.apiKey);
        expect(project.exportText()).not.toContain(project.emu.apiKey);
    });

    it("session create, list and delete take the endpoint, project and key from the stack; the secret is only on stdout", async () => {
        const created = await withStack(["session", "create", "--user", USER]);
        expect(created.code).toBe(0);
        const session = envLines(created.stdout);
        expect(session.APPWRITE_USER_ID).toBe(USER);
        expect(await sessionIds()).toEqual([session.APPWRITE_SESSION_ID]);
        onlyOnStdout(created, session.APPWRITE_SESSION_SECRET);

        // --cwd finds the project from anywhere.
        const listed = await runAppwriteUsers(
            ["session", "list", "--user", USER, "--stack", "ci", "--cwd", project.workDir, "--format", "json"],
            project.cliEnv(),
            project.dir,
        );
        expect(listed.stderr).toBe("");
        expect(listed.code).toBe(0);
        expect((JSON.parse(listed.stdout) as { sessions: { sessionId: string }[] }).sessions.map((s) => s.sessionId)).toEqual([
            session.APPWRITE_SESSION_ID,
        ]);
        expect(listed.stdout).not.toContain(session.APPWRITE_SESSION_SECRET);

        const deleted = await withStack(["session", "delete", "--user", USER, "--session", session.APPWRITE_SESSION_ID ?? ""]);
        expect([deleted.code, deleted.stdout, deleted.stderr]).toEqual([
            0,
            "",
            `Deleted session ${session.APPWRITE_SESSION_ID} of user "${USER}".\n`,
        ]);
        expect(await sessionIds()).toEqual([]);
    });

    it("jwt names the session it is given, and token prints a one-time secret, each only on stdout", async () => {
        const { secret, $id: sessionId } = await project.users.createSession({ userId: USER });
        const jwt = await withStack(["jwt", "--user", USER, "--session", sessionId, "--duration", "60"]);
        expect(jwt.code).toBe(0);
        const token = envLines(jwt.stdout).APPWRITE_JWT ?? "";
        const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { userId: string; sessionId: string };
        expect(claims).toMatchObject({ userId: USER, sessionId });
        onlyOnStdout(jwt, token);
        expect(jwt.stdout).not.toContain(secret);

        const oneTime = await withStack(["token", "--user", USER, "--length", "32", "--format", "json"]);
        expect(oneTime.code).toBe(0);
        const minted = JSON.parse(oneTime.stdout) as { userId: string; secret: string };
        expect(minted).toMatchObject({ userId: USER });
        expect(minted.secret).toHaveLength(32);
        onlyOnStdout(oneTime, minted.secret);
        await project.users.deleteSessions({ userId: USER });
    });

    it("exec runs as the user with the stack's endpoint and project, never hands on the key, and deletes its session", async () => {
        const script =
            "const e = process.env; console.log(JSON.stringify([e.APPWRITE_USER_ID, e.APPWRITE_ENDPOINT, e.APPWRITE_PROJECT_ID, e.APPWRITE_API_KEY ?? null, e.APPWRITE_SESSION_SECRET, e.APPWRITE_JWT]))";
        const ran = await withStack(["exec", "--user", USER, "--jwt", "--", process.execPath, "-e", script]);
        expect(ran.code).toBe(0);
        const [userId, endpoint, projectId, apiKey, secret, jwt] = JSON.parse(ran.stdout) as (string | null)[];
        expect([userId, endpoint, projectId, apiKey]).toEqual([USER, project.emu.endpoint, project.emu.projectId, null]);
        expect(jwt?.split(".")).toHaveLength(3);
        onlyOnStdout(ran, secret ?? undefined);
        expect(await sessionIds()).toEqual([]);
    });
});

describe("appwrite-users --stack says what is missing", { timeout: 120_000 }, () => {
    it("a stack that does not exist is named, with the CLI's reason", async () => {
        const run = await runAppwriteUsers(["token", "--user", USER, "--stack", "nope"], project.cliEnv(), project.workDir);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(new RegExp(`^appwrite-users token: cannot select stack "nope" in ${project.workDir}: error: .*nope`));
    });

    it("without a pulumi CLI on PATH it says to install one or set the APPWRITE_* variables", async () => {
        const env = { ...project.cliEnv(), PATH: path.join(project.dir, "no-such-bin") };
        const run = await withStack(["session", "create", "--user", USER], env);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(
            /^appwrite-users session: --stack needs the pulumi CLI on PATH \(https:\/\/www\.pulumi\.com\/docs\/install\/\), which was not found; or set the APPWRITE_\* variables instead/,
        );
    });

    it("without the stack's passphrase it names PULUMI_CONFIG_PASSPHRASE and prints no secret", async () => {
        const env = project.cliEnv();
        delete env.PULUMI_CONFIG_PASSPHRASE;
        const run = await withStack(["jwt", "--user", USER], env);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.stderr).toBe(
            `appwrite-users jwt: cannot read the config of stack "ci" in ${project.workDir}: error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE ` +
                "or PULUMI_CONFIG_PASSPHRASE_FILE environment variables. Set it as for `pulumi up` on this stack; it decrypts appwrite:apiKey\n",
        );
        expect(run.stderr).not.toContain(project.emu.apiKey);
    });

    it("without the stack's backend it says which backend it looked in and how to choose one", async () => {
        const env = project.cliEnv();
        delete env.PULUMI_BACKEND_URL;
        const run = await withStack(["session", "list", "--user", USER], env);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(
            new RegExp(
                `^appwrite-users session: cannot select stack "ci" in ${project.workDir}: error: PULUMI_ACCESS_TOKEN must be set .*\\. The stack is looked for in the backend PULUMI_BACKEND_URL names .*: set PULUMI_BACKEND_URL to the stack's backend`,
            ),
        );
    });
});
