import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MessagingProviderType, Users } from "node-appwrite";
import { afterAll, describe, expect, it } from "vitest";
import { readmeBlock } from "../support/readme";
import { clientFor, expectError } from "./helpers";
import { StateFileError, startEmulator } from "./index";

const dir = mkdtempSync(join(tmpdir(), "appwrite-emulator-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the state file", () => {
    it("saves every change and loads users, targets and indexes back after a restart", async () => {
        const file = join(dir, "state.json");
        const first = await startEmulator({ stateFile: file });
        const users = new Users(clientFor(first));
        await users.create({ userId: "kept", email: "kept@example.org", password: "a secret password" });
        await users.updateLabels({ userId: "kept", labels: ["vip"] });
        await users.createTarget({ userId: "kept", targetId: "push", providerType: MessagingProviderType.Push, identifier: "tok" });
        await first.stop();

        const text = readFileSync(file, "utf8");
        expect(text).toContain("kept@example.org");
        expect(text).not.toContain("a secret password");
        expect(readdirSync(dir)).toEqual(["state.json"]);

        const second = await startEmulator({ stateFile: file });
        const again = new Users(clientFor(second));
        const user = await again.get({ userId: "kept" });
        expect(user.labels).toEqual(["vip"]);
        expect(user.targets.map((t) => t.identifier)).toEqual(["kept@example.org", "tok"]);
        await expectError(again.create({ userId: "other", email: "KEPT@example.org" }), 409, "user_already_exists");
        await again.delete({ userId: "kept" });
        await second.stop();
        expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ users: [], targets: [] });
    });

    it("keeps sessions and recovery codes across a restart, with only the hash of a session secret on disk", async () => {
        const file = join(dir, "sessions.json");
        const first = await startEmulator({ stateFile: file });
        const users = new Users(clientFor(first));
        await users.create({ userId: "sessioned" });
        const session = await users.createSession({ userId: "sessioned" });
        const codes = await users.createMFARecoveryCodes({ userId: "sessioned" });
        await first.stop();

        const plainSecret = (JSON.parse(Buffer.from(session.secret, "base64").toString("utf8")) as { secret: string }).secret;
        expect(readFileSync(file, "utf8")).not.toContain(plainSecret);
        const second = await startEmulator({ stateFile: file });
        const again = new Users(clientFor(second));
        expect((await again.listSessions({ userId: "sessioned" })).sessions.map((s) => s.$id)).toEqual([session.$id]);
        expect(await again.getMFARecoveryCodes({ userId: "sessioned" })).toEqual(codes);
        await second.stop();
    });

    it("writes the file only for requests that changed something", async () => {
        const file = join(dir, "quiet.json");
        const emu = await startEmulator({ stateFile: file });
        const users = new Users(clientFor(emu));
        await users.list();
        expect(existsSync(file)).toBe(false);
        await users.create({ userId: "quiet", name: "Same" });
        expect(existsSync(file)).toBe(true);
        rmSync(file);
        await users.updateName({ userId: "quiet", name: "Same" });
        await expectError(users.get({ userId: "nobody" }), 404, "user_not_found");
        expect(existsSync(file)).toBe(false);
        await users.updateName({ userId: "quiet", name: "Changed" });
        expect(existsSync(file)).toBe(true);
        await emu.stop();
    });

    it("starts empty when the file does not exist yet", async () => {
        const emu = await startEmulator({ stateFile: join(dir, "new.json") });
        expect((await new Users(clientFor(emu)).list()).total).toBe(0);
        await emu.stop();
    });

    it("refuses a file it cannot parse and leaves it untouched", async () => {
        const file = join(dir, "broken.json");
        writeFileSync(file, "{ not json");
        await expect(startEmulator({ stateFile: file })).rejects.toThrow(StateFileError);
        await expect(startEmulator({ stateFile: file })).rejects.toThrow(/not valid JSON/);
        writeFileSync(file, JSON.stringify({ some: "thing" }));
        await expect(startEmulator({ stateFile: file })).rejects.toThrow(/not an emulator state file/);
        expect(readFileSync(file, "utf8")).toBe(JSON.stringify({ some: "thing" }));
    });

    it("refuses a path it cannot read", async () => {
        await expect(startEmulator({ stateFile: dir })).rejects.toThrow(StateFileError);
    });
});

const CLI = resolve(__dirname, "cli.ts");
const HINT = "Run `npm run emulator -- --help` for the options.";

function runCli(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: resolve(__dirname, "../.."), stdio: "pipe" });
    let out = "";
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    const firstLine = new Promise<string>((res, rej) => {
        child.stdout!.on("data", (c: Buffer) => {
            out += c.toString();
            if (out.includes("\n")) res(out.split("\n")[0]!);
        });
        child.on("exit", () => rej(new Error(`exited before printing: ${err}`)));
    });
    // Handled here so a test that only awaits the exit does not leave a rejection behind.
    firstLine.catch(() => undefined);
    const exit = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
    return { child, firstLine, exit, stderr: () => err };
}

describe("the CLI", () => {
    it("prints its endpoint first, serves the given project and key, saves state and stops on SIGTERM", async () => {
        const file = join(dir, "cli.json");
        const cli = runCli(["--port", "0", "--project", "cli-project", "--key", "cli-key", "--state", file]);
        const endpoint = await cli.firstLine;
        expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
        const users = new Users(clientFor({ endpoint, projectId: "cli-project", apiKey: "cli-key" }));
        await users.create({ userId: "from-cli" });
        cli.child.kill("SIGTERM");
        expect(await cli.exit).toBe(0);
        expect(readFileSync(file, "utf8")).toContain("from-cli");
    });

    it("stops cleanly on SIGINT too", async () => {
        const cli = runCli(["--port", "0", "--latency", "1"]);
        const endpoint = await cli.firstLine;
        const users = new Users(clientFor({ endpoint, projectId: "emulator-project", apiKey: "emulator-key" }));
        expect((await users.list()).total).toBe(0);
        cli.child.kill("SIGINT");
        expect(await cli.exit).toBe(0);
    });

    it("exits with a clear error for a state file it cannot parse", async () => {
        const file = join(dir, "cli-broken.json");
        writeFileSync(file, "[1, 2");
        const cli = runCli(["--port", "0", "--state", file]);
        expect(await cli.exit).toBe(2);
        expect(cli.stderr()).toMatch(
            new RegExp(
                `^emulator: Cannot use state file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: it is not valid JSON .*\n${HINT}\n$`,
            ),
        );
        expect(readFileSync(file, "utf8")).toBe("[1, 2");
    });

    it("answers an unknown option or a bad value with one line and the hint, and exit status 2", async () => {
        for (const [args, error] of [
            [["--prot", "8787"], "emulator: Unknown option '--prot'"],
            [["extra"], "emulator: Unexpected argument 'extra'. This command does not take positional arguments"],
            [["--port", "http"], 'emulator: --port must be an integer from 0 to 65535, got "http"'],
            [["--port", "70000"], 'emulator: --port must be an integer from 0 to 65535, got "70000"'],
            [["--latency=-5"], 'emulator: --latency must be an integer from 0 to 600000, got "-5"'],
        ] as const) {
            const cli = runCli([...args]);
            expect(await cli.exit, args.join(" ")).toBe(2);
            expect(cli.stderr()).toBe(`${error}\n${HINT}\n`);
        }
    });

    it("names a port already in use and how to pick another, with exit status 2", async () => {
        const holder = await startEmulator();
        const cli = runCli(["--port", String(holder.port)]);
        expect(await cli.exit).toBe(2);
        expect(cli.stderr()).toBe(
            `emulator: port ${holder.port} is already in use; choose another with --port, or --port 0 for a free one\n${HINT}\n`,
        );
        await holder.stop();
    });

    it("prints its options and exit statuses for --help and exits 0", async () => {
        const cli = runCli(["--help"]);
        expect(await cli.firstLine).toMatch(/^Usage: npm run emulator -- /);
        expect(await cli.exit).toBe(0);
    });

    it("prints the endpoint as the first line when started as the README shows, with npm run -s", async () => {
        // The README's command as written, but on a free port: 8787 may be taken on a shared machine.
        const command = readmeBlock("emulator-start").code.split("\n")[0]!;
        expect(command).toBe("npm run -s emulator -- --port 8787 --project my-project --key my-key");
        // In a process group of its own: npm does not pass SIGTERM on to the emulator, so the test stops the group.
        const child = spawn("sh", ["-c", `exec ${command.replace("--port 8787", "--port 0")}`], {
            cwd: resolve(__dirname, "../.."),
            stdio: "pipe",
            detached: true,
        });
        let out = "";
        const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
        try {
            const firstLine = await new Promise<string>((res, rej) => {
                child.stdout.on("data", (c: Buffer) => {
                    out += c.toString();
                    if (out.includes("\n")) res(out.split("\n")[0]!);
                });
                child.on("exit", (code) => rej(new Error(`npm run -s emulator exited ${code} before printing`)));
            });
            expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
            const users = new Users(clientFor({ endpoint: firstLine, projectId: "my-project", apiKey: "my-key" }));
            expect((await users.list()).total).toBe(0);
        } finally {
            process.kill(-child.pid!, "SIGTERM");
            await exited;
        }
    });
});
