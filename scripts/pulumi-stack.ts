/**
 * A Pulumi project run by the real `pulumi` CLI through the Automation API, as an inline program: the
 * Node.js language host (`pulumi-language-nodejs`) is not among the Go modules this project can build, so the
 * program runs in this process and the CLI drives it over gRPC, exactly as Automation API inline programs
 * always run. Everything else is the real CLI: the engine, the `file://` backend, the secrets manager, and
 * the dynamic-provider plugin, which the CLI starts from `workDir` as it does for any Node.js project.
 * `npm run up` (scripts/stack.ts), the real-CLI tests (test/e2e) and the benchmarks all open stacks here.
 */
import * as fs from "fs";
import * as Module from "module";
import * as path from "path";
import type { EngineEvent, OpType, Stack } from "@pulumi/pulumi/automation";
import { parse as parseYaml } from "yaml";
import { offlinePulumiEnv } from "./setup-pulumi";

export interface StackOptions {
    /** The project directory: Pulumi.yaml, the stack config files, and the node_modules the provider loads from. */
    workDir: string;
    stackName: string;
    /** The program's entry file; by default the `main` of Pulumi.yaml (a folder means its index.ts). */
    program?: string;
    /** The bin folder of the `pulumi` CLI (see scripts/setup-pulumi.ts). */
    cliDir: string;
    /** `file://` backend folder; PULUMI_HOME lives beside it unless `pulumiHome` is given. */
    backendDir: string;
    pulumiHome?: string;
    passphrase: string;
    /** More environment for the CLI and the provider host (e.g. NODE_PATH, PULUMI_SKIP_CHECKPOINTS). */
    env?: Record<string, string>;
}

interface ProjectFile {
    name?: string;
    main?: string;
}

/** The project name and the entry file of the project in `workDir`. */
export function readProjectFile(workDir: string): { name: string; program: string } {
    const doc = parseYaml(fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8")) as ProjectFile;
    if (!doc.name) throw new Error(`${path.join(workDir, "Pulumi.yaml")} has no name`);
    const main = path.resolve(workDir, doc.main ?? ".");
    const program = fs.existsSync(main) && fs.statSync(main).isDirectory() ? path.join(main, "index.ts") : main;
    return { name: doc.name, program };
}

/**
 * Node caches modules, but a Pulumi program must run anew for every operation (the language host starts a
 * new node each time). Each run forgets the program's own files, never node_modules, and loads it again;
 * TypeScript is compiled with `transpileModule` when nothing else (tsx) already compiles it. The program's
 * top-level code runs in the project directory, as under the language host.
 */
export function inlineProgram(file: string, workDir: string): () => Promise<Record<string, unknown>> {
    const dir = path.dirname(file);
    return async () => {
        registerTypeScript();
        for (const cached of Object.keys(require.cache)) {
            if (cached.startsWith(dir + path.sep) && !cached.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[cached];
        }
        // The language host runs a program in its project directory, where relative paths (a seed file) resolve.
        const cwd = process.cwd();
        process.chdir(workDir);
        let exports: Record<string, unknown>;
        try {
            exports = require(file) as Record<string, unknown>;
        } finally {
            process.chdir(cwd);
        }
        const outputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(exports)) if (key !== "__esModule" && key !== "default") outputs[key] = value;
        return outputs;
    };
}

function registerTypeScript(): void {
    const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
    if (extensions[".ts"] !== undefined) return;
    const ts = require("typescript") as typeof import("typescript");
    extensions[".ts"] = (module: { _compile(code: string, filename: string): void }, filename: string) => {
        const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
            fileName: filename,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false, sourceMap: false },
        });
        module._compile(out.outputText, filename);
    };
}

/** The environment every CLI call gets: offline, our own PULUMI_HOME and backend, the passphrase. */
export function cliEnv(options: StackOptions): Record<string, string> {
    return {
        ...offlinePulumiEnv(options.pulumiHome ?? path.join(options.backendDir, ".pulumi-home")),
        PULUMI_BACKEND_URL: `file://${options.backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: options.passphrase,
        PATH: `${options.cliDir}${path.delimiter}${process.env.PATH ?? ""}`,
        ...options.env,
    };
}

/** Selects or creates the stack, with the program run inline and the CLI in `cliDir`. */
export async function openStack(options: StackOptions): Promise<Stack> {
    // The program must meet the runtime the inline server sets up: the project's own @pulumi/pulumi.
    const automationPath = require.resolve("@pulumi/pulumi/automation", { paths: [options.workDir] });
    const { LocalWorkspace, PulumiCommand } = require(automationPath) as typeof import("@pulumi/pulumi/automation");
    fs.mkdirSync(options.backendDir, { recursive: true });
    const project = readProjectFile(options.workDir);
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(options.cliDir) });
    const envVars = cliEnv(options);
    fs.mkdirSync(envVars.PULUMI_HOME as string, { recursive: true });
    return LocalWorkspace.createOrSelectStack(
        {
            stackName: options.stackName,
            projectName: project.name,
            program: inlineProgram(options.program ?? project.program, options.workDir),
        },
        { workDir: options.workDir, pulumiCommand, envVars, pulumiHome: envVars.PULUMI_HOME },
    );
}

/** What one resource did in an operation, from the engine's events: the step and the properties it names. */
export interface StepRecord {
    urn: string;
    type: string;
    name: string;
    op: OpType;
    diffs: string[];
    detailedDiff: Record<string, string>;
}

/**
 * The top-level inputs that differ between the old and the new state, as the CLI's `[diff: ...]` shows them:
 * the dynamic-provider host answers Diff without a list of properties, so the engine's events carry none and
 * the display compares the inputs itself. Secrets compare by their `[secret]` mark, so only their presence.
 */
export function changedInputs(olds: Record<string, unknown> | undefined, news: Record<string, unknown> | undefined): string[] {
    if (olds === undefined || news === undefined) return [];
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}

/** Collects the engine's `resourcePreEvent`s of one operation, one record per step, in the engine's order. */
export class StepLog {
    readonly steps: StepRecord[] = [];
    readonly diagnostics: string[] = [];

    readonly onEvent = (event: EngineEvent): void => {
        const meta = event.resourcePreEvent?.metadata;
        if (meta !== undefined) {
            this.steps.push({
                urn: meta.urn,
                type: meta.type,
                name: meta.urn.split("::").pop() ?? meta.urn,
                op: meta.op,
                diffs: meta.diffs?.length ? meta.diffs : changedInputs(meta.old?.inputs, meta.new?.inputs),
                detailedDiff: Object.fromEntries(Object.entries(meta.detailedDiff ?? {}).map(([k, v]) => [k, v.diffKind])),
            });
        }
        const diag = event.diagnosticEvent;
        if (diag !== undefined && (diag.severity === "error" || diag.severity === "warning"))
            this.diagnostics.push(`${diag.severity}: ${diag.message}`);
    };

    /** The steps of resources of our package, without the stack and the default provider. */
    resources(): StepRecord[] {
        return this.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic"));
    }

    /** Resource name → op, for assertions that read as a table. */
    opsByName(): Record<string, OpType> {
        return Object.fromEntries(this.resources().map((s) => [s.name, s.op]));
    }
}

/**
 * The CLI's exit code carried by an Automation API CommandError (7 for --expect-no-changes), if any. The
 * SDK's process runner rejects on a non-zero exit, so its CommandResult says -2 ("unknown") and the real
 * code is on the runner's error.
 */
export function exitCodeOf(error: unknown): number | undefined {
    const result = (error as { commandResult?: { code?: unknown; err?: { exitCode?: unknown } } } | undefined)?.commandResult;
    if (typeof result?.err?.exitCode === "number") return result.err.exitCode;
    return typeof result?.code === "number" && result.code >= 0 ? result.code : undefined;
}
