/**
 * `npm run up | preview | refresh | destroy`: runs the quickstart (the root Pulumi.yaml) on the `dev`
 * stack. With APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID and APPWRITE_API_KEY set it targets that Appwrite;
 * otherwise it starts the local emulator, keeping its users in .state/ between runs. Pulumi's state lives
 * in .pulumi/ (a file:// backend), so nothing here needs a Pulumi account. The stack's config is the
 * git-ignored Pulumi.dev.yaml, first copied from examples/quickstart/Pulumi.dev.yaml.
 */
import { spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

export const COMMANDS = ["up", "preview", "refresh", "destroy"] as const;
export type Command = (typeof COMMANDS)[number];

export const ROOT = path.resolve(__dirname, "..");
export const STACK = "dev";
/** Passphrase of the local dev stack's secrets; set PULUMI_CONFIG_PASSPHRASE to use another. */
export const DEFAULT_PASSPHRASE = "appwrite-users-dev";
/**
 * A fixed port, because `pulumi refresh` and `pulumi destroy` configure the provider with the config of
 * the last `up`: an endpoint on a port that changed between runs would be unreachable for them.
 */
export const DEFAULT_EMULATOR_PORT = 8787;
const EMULATOR_PROJECT = "quickstart";
const EMULATOR_KEY = "quickstart-dev-key";

export const INSTALL_HELP = [
    "The pulumi CLI was not found on PATH. Install it, then run this again:",
    "  curl -fsSL https://get.pulumi.com | sh      (Linux, macOS)",
    "  brew install pulumi/tap/pulumi               (macOS)",
    "  winget install pulumi                        (Windows)",
    "See https://www.pulumi.com/docs/install/ for other ways.",
].join("\n");

export interface Target {
    endpoint: string;
    projectId: string;
    apiKey: string;
    selfSigned?: string;
}

export class StackScriptError extends Error {
    override name = "StackScriptError";
}

/** The Appwrite from the environment, undefined when none is set, or an error naming what is missing. */
export function targetFromEnv(env: NodeJS.ProcessEnv): Target | undefined {
    const names = ["APPWRITE_ENDPOINT", "APPWRITE_PROJECT_ID", "APPWRITE_API_KEY"] as const;
    const set = names.filter((n) => env[n]);
    if (set.length === 0) return undefined;
    if (!env.APPWRITE_ENDPOINT) {
        throw new StackScriptError(
            `${set.join(" and ")} ${set.length === 1 ? "is" : "are"} set but APPWRITE_ENDPOINT is not: set all three of ${names.join(", ")} to use your own Appwrite, or none to use the local emulator`,
        );
    }
    const missing = names.filter((n) => !env[n]);
    if (missing.length > 0) {
        throw new StackScriptError(`APPWRITE_ENDPOINT is set, so ${missing.join(" and ")} must be set too (an API key with users.read and users.write)`);
    }
    return {
        endpoint: env.APPWRITE_ENDPOINT,
        projectId: env.APPWRITE_PROJECT_ID as string,
        apiKey: env.APPWRITE_API_KEY as string,
        ...(env.APPWRITE_SELF_SIGNED ? { selfSigned: env.APPWRITE_SELF_SIGNED } : {}),
    };
}

/** True when `pulumi version` runs. */
export function hasPulumiCli(env: NodeJS.ProcessEnv): boolean {
    const result = spawnSync("pulumi", ["version"], { env, stdio: "ignore" });
    return result.error === undefined && result.status === 0;
}

function pulumi(args: string[], env: NodeJS.ProcessEnv, root: string, input?: string): void {
    const result = spawnSync("pulumi", args, { cwd: root, env, input, stdio: [input === undefined ? "ignore" : "pipe", "inherit", "inherit"] });
    if (result.error !== undefined || result.status !== 0) {
        throw new StackScriptError(`pulumi ${args.filter((a) => a !== "--non-interactive").join(" ")} failed${result.status !== null ? ` (exit ${result.status})` : ""}`);
    }
}

export const QUICKSTART_CONFIG = path.join(ROOT, "examples", "quickstart", `Pulumi.${STACK}.yaml`);

/**
 * Starts the stack's config from the quickstart's, whose secrets are encrypted with the default
 * passphrase. With another passphrase they cannot be read, so the quickstart's own secrets (not the
 * Appwrite ones, which are set next) get fresh random values instead. Returns the keys to generate.
 */
function seedStackConfig(env: NodeJS.ProcessEnv, root: string): string[] {
    const file = path.join(root, `Pulumi.${STACK}.yaml`);
    if (fs.existsSync(file)) return [];
    if (env.PULUMI_CONFIG_PASSPHRASE === DEFAULT_PASSPHRASE) {
        fs.copyFileSync(QUICKSTART_CONFIG, file);
        return [];
    }
    const doc = parseYaml(fs.readFileSync(QUICKSTART_CONFIG, "utf8")) as { config?: Record<string, unknown> };
    return Object.entries(doc.config ?? {})
        .filter(([key, value]) => !key.startsWith("appwrite:") && typeof value === "object" && value !== null && "secure" in value)
        .map(([key]) => key);
}

/** Selects (or creates) the dev stack and writes the Appwrite settings into its config. */
export function prepareStack(target: Target, env: NodeJS.ProcessEnv, root: string = ROOT): void {
    const generate = seedStackConfig(env, root);
    pulumi(["stack", "select", STACK, "--create", "--non-interactive"], env, root);
    const set = (key: string, value: string, secret = false) =>
        pulumi(["config", "set", "--stack", STACK, ...(secret ? ["--secret"] : []), key, "--non-interactive"], env, root, value);
    set("appwrite:endpoint", target.endpoint);
    set("appwrite:projectId", target.projectId);
    set("appwrite:apiKey", target.apiKey, true);
    if (target.selfSigned !== undefined) set("appwrite:selfSigned", target.selfSigned);
    for (const key of generate) set(key, `Qs-${randomBytes(18).toString("base64url")}`, true);
}

/**
 * Pulumi loads the package from the project directory, where a package cannot install itself: a link
 * on NODE_PATH lets the program and the provider host `require("pulumi-appwrite-users")` this checkout.
 */
export function linkSelf(env: NodeJS.ProcessEnv, root: string): NodeJS.ProcessEnv {
    const dir = path.join(root, ".state", "node_path");
    const link = path.join(dir, "pulumi-appwrite-users");
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(link, "package.json"))) {
        fs.rmSync(link, { force: true });
        fs.symlinkSync(ROOT, link, "dir");
    }
    return { ...env, NODE_PATH: env.NODE_PATH ? `${dir}${path.delimiter}${env.NODE_PATH}` : dir };
}

/** The provider host loads the built package; a fresh clone is built by `npm install`, this covers the rest. */
function ensureBuilt(): void {
    if (fs.existsSync(path.join(ROOT, "dist", "provider", "index.js")) && fs.existsSync(path.join(ROOT, "dist", "sdk", "index.js"))) return;
    process.stderr.write("Building the package (dist/ is missing)...\n");
    const result = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], {
        stdio: "inherit",
    });
    if (result.status !== 0) throw new StackScriptError("npm run build failed; fix the errors above and run this again");
}

/** The environment of every pulumi call: the local backend and passphrase unless the user set their own. */
export function pulumiEnv(env: NodeJS.ProcessEnv, root: string = ROOT): NodeJS.ProcessEnv {
    const backendDir = path.join(root, ".pulumi");
    fs.mkdirSync(backendDir, { recursive: true });
    return {
        ...env,
        PULUMI_BACKEND_URL: env.PULUMI_BACKEND_URL || `file://${backendDir}`,
        ...(env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined
            ? { PULUMI_CONFIG_PASSPHRASE: DEFAULT_PASSPHRASE }
            : {}),
    };
}

function runInteractive(args: string[], env: NodeJS.ProcessEnv, root: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn("pulumi", args, { cwd: root, env, stdio: "inherit" });
        child.on("error", reject);
        child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
}

/** `root` holds Pulumi.yaml, .pulumi/ and .state/; tests point it at a scratch directory. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, root: string = ROOT): Promise<number> {
    const [command, ...rest] = argv;
    if (!COMMANDS.includes(command as Command)) {
        process.stderr.write(`usage: tsx scripts/stack.ts <${COMMANDS.join("|")}> [pulumi options...]\n`);
        return 1;
    }
    if (!hasPulumiCli(env)) {
        process.stderr.write(`${INSTALL_HELP}\n`);
        return 1;
    }
    ensureBuilt();
    const withBackend = linkSelf(pulumiEnv(env, root), root);
    let target = targetFromEnv(env);
    let stopEmulator: (() => Promise<void>) | undefined;
    if (target === undefined) {
        const { startEmulator } = await import("../test/emulator");
        fs.mkdirSync(path.join(root, ".state"), { recursive: true });
        const port = Number(env.APPWRITE_EMULATOR_PORT || DEFAULT_EMULATOR_PORT);
        const emulator = await startEmulator({
            port,
            projectId: EMULATOR_PROJECT,
            apiKey: EMULATOR_KEY,
            stateFile: path.join(root, ".state", "emulator.json"),
        });
        process.stderr.write(`Appwrite emulator at ${emulator.endpoint} (project ${emulator.projectId}); users kept in .state/emulator.json\n`);
        target = { endpoint: emulator.endpoint, projectId: emulator.projectId, apiKey: emulator.apiKey };
        stopEmulator = () => emulator.stop();
    } else {
        process.stderr.write(`Using the Appwrite at ${target.endpoint} (project ${target.projectId})\n`);
    }
    try {
        prepareStack(target, withBackend, root);
        return await runInteractive([command as Command, "--stack", STACK, ...rest], withBackend, root);
    } finally {
        await stopEmulator?.();
    }
}

if (require.main === module) {
    main(process.argv.slice(2), process.env).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
