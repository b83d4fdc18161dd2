/**
 * The real `pulumi` CLI against the emulator: a consumer project in a temporary directory (an example's files
 * and the package installed under its node_modules, the way users get it), a `file://` backend beside it, and
 * the Automation API driving the CLI. Every operation records the engine's steps.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PreviewResult, Stack, UpResult } from "@pulumi/pulumi/automation";
import { Client, Users } from "node-appwrite";
import { StepLog, cliEnv, openStack } from "../../scripts/pulumi-stack";
import { ensurePulumiCli } from "../../scripts/setup-pulumi";
import { Emulator, EmulatorOptions, startEmulator } from "../emulator";
import { installPackage } from "../support/installed-package";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const PASSPHRASE = "e2e-passphrase";
export const EXAMPLES = path.join(REPO_ROOT, "examples");
/** The engine harness's program that declares users from a JSON spec in the stack config. */
export const USERS_PROGRAM = path.join(REPO_ROOT, "test", "engine", "programs", "users");
/** What an operation through the CLI gives back: the Automation API's result and the steps it took. */
export interface Operation<R> {
    result: R;
    log: StepLog;
}

export interface CliProjectOptions {
    /** The folder whose files (not node_modules) make the program: an example, or a test program. */
    source: string;
    stackName?: string;
    config?: Record<string, { value: string; secret?: boolean }>;
    emulator?: EmulatorOptions;
    env?: Record<string, string>;
    /**
     * Link this checkout into node_modules instead of installing the packed package, as `npm link` or a
     * `file:` dependency does: Node resolves it outside node_modules, so resources store the forwarder text.
     */
    linkCheckout?: boolean;
    /** Project options appended to the copied Pulumi.yaml, e.g. `{ refresh: "always" }`. */
    projectOptions?: Record<string, string>;
    /** The secrets passphrase, e.g. the one a state to be imported was encrypted with. */
    passphrase?: string;
}

/** A consumer project with its own stack, backend and emulator, torn down by `dispose`. */
export class CliProject {
    readonly dir: string;
    /** The project's folder; installPackedPackage moves it. */
    workDir: string;
    readonly backendDir: string;
    stack!: Stack;
    cliDir!: string;
    emu!: Emulator;
    users!: Users;

    private constructor(readonly options: CliProjectOptions) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${path.basename(options.source)}-`));
        this.workDir = path.join(this.dir, "project");
        this.backendDir = path.join(this.dir, "backend");
    }

    static async create(options: CliProjectOptions): Promise<CliProject> {
        const project = new CliProject(options);
        await project.init();
        return project;
    }

    private async init(): Promise<void> {
        this.cliDir = await ensurePulumiCli();
        copyExample(this.options.source, this.workDir);
        if (this.options.projectOptions !== undefined) {
            fs.appendFileSync(
                path.join(this.workDir, "Pulumi.yaml"),
                `options:\n${Object.entries(this.options.projectOptions)
                    .map(([k, v]) => `  ${k}: ${v}\n`)
                    .join("")}`,
            );
        }
        if (this.options.linkCheckout) linkCheckout(this.workDir);
        else installPackage(this.workDir);
        this.emu = await startEmulator(this.options.emulator);
        this.users = new Users(new Client().setEndpoint(this.emu.endpoint).setProject(this.emu.projectId).setKey(this.emu.apiKey));
        await this.reopen();
        await this.stack.setAllConfig({
            "appwrite:endpoint": { value: this.emu.endpoint },
            "appwrite:projectId": { value: this.emu.projectId },
            "appwrite:apiKey": { value: this.emu.apiKey, secret: true },
            ...this.options.config,
        });
    }

    /** Opens the stack again, e.g. after the package in node_modules changed (a new @pulumi/pulumi instance). */
    async reopen(): Promise<void> {
        this.stack = await openStack({ workDir: this.workDir, stackName: this.options.stackName ?? "e2e", ...this.cliSettings() });
    }

    /**
     * Replaces a linked checkout by the packed package, as upgrading to a published version would. The project
     * moves to a new folder with the package installed: the program runs in this process, and Node keeps for
     * good the real path each path resolved to, so at the old path it would still load the linked checkout.
     */
    async installPackedPackage(): Promise<void> {
        const upgraded = path.join(this.dir, "upgraded");
        fs.cpSync(this.workDir, upgraded, { recursive: true, filter: (source) => path.basename(source) !== "node_modules" });
        fs.rmSync(this.workDir, { recursive: true, force: true });
        this.workDir = upgraded;
        installPackage(this.workDir);
        await this.reopen();
    }

    async preview(options: { refresh?: boolean; expectNoChanges?: boolean } = {}): Promise<Operation<PreviewResult>> {
        const log = new StepLog();
        const result = await this.stack.preview({ ...options, onEvent: log.onEvent });
        return { result, log };
    }

    async up(options: { refresh?: boolean } = {}): Promise<Operation<UpResult>> {
        const log = new StepLog();
        const result = await this.stack.up({ ...options, onEvent: log.onEvent });
        return { result, log };
    }

    /**
     * An `up` with the engine's own log at verbosity 9 (`-v=9 --logtostderr`), e.g. to see which steps made
     * it write a checkpoint: the log's messages, one per line.
     */
    async upWithEngineLog(): Promise<Operation<UpResult> & { engineLog: string[] }> {
        const log = new StepLog();
        let stderr = "";
        const result = await this.stack.up({
            onEvent: log.onEvent,
            logVerbosity: 9,
            logToStdErr: true,
            onError: (text) => (stderr += text),
        });
        return { result, log, engineLog: stderr.split("\n").flatMap(engineLogMessage) };
    }

    async refresh(): Promise<Operation<unknown>> {
        const log = new StepLog();
        const result = await this.stack.refresh({ onEvent: log.onEvent });
        return { result, log };
    }

    async destroy(): Promise<Operation<unknown>> {
        const log = new StepLog();
        const result = await this.stack.destroy({ onEvent: log.onEvent });
        return { result, log };
    }

    private cliSettings() {
        return {
            cliDir: this.cliDir,
            backendDir: this.backendDir,
            passphrase: this.options.passphrase ?? PASSPHRASE,
            env: this.options.env,
        };
    }

    /** The environment the CLI runs with for this project, for commands run by hand. */
    cliEnv(): NodeJS.ProcessEnv {
        return { ...process.env, ...cliEnv({ workDir: this.workDir, stackName: this.stack.name, ...this.cliSettings() }) };
    }

    /**
     * Runs `pulumi ARGS` in the project, as a user would type it. Synchronously, so only for commands that
     * never reach Appwrite: the emulator answers from this process.
     */
    cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
        const run = spawnSync(path.join(this.cliDir, "pulumi"), args, {
            cwd: this.workDir,
            env: this.cliEnv(),
            encoding: "utf8",
            input,
            maxBuffer: 1 << 30,
        });
        if (run.error !== undefined) throw run.error;
        return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    }

    /**
     * `pulumi stack export` as the CLI writes it, secrets encrypted. (Automation's `exportStack()` adds
     * `--show-secrets`, so it is no witness for what the state holds.)
     */
    exportText(): string {
        const run = this.cli(["stack", "export", "--stack", this.stack.name]);
        if (run.status !== 0) throw new Error(`pulumi stack export failed: ${run.stderr}`);
        return run.stdout;
    }

    exportDeployment(): { resources: StateResource[] } {
        return (JSON.parse(this.exportText()) as { deployment: { resources?: StateResource[] } }).deployment as {
            resources: StateResource[];
        };
    }

    async dispose(): Promise<void> {
        await this.emu?.stop();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** The message of one line of the engine's log, which it writes as JSON. */
function engineLogMessage(line: string): string[] {
    if (!line.startsWith("{")) return [];
    try {
        const { msg } = JSON.parse(line) as { msg?: unknown };
        return typeof msg === "string" ? [msg] : [];
    } catch {
        return [];
    }
}

export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    initErrors?: string[];
    delete?: boolean;
    pendingReplacement?: boolean;
}

function linkCheckout(workDir: string): void {
    const modules = path.join(workDir, "node_modules");
    fs.mkdirSync(modules, { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(modules, "pulumi-appwrite-users"), "dir");
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(modules, "@pulumi"), "dir");
}

/** Copies an example's program files: everything but node_modules and its stack config files. */
function copyExample(exampleDir: string, target: string): void {
    fs.mkdirSync(target, { recursive: true });
    for (const entry of fs.readdirSync(exampleDir)) {
        if (entry === "node_modules" || /^Pulumi\..+\.yaml$/.test(entry)) continue;
        fs.cpSync(path.join(exampleDir, entry), path.join(target, entry), { recursive: true });
    }
}

/** Changes of our resources as `op Kind name [props]`, sorted: the shape the CLI's preview shows. */
export function changes(log: StepLog): string[] {
    return log
        .resources()
        .filter((s) => s.op !== "same" && s.op !== "read" && s.op !== "refresh")
        .map(
            (s) =>
                `${s.op} ${s.type.slice(s.type.lastIndexOf(":") + 1)} ${s.name}${
                    s.diffs.length
                        ? ` [${s.diffs
                              .filter((d) => d !== "__provider")
                              .sort()
                              .join(",")}]`
                        : ""
                }`,
        )
        .sort();
}
