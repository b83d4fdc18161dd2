/**
 * `npm run setup:pulumi`: builds the `pulumi` CLI this project is tested with from its Go modules
 * (scripts/pulumi-cli/go.mod), once, into a cache keyed by the version and the module files, and puts the
 * dynamic-provider plugin (`pulumi-resource-pulumi-nodejs`, shipped inside `@pulumi/pulumi`) next to it.
 * A second run finds the cache and returns at once. Tests, benchmarks and `npm run up` call `ensurePulumiCli`.
 */
import { spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const PULUMI_CLI_VERSION = "v3.276.0";
const ROOT = path.resolve(__dirname, "..");
const MODULE_DIR = path.join(ROOT, "scripts", "pulumi-cli");
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const VERSION_VARIABLE = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";
const PLUGIN = "pulumi-resource-pulumi-nodejs";

export class PulumiSetupError extends Error {
    override name = "PulumiSetupError";
}

/** The cache folder for this version and these module files: a change of either builds anew. */
export function pulumiCliDir(env: NodeJS.ProcessEnv = process.env): string {
    const base =
        env.PULUMI_APPWRITE_USERS_CACHE || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-appwrite-users");
    const key = createHash("sha256");
    for (const file of ["go.mod", "go.sum"]) key.update(fs.readFileSync(path.join(MODULE_DIR, file)));
    return path.join(base, `pulumi-${PULUMI_CLI_VERSION}-${key.digest("hex").slice(0, 12)}`, "bin");
}

/**
 * Settings that keep the CLI offline and out of the user's own Pulumi home: no update check, and a missing
 * plugin fails at once instead of trying a download.
 */
export function offlinePulumiEnv(pulumiHome: string): Record<string, string> {
    return {
        PULUMI_HOME: pulumiHome,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
}

/** The `go` command: on PATH, else in GOROOT when set, else in Go's default install location. */
export function findGo(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const candidates = ["go", env.GOROOT ? path.join(env.GOROOT, "bin", "go") : "/usr/local/go/bin/go"];
    return candidates.find((go) => spawnSync(go, ["version"], { stdio: "ignore", env }).status === 0);
}

/** The bin folder of a built CLI, or undefined when the cache has none. */
export function builtPulumiCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const dir = pulumiCliDir(env);
    return fs.existsSync(path.join(dir, "pulumi")) && fs.existsSync(path.join(dir, PLUGIN)) ? dir : undefined;
}

function installPlugin(dir: string): void {
    const source = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] })), PLUGIN);
    const target = path.join(dir, PLUGIN);
    fs.copyFileSync(source, `${target}.tmp`);
    fs.chmodSync(`${target}.tmp`, 0o755);
    fs.renameSync(`${target}.tmp`, target);
}

function run(
    command: string,
    args: string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
    log: (line: string) => void,
    what: string,
): Promise<void> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        const ticker = setInterval(() => log(`  ... ${what}: ${Math.round((Date.now() - started) / 1000)} s`), 20_000);
        child.on("error", (error) => {
            clearInterval(ticker);
            reject(error);
        });
        child.on("exit", (code) => {
            clearInterval(ticker);
            if (code === 0) resolve();
            else reject(new PulumiSetupError(`${what} failed (exit ${code}):\n${output.trim().split("\n").slice(-30).join("\n")}`));
        });
    });
}

export interface EnsureOptions {
    env?: NodeJS.ProcessEnv;
    /** Where progress goes; stderr by default. */
    log?: (line: string) => void;
}

/** Returns the bin folder holding `pulumi` and the dynamic-provider plugin, building them when the cache has none. */
export async function ensurePulumiCli(options: EnsureOptions = {}): Promise<string> {
    const env = options.env ?? process.env;
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const cached = builtPulumiCli(env);
    if (cached !== undefined) return cached;

    // Test files run in parallel workers, each of which may get here on a cold cache: one builds, the others wait.
    const release = await buildLock(pulumiCliDir(env), log);
    try {
        return builtPulumiCli(env) ?? (await buildPulumiCli(env, log));
    } finally {
        release();
    }
}

async function buildPulumiCli(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string> {
    const go = findGo(env);
    if (go === undefined) {
        throw new PulumiSetupError(
            "Building the Pulumi CLI needs Go 1.26 or newer, and no `go` was found (PATH, GOROOT, /usr/local/go). Install Go, or install the Pulumi CLI (https://www.pulumi.com/docs/install/) and put it on PATH.",
        );
    }
    const dir = pulumiCliDir(env);
    const started = Date.now();
    log(`Building the Pulumi CLI ${PULUMI_CLI_VERSION} from its Go modules into ${dir} (a few minutes the first time)`);
    const goEnv = { ...env, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local" };
    log("  downloading Go modules (go mod download)");
    await run(go, ["mod", "download"], MODULE_DIR, goEnv, log, "go mod download");
    log(`  downloaded in ${Math.round((Date.now() - started) / 1000)} s; compiling ${CLI_PACKAGE}`);
    fs.mkdirSync(dir, { recursive: true });
    const partial = path.join(dir, `pulumi.partial-${process.pid}`);
    await run(
        go,
        ["build", "-trimpath", "-ldflags", `-s -w -X ${VERSION_VARIABLE}=${PULUMI_CLI_VERSION}`, "-o", partial, CLI_PACKAGE],
        MODULE_DIR,
        goEnv,
        log,
        "go build",
    );
    installPlugin(dir);
    fs.renameSync(partial, path.join(dir, "pulumi"));
    const size = fs.statSync(path.join(dir, "pulumi")).size;
    log(`Built pulumi ${PULUMI_CLI_VERSION} (${(size / 2 ** 20).toFixed(0)} MiB) in ${Math.round((Date.now() - started) / 1000)} s`);
    return dir;
}

/**
 * Takes the build lock of a cache folder: a directory holding the builder's process ID, taken over when that
 * process is gone (a build killed part-way). Returns its release.
 */
async function buildLock(dir: string, log: (line: string) => void): Promise<() => void> {
    const lock = `${dir}.lock`;
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    let announced = false;
    for (;;) {
        try {
            fs.mkdirSync(lock);
            fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
            return () => fs.rmSync(lock, { recursive: true, force: true });
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
        const holder = Number(readOrEmpty(path.join(lock, "pid")));
        if (holder > 0 && !isRunning(holder)) {
            fs.rmSync(lock, { recursive: true, force: true });
            continue;
        }
        if (!announced) log(`Waiting for process ${holder || "?"}, which is building the Pulumi CLI into ${dir}`);
        announced = true;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
}

function readOrEmpty(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return "";
    }
}

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

if (require.main === module) {
    const started = Date.now();
    ensurePulumiCli().then(
        (dir) => {
            const version = spawnSync(path.join(dir, "pulumi"), ["version"], {
                encoding: "utf8",
                env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
            });
            process.stdout.write(`pulumi ${version.stdout.trim()} at ${dir} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
        },
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
