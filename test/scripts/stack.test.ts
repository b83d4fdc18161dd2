import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INSTALL_HELP, main, parseFlags, ROOT, targetFromEnv } from "../../scripts/stack";

const nodeDir = path.dirname(process.execPath);
let scratch: string;

beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "stack-script-"));
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
        server.once("error", reject);
    });
}

/** The repository as a fresh clone has it: tracked files, and new ones not ignored, without build output. */
function copyRepository(target: string): void {
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
        .split("\0")
        .filter((f) => f !== "" && fs.existsSync(path.join(ROOT, f)));
    for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(target, file));
    }
}

describe("npm run up | preview | refresh | destroy", () => {
    it("says how to get the pulumi CLI, and exits 1, when there is none on PATH, none built and no Go to build one", () => {
        const emptyBin = path.join(scratch, "empty");
        fs.mkdirSync(emptyBin);
        const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "stack.ts"), "up"], {
            cwd: ROOT,
            env: { PATH: emptyBin, HOME: scratch, GOROOT: path.join(scratch, "no-go"), PULUMI_APPWRITE_USERS_CACHE: scratch },
            encoding: "utf8",
        });
        expect(result.stderr).toContain(INSTALL_HELP);
        expect(result.status).toBe(1);
        expect(result.stderr).not.toContain("emulator at");
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

    it("passes --refresh, --expect-no-changes, --diff and --parallel on, and refuses other options by name", () => {
        expect(parseFlags(["--refresh", "--expect-no-changes", "--diff", "--parallel", "4", "--yes"])).toEqual({
            refresh: true,
            expectNoChanges: true,
            diff: true,
            parallel: 4,
        });
        expect(parseFlags(["--parallel=2"])).toEqual({ parallel: 2 });
        expect(() => parseFlags(["--target", "urn"])).toThrow("unsupported option --target");
        expect(() => parseFlags(["--parallel", "none"])).toThrow("--parallel needs a whole number of at least 1");
    });

    it("rejects a command other than up, preview, refresh and destroy", async () => {
        expect(await main(["import"], { PATH: scratch }, scratch)).toBe(1);
    });

    it(
        "on a fresh copy of the repository with its dependencies and no dist/, npm run up builds the package and deploys the quickstart to the emulator with the real CLI, npm run preview shows no changes and npm run destroy removes everything",
        { timeout: 900_000 },
        async () => {
            const repo = path.join(scratch, "repo");
            copyRepository(repo);
            const env: NodeJS.ProcessEnv = {
                ...process.env,
                PATH: `${nodeDir}${path.delimiter}${(process.env.PATH ?? "")
                    .split(path.delimiter)
                    .filter((d) => !fs.existsSync(path.join(d, "pulumi")))
                    .join(path.delimiter)}`,
                APPWRITE_EMULATOR_PORT: String(await freePort()),
                CI: "true",
            };
            for (const key of [
                "APPWRITE_ENDPOINT",
                "APPWRITE_PROJECT_ID",
                "APPWRITE_API_KEY",
                "PULUMI_BACKEND_URL",
                "PULUMI_CONFIG_PASSPHRASE",
                "NODE_PATH",
            ])
                delete env[key];
            const npm = (...args: string[]) => {
                const run = spawnSync("npm", args, { cwd: repo, env, encoding: "utf8" });
                return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
            };

            // The repository's own dependencies: what `npm install` puts there is CI's own `npm ci`, and the
            // `prepare` build it runs is the git install's (test/install/routes.test.ts). Without dist/, `npm run up` builds it.
            fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");

            const up = npm("run", "up");
            expect(up.status, up.out).toBe(0);
            expect(up.out).toContain("Building the package (dist/ is missing)");
            expect(fs.existsSync(path.join(repo, "dist", "provider", "index.js"))).toBe(true);
            expect(up.out).toMatch(/Outputs:\s+serviceAccountId\s*:\s*"ci-bot"/);
            expect(up.out).toMatch(/16 created/);
            const stored = JSON.parse(fs.readFileSync(path.join(repo, ".state", "emulator.json"), "utf8")) as { users: { $id: string }[] };
            expect(stored.users.map((u) => u.$id).sort()).toEqual(["ci-bot", "test-alice", "test-bob"]);

            const preview = npm("run", "preview", "--", "--expect-no-changes");
            expect(preview.status, preview.out).toBe(0);
            expect(preview.out).toMatch(/16 unchanged/);

            const destroy = npm("run", "destroy");
            expect(destroy.status, destroy.out).toBe(0);
            expect(destroy.out).toMatch(/16 deleted/);
            const after = JSON.parse(fs.readFileSync(path.join(repo, ".state", "emulator.json"), "utf8")) as { users: unknown[] };
            expect(after.users).toEqual([]);
        },
    );
});
