/**
 * The engine harness: runs Pulumi programs and drives the real dynamic-provider host over gRPC as the Pulumi engine
 * does, keeping state between runs in the format of `pulumi stack export`. See README.md in this directory for what
 * it emulates and what it does not.
 *
 * The program side runs the real `@pulumi/pulumi` runtime in-process (in the program's own node process) through
 * `@pulumi/pulumi/automation/server`'s `LanguageServer`, against our own gRPC `ResourceMonitor`, so registrations
 * arrive in their exact wire form; `setMocks` would hand over already-deserialized values instead.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Deployment, OperationError, OperationResult } from "./engine";
import { PropertyMap, makeSecret, stripSecrets } from "./properties";
import { installedProject } from "../support/installed-package";
import { assertBuilt, linkPackage, readProject, readStackConfig } from "./project";
import { PassphraseCrypter } from "./secrets";
import { ResourceState, UntypedDeployment, exportDeployment, importDeployment } from "./state";

export { OperationError } from "./engine";
export type { OperationResult } from "./engine";
export type { RpcCall } from "./host";
export { ProviderHost } from "./host";
export type { ResourceState, UntypedDeployment } from "./state";

export interface StackOptions {
    /** The directory holding `Pulumi.yaml`; the provider host and the program run from here. */
    projectDir: string;
    stackName?: string;
    /** Run this module instead of `Pulumi.yaml`'s main (relative to the project directory). */
    main?: string;
    /** Run this exported function of the module as the program. */
    exportName?: string;
    /** Config on top of `Pulumi.<stack>.yaml`; keys without a namespace get the project's. */
    config?: Record<string, string | { value: string; secret: true }>;
    /** Read `Pulumi.<stack>.yaml` (default true). */
    useStackConfigFile?: boolean;
    passphrase?: string;
    /** Persist the exported state here after each operation; loaded when it exists. */
    stateFile?: string;
    /** Pulumi's default: four times the CPUs. */
    parallel?: number;
    /** Environment of the program and the provider host on top of this process's. */
    env?: Record<string, string>;
    /**
     * How the project gets `pulumi-appwrite-users`: `"packed"` (default) runs a copy of the project with the
     * packed package installed in its `node_modules`, as users get it (test/support/installed-package.ts);
     * `"linked"` symlinks the repository there, as `npm install ../path` does, which Node resolves outside
     * `node_modules` (so `__provider` is the larger forwarder); `"none"` leaves it as it is.
     */
    packageInstall?: "packed" | "linked" | "none";
}

export interface RunOptions {
    /** `--refresh`: refresh the state before running the program. */
    refresh?: boolean;
}

export class Stack {
    private resources: ResourceState[] = [];
    private config: Record<string, { value: string; secret: boolean }> = {};
    private crypter: PassphraseCrypter;
    private readonly project: string;
    private readonly main: string;
    private readonly stackName: string;
    private readonly passphrase: string;
    /** Where the program and the provider host run: a consumer copy of the project when the package is packed. */
    readonly projectDir: string;

    constructor(private readonly options: StackOptions) {
        assertBuilt();
        const info = readProject(options.projectDir);
        this.project = info.name;
        this.main = options.main ?? info.main;
        this.stackName = options.stackName ?? "dev";
        this.passphrase = options.passphrase ?? "";
        const install = options.packageInstall ?? "packed";
        this.projectDir = install === "packed" ? installedProject(options.projectDir) : options.projectDir;
        if (install === "linked") linkPackage(options.projectDir);
        if (options.useStackConfigFile !== false) {
            this.config = readStackConfig(options.projectDir, this.project, this.stackName, this.passphrase);
        }
        for (const [k, v] of Object.entries(options.config ?? {}))
            this.setConfig(k, typeof v === "string" ? v : v.value, typeof v !== "string");
        if (options.stateFile && fs.existsSync(options.stateFile)) {
            const loaded = importDeployment(JSON.parse(fs.readFileSync(options.stateFile, "utf8")) as UntypedDeployment, this.passphrase);
            this.resources = loaded.resources;
            this.crypter = loaded.crypter;
        } else {
            this.crypter = PassphraseCrypter.create(this.passphrase);
        }
    }

    get name(): string {
        return this.stackName;
    }

    setConfig(key: string, value: string, secret = false): void {
        this.config[key.includes(":") ? key : `${this.project}:${key}`] = { value, secret };
    }

    /** The checkpoint as `pulumi stack export` prints it: secrets as ciphertext. */
    exportState(): UntypedDeployment {
        return exportDeployment(this.resources, this.crypter);
    }

    /** `pulumi stack import`. */
    importState(doc: UntypedDeployment): void {
        const loaded = importDeployment(doc, this.passphrase);
        this.resources = loaded.resources;
        this.crypter = loaded.crypter;
        this.persist();
    }

    /** The checkpoint's resources, secrets as wrappers. */
    get state(): readonly ResourceState[] {
        return this.resources;
    }

    /** The stored resource with this logical name. */
    resource(name: string, type?: string): ResourceState | undefined {
        return this.resources.find((r) => r.urn.endsWith(`::${name}`) && (type === undefined || r.type === type));
    }

    private providerConfig(): PropertyMap {
        const out: PropertyMap = {};
        for (const [k, v] of Object.entries(this.config)) out[k] = v.secret ? makeSecret(v.value) : v.value;
        return out;
    }

    private persist(): void {
        if (this.options.stateFile) {
            fs.mkdirSync(path.dirname(this.options.stateFile), { recursive: true });
            fs.writeFileSync(this.options.stateFile, JSON.stringify(this.exportState(), null, 4));
        }
    }

    private deployment(dryRun: boolean): Deployment {
        return new Deployment(
            {
                projectDir: this.projectDir,
                project: this.project,
                stack: this.stackName,
                main: this.main,
                ...(this.options.exportName !== undefined ? { exportName: this.options.exportName } : {}),
                config: this.providerConfig(),
                parallel: this.options.parallel ?? 4 * os.availableParallelism(),
                env: this.options.env ?? {},
            },
            this.resources.map((r) => structuredClone(r)),
            dryRun,
        );
    }

    private async execute(
        operation: OperationResult["operation"],
        dryRun: boolean,
        body: (d: Deployment) => Promise<void>,
    ): Promise<OperationResult> {
        const d = this.deployment(dryRun);
        let thrown: unknown;
        try {
            await body(d);
        } catch (e) {
            thrown = e;
        } finally {
            await d.stopHosts();
        }
        if (thrown !== undefined && d.errors.length === 0) d.errors.push(thrown instanceof Error ? thrown.message : String(thrown));
        if (!dryRun) {
            this.resources = d.snapshot;
            this.persist();
        }
        const result: OperationResult = {
            operation,
            dryRun,
            steps: d.steps,
            changeSummary: d.summary(operation),
            outputs: d.outputs,
            rpcs: d.hosts.flatMap((h) => h.calls),
            hostOutput: d.hosts.map((h) => h.output).join(""),
            programOutput: d.programOutput,
            errors: d.errors,
        };
        if (d.errors.length > 0) throw new OperationError(result);
        return result;
    }

    /** `pulumi preview` (`--refresh` with `refresh: true`): nothing is written, in Appwrite or in the state. */
    preview(options: RunOptions = {}): Promise<OperationResult> {
        return this.execute("preview", true, async (d) => {
            if (options.refresh) await d.refresh();
            await d.runProgram();
        });
    }

    /** `pulumi up --skip-preview` (what Automation's `up()` runs). */
    up(options: RunOptions = {}): Promise<OperationResult> {
        return this.execute("update", false, async (d) => {
            if (options.refresh) await d.refresh();
            await d.runProgram();
        });
    }

    /** `pulumi refresh --skip-preview`, or `--preview-only` with `previewOnly: true`. */
    refresh(options: { previewOnly?: boolean } = {}): Promise<OperationResult> {
        return this.execute("refresh", options.previewOnly === true, (d) => d.refresh());
    }

    /** `pulumi destroy --skip-preview`, or its preview with `previewOnly: true`. */
    destroy(options: { previewOnly?: boolean } = {}): Promise<OperationResult> {
        return this.execute("destroy", options.previewOnly === true, (d) => d.destroyAll());
    }

    /** Stack outputs of the last update, secrets unwrapped. */
    outputs(): Record<string, unknown> {
        const stack = this.resources.find((r) => r.type === "pulumi:pulumi:Stack");
        return stripSecrets(stack?.outputs ?? {}) as Record<string, unknown>;
    }
}

/** The OperationError that `operation` fails with; succeeding, or failing with anything else, fails the caller. */
export async function failureOf(operation: Promise<unknown>): Promise<OperationError> {
    try {
        await operation;
    } catch (e) {
        if (e instanceof OperationError) return e;
        throw e;
    }
    throw new Error("the operation was expected to fail");
}
