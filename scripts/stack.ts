/**
 * `npm run up | preview | refresh | destroy`: runs the quickstart (the root Pulumi.yaml) on the `dev`
 * stack with the real `pulumi` CLI, through the Automation API (scripts/pulumi-stack.ts). With
 * APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID and APPWRITE_API_KEY set it targets that Appwrite; otherwise it
 * starts the local emulator, keeping its users in .state/ between runs. Pulumi's state lives in .pulumi/
 * (a file:// backend), so nothing here needs a Pulumi account. The stack's config is the git-ignored
 * Pulumi.dev.yaml, first copied from scripts/quickstart-dev-stack.yaml (kept out of the example, whose copies
 * are users' projects and should not carry this repository's encrypted values).
 */
import { spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as Module from "module";
import type { Stack } from "@pulumi/pulumi/automation";
import { parse as parseYaml } from "yaml";
import { exitCodeOf, openStack } from "./pulumi-stack";
import { builtPulumiCli, ensurePulumiCli, findGo } from "./setup-pulumi";

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
    "The pulumi CLI was not found on PATH, none was built by `npm run setup:pulumi`, and there is no Go to build one.",
    "Install Go 1.26+ and run `npm run setup:pulumi`, or install the CLI, then run this again:",
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
        throw new StackScriptError(
            `APPWRITE_ENDPOINT is set, so ${missing.join(" and ")} must be set too (an API key with users.read and users.write)`,
        );
    }
    return {
        endpoint: env.APPWRITE_ENDPOINT,
        projectId: env.APPWRITE_PROJECT_ID as string,
        apiKey: env.APPWRITE_API_KEY as string,
        ...(env.APPWRITE_SELF_SIGNED ? { selfSigned: env.APPWRITE_SELF_SIGNED } : {}),
    };
}

export const QUICKSTART_CONFIG = path.join(ROOT, "scripts", "quickstart-dev-stack.yaml");

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

/**
 * The bin folder of the CLI to use: a `pulumi` on PATH, else the one `npm run setup:pulumi` built, else one
 * built now when Go is there. Undefined when there is none and no way to build one.
 */
export async function findPulumiCli(env: NodeJS.ProcessEnv): Promise<string | undefined> {
    const which = spawnSync("sh", ["-c", "command -v pulumi"], { env, encoding: "utf8" });
    const onPath = which.status === 0 ? which.stdout.trim() : "";
    if (onPath !== "" && spawnSync(onPath, ["version"], { env, stdio: "ignore" }).status === 0)
        return path.dirname(fs.realpathSync(onPath));
    const built = builtPulumiCli(env);
    if (built !== undefined) return built;
    if (findGo(env) === undefined) return undefined;
    process.stderr.write("No pulumi CLI on PATH: building one from its Go modules (once; later runs reuse it).\n");
    return ensurePulumiCli({ env });
}

/** The pulumi options the scripts pass on; Automation API runs every command non-interactively (`--yes`). */
interface Flags {
    refresh?: boolean;
    expectNoChanges?: boolean;
    diff?: boolean;
    parallel?: number;
}

export function parseFlags(args: readonly string[]): Flags {
    const flags: Flags = {};
    for (let i = 0; i < args.length; i++) {
        const arg = args[i] as string;
        const [name, inline] = arg.split("=", 2) as [string, string | undefined];
        if (name === "--refresh" || name === "-r") flags.refresh = true;
        else if (name === "--expect-no-changes") flags.expectNoChanges = true;
        else if (name === "--diff") flags.diff = true;
        else if (name === "--yes" || name === "-y" || name === "--skip-preview") continue;
        else if (name === "--parallel" || name === "-p") {
            const value = Number(inline ?? args[++i]);
            if (!Number.isInteger(value) || value < 1) throw new StackScriptError(`${name} needs a whole number of at least 1`);
            flags.parallel = value;
        } else
            throw new StackScriptError(
                `unsupported option ${arg}: the scripts pass on --refresh, --expect-no-changes, --diff and --parallel N`,
            );
    }
    return flags;
}

async function runCommand(stack: Stack, command: Command, flags: Flags): Promise<void> {
    const onOutput = (text: string) => process.stdout.write(text);
    if (command === "up") await stack.up({ ...flags, onOutput });
    else if (command === "preview") await stack.preview({ ...flags, onOutput });
    else if (command === "refresh") await stack.refresh({ ...flags, onOutput });
    else await stack.destroy({ ...flags, onOutput });
}

/** `root` holds Pulumi.yaml, .pulumi/ and .state/; tests point it at a scratch directory. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, root: string = ROOT): Promise<number> {
    const [command, ...rest] = argv;
    if (!COMMANDS.includes(command as Command)) {
        process.stderr.write(`usage: npm run <${COMMANDS.join("|")}> [-- --refresh --expect-no-changes --diff --parallel N]\n`);
        return 1;
    }
    const flags = parseFlags(rest);
    const cliDir = await findPulumiCli(env);
    if (cliDir === undefined) {
        process.stderr.write(`${INSTALL_HELP}\n`);
        return 1;
    }
    ensureBuilt();
    const withBackend = linkSelf(pulumiEnv(env, root), root);
    // This process runs the program (an inline program), so its own module search needs the link too.
    process.env.NODE_PATH = withBackend.NODE_PATH;
    (Module as unknown as { _initPaths(): void })._initPaths();
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
        process.stderr.write(
            `Appwrite emulator at ${emulator.endpoint} (project ${emulator.projectId}); users kept in .state/emulator.json\n`,
        );
        target = { endpoint: emulator.endpoint, projectId: emulator.projectId, apiKey: emulator.apiKey };
        stopEmulator = () => emulator.stop();
    } else {
        process.stderr.write(`Using the Appwrite at ${target.endpoint} (project ${target.projectId})\n`);
    }
    try {
        const generate = seedStackConfig(withBackend, root);
        const stack = await openStack({
            workDir: root,
            stackName: STACK,
            cliDir,
            backendDir: path.join(root, ".pulumi"),
            passphrase: withBackend.PULUMI_CONFIG_PASSPHRASE ?? "",
            env: pickDefined({
                NODE_PATH: withBackend.NODE_PATH,
                PULUMI_BACKEND_URL: withBackend.PULUMI_BACKEND_URL,
                PULUMI_CONFIG_PASSPHRASE_FILE: withBackend.PULUMI_CONFIG_PASSPHRASE_FILE,
            }),
        });
        await stack.setAllConfig({
            "appwrite:endpoint": { value: target.endpoint },
            "appwrite:projectId": { value: target.projectId },
            "appwrite:apiKey": { value: target.apiKey, secret: true },
            ...(target.selfSigned !== undefined ? { "appwrite:selfSigned": { value: target.selfSigned } } : {}),
            ...Object.fromEntries(generate.map((key) => [key, { value: `Qs-${randomBytes(18).toString("base64url")}`, secret: true }])),
        });
        await runCommand(stack, command as Command, flags);
        return 0;
    } catch (error) {
        const code = exitCodeOf(error);
        if (code === undefined) throw error;
        process.stderr.write(`pulumi ${command} failed (exit ${code})${error instanceof Error ? `:\n${stderrOf(error)}` : ""}\n`);
        return code;
    } finally {
        await stopEmulator?.();
    }
}

function pickDefined(values: Record<string, string | undefined>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The CLI's own error lines from an Automation API CommandError, without its stdout, already shown. */
function stderrOf(error: Error): string {
    const match = /stderr: ([\s\S]*?)(\n err\?:|$)/.exec(error.message);
    return (match?.[1] ?? error.message).trim();
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
