import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PASSPHRASE, INSTALL_HELP, main, QUICKSTART_CONFIG, ROOT, targetFromEnv } from "../../scripts/stack";

const nodeDir = path.dirname(process.execPath);

/**
 * A stand-in for the pulumi CLI: it records each call (arguments, stdin, backend settings) and keeps
 * `config set` values, and for `up` lists users at the configured endpoint to prove Appwrite answers
 * while the command runs.
 */
const FAKE_PULUMI = `#!/usr/bin/env node
const fs = require("fs");
const path = require("path");
const dir = __dirname;
const args = process.argv.slice(2);
const stdin = args[0] === "config" ? fs.readFileSync(0, "utf8") : "";
const configFile = path.join(dir, "config.json");
const config = fs.existsSync(configFile) ? JSON.parse(fs.readFileSync(configFile, "utf8")) : {};
fs.appendFileSync(path.join(dir, "calls.jsonl"), JSON.stringify({
    args, stdin, cwd: process.cwd(),
    backend: process.env.PULUMI_BACKEND_URL, passphrase: process.env.PULUMI_CONFIG_PASSPHRASE,
    resolved: (() => { try { return require.resolve("pulumi-appwrite-users/package.json"); } catch { return null; } })(),
}) + "\\n");
if (args[0] === "version") { console.log("v3.270.0"); process.exit(0); }
if (args[0] === "config" && args[1] === "set") {
    const key = args.filter((a) => !a.startsWith("-") && a !== "config" && a !== "set" && a !== "dev")[0];
    config[key] = stdin;
    fs.writeFileSync(configFile, JSON.stringify(config));
}
if (args[0] === "up") {
    const headers = { "x-appwrite-project": config["appwrite:projectId"], "x-appwrite-key": config["appwrite:apiKey"], "content-type": "application/json" };
    const users = config["appwrite:endpoint"] + "/users";
    const create = process.env.FAKE_CREATE
        ? fetch(users, { method: "POST", headers, body: JSON.stringify({ userId: process.env.FAKE_CREATE }) })
        : Promise.resolve();
    create
        .then(() => fetch(users, { headers }))
        .then(async (r) => {
            fs.writeFileSync(path.join(dir, "up-status"), r.status + " " + (await r.json()).total);
            process.exit(Number(process.env.FAKE_EXIT || 0));
        });
}
`;

let scratch: string;
let fakeBin: string;

function calls(): { args: string[]; stdin: string; cwd: string; backend: string; passphrase: string; resolved: string | null }[] {
    return fs
        .readFileSync(path.join(fakeBin, "calls.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
}

beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "stack-script-"));
    fakeBin = path.join(scratch, "bin");
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, "pulumi"), FAKE_PULUMI, { mode: 0o755 });
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("npm run up | preview | refresh | destroy", () => {
    it("says how to install the pulumi CLI and exits non-zero when there is none on PATH", () => {
        const emptyBin = path.join(scratch, "empty");
        fs.mkdirSync(emptyBin);
        const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "stack.ts"), "up"], {
            cwd: ROOT,
            env: { PATH: emptyBin, HOME: scratch },
            encoding: "utf8",
        });
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(INSTALL_HELP);
        expect(result.stderr).not.toContain("emulator at");
    });

    it("starts the emulator, prepares the dev stack on a local backend and runs the command against it", async () => {
        const env = { PATH: `${fakeBin}${path.delimiter}${nodeDir}`, HOME: scratch, APPWRITE_EMULATOR_PORT: "0" };
        expect(await main(["up", "--yes"], env, scratch)).toBe(0);

        const log = calls();
        expect(log.map((c) => c.args.filter((a) => a !== "--non-interactive").join(" "))).toEqual([
            "version",
            "stack select dev --create",
            "config set --stack dev appwrite:endpoint",
            "config set --stack dev appwrite:projectId",
            "config set --stack dev --secret appwrite:apiKey",
            "up --stack dev --yes",
        ]);
        for (const call of log.slice(1)) {
            expect(call.backend).toBe(`file://${path.join(scratch, ".pulumi")}`);
            expect(call.passphrase).toBe(DEFAULT_PASSPHRASE);
        }
        expect(log.slice(1).every((call) => call.cwd === scratch)).toBe(true);
        // The quickstart's config (its secrets under the default passphrase) starts the dev stack's, and the
        // package resolves from the project directory the way Pulumi's program and provider host load it.
        expect(fs.readFileSync(path.join(scratch, "Pulumi.dev.yaml"), "utf8")).toBe(fs.readFileSync(QUICKSTART_CONFIG, "utf8"));
        expect(log.slice(1).map((call) => call.resolved)).toEqual(log.slice(1).map(() => fs.realpathSync(path.join(ROOT, "package.json"))));
        expect(log[2]?.stdin).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
        expect(fs.readFileSync(path.join(fakeBin, "up-status"), "utf8")).toBe("200 0");
    });

    it("keeps the emulator's users in .state between runs", async () => {
        const env = { PATH: `${fakeBin}${path.delimiter}${nodeDir}`, HOME: scratch, APPWRITE_EMULATOR_PORT: "0" };
        expect(await main(["up"], { ...env, FAKE_CREATE: "kept-user" }, scratch)).toBe(0);
        expect(await main(["up"], env, scratch)).toBe(0);
        expect(fs.readFileSync(path.join(fakeBin, "up-status"), "utf8")).toBe("200 1");
        expect(fs.readFileSync(path.join(scratch, ".state", "emulator.json"), "utf8")).toContain("kept-user");
    });

    it("passes the command's exit code on", async () => {
        const env = { PATH: `${fakeBin}${path.delimiter}${nodeDir}`, HOME: scratch, APPWRITE_EMULATOR_PORT: "0", FAKE_EXIT: "3" };
        expect(await main(["up"], env, scratch)).toBe(3);
    });

    it("targets the Appwrite in APPWRITE_* instead of the emulator, keeping the key out of the arguments", async () => {
        const env = {
            PATH: `${fakeBin}${path.delimiter}${nodeDir}`,
            HOME: scratch,
            APPWRITE_ENDPOINT: "https://appwrite.example.org/v1",
            APPWRITE_PROJECT_ID: "staging",
            APPWRITE_API_KEY: "standard_abc",
            PULUMI_CONFIG_PASSPHRASE: "mine",
        };
        expect(await main(["preview"], env, scratch)).toBe(0);
        const log = calls();
        expect(log.map((c) => c.stdin).filter((s) => s !== "").slice(0, 3)).toEqual(["https://appwrite.example.org/v1", "staging", "standard_abc"]);
        expect(log.flatMap((c) => c.args).join(" ")).not.toContain("standard_abc");
        expect(log.at(-1)?.args).toContain("preview");
        expect(log.every((c) => c.passphrase === "mine")).toBe(true);
        expect(fs.existsSync(path.join(scratch, ".state", "emulator.json"))).toBe(false);
        // The quickstart's secrets are encrypted with the default passphrase, so with another one its
        // password secret is generated instead of copied.
        expect(fs.existsSync(path.join(scratch, "Pulumi.dev.yaml"))).toBe(false);
        const generated = log.find((c) => c.args.includes("appwrite-users-quickstart:ciBotPassword"));
        expect(generated?.args).toContain("--secret");
        expect(generated?.stdin).toMatch(/^Qs-[A-Za-z0-9_-]{24}$/);
    });

    it("refuses a partial APPWRITE_* setup and names what is missing", () => {
        expect(() => targetFromEnv({ APPWRITE_ENDPOINT: "https://a.example.org/v1", APPWRITE_PROJECT_ID: "p" })).toThrow(
            "APPWRITE_ENDPOINT is set, so APPWRITE_API_KEY must be set too (an API key with users.read and users.write)",
        );
        expect(() => targetFromEnv({ APPWRITE_API_KEY: "k" })).toThrow(
            "APPWRITE_API_KEY is set but APPWRITE_ENDPOINT is not: set all three of APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID, APPWRITE_API_KEY to use your own Appwrite, or none to use the local emulator",
        );
        expect(targetFromEnv({})).toBeUndefined();
    });

    it("rejects a command other than up, preview, refresh and destroy", async () => {
        expect(await main(["import"], { PATH: fakeBin }, scratch)).toBe(1);
    });
});
