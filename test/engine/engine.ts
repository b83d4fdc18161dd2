import { randomUUID } from "node:crypto";
import { DIFF_NONE, DIFF_SOME, DIFF_UNKNOWN, InitFailedError, ProviderHost, RpcCall } from "./host";
import { Registration, RegistrationResult, ResourceMonitorServer } from "./monitor";
import { PropertyMap, UNKNOWN, annotateSecrets, changedKeys, secretOutputs } from "./properties";
import { spawnProgram } from "./project";
import { ResourceState } from "./state";
import { Semaphore } from "../support/semaphore";

/** What the CLI shows per resource. Refresh steps carry the refresh's result in `result`. */
type StepOp = "same" | "create" | "update" | "delete" | "refresh";

export interface Step {
    op: StepOp;
    urn: string;
    type: string;
    name: string;
    /** The properties that differ (`[diff: ~email]`), including `__provider` when its text changed. */
    diffs: string[];
    /** For `refresh` steps: same, update or delete (the object is gone). */
    result?: "same" | "update" | "delete";
}

export interface OperationResult {
    operation: "update" | "preview" | "refresh" | "destroy";
    dryRun: boolean;
    steps: Step[];
    /** Counts per operation, as `pulumi up` prints them and Automation's `changeSummary` reports them. */
    changeSummary: Record<string, number>;
    /** Stack outputs with secrets as wrappers. */
    outputs: PropertyMap;
    /** Every RPC sent to the provider hosts, in order. */
    rpcs: RpcCall[];
    /** What the provider hosts printed: the CLI shows it as diagnostics. */
    hostOutput: string;
    programOutput: string;
    errors: string[];
}

export class OperationError extends Error {
    constructor(readonly result: OperationResult) {
        super(`${result.operation} failed: ${result.errors.join("; ")}`);
    }
}

const PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";
const STACK_TYPE = "pulumi:pulumi:Stack";
/**
 * What the harness leaves to the real CLI: replacements, protect, retainOnDelete, ignoreChanges, delete-before-replace,
 * and the engine's own diff. Nothing that runs through the harness needs them, and test/e2e proves them.
 */
const NOT_EMULATED = "is not emulated by the engine harness: test it through the real pulumi CLI (test/e2e)";

export interface DeploymentContext {
    projectDir: string;
    project: string;
    stack: string;
    main: string;
    exportName?: string;
    /** The stack config as the default provider's inputs: namespaced keys, secrets wrapped. */
    config: PropertyMap;
    parallel: number;
    env: Record<string, string>;
}

class Mutex {
    private tail: Promise<void> = Promise.resolve();
    run<T>(f: () => Promise<T>): Promise<T> {
        const result = this.tail.then(f);
        this.tail = result.then(
            () => undefined,
            () => undefined,
        );
        return result;
    }
}

function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

function isDynamic(r: ResourceState): boolean {
    return r.custom && r.type !== PROVIDER_TYPE;
}

/**
 * One engine operation over a checkpoint. The checkpoint is mutated step by step, as the engine's snapshot manager
 * does, so a failure part-way leaves exactly what completed.
 */
export class Deployment {
    readonly steps: Step[] = [];
    readonly errors: string[] = [];
    readonly hosts: ProviderHost[] = [];
    programOutput = "";
    outputs: PropertyMap = {};
    private readonly stepLock = new Mutex();
    private readonly pool: Semaphore;
    private readonly seen = new Set<string>();
    private readonly olds = new Map<string, ResourceState>();
    private failed = false;
    private host: ProviderHost | undefined;
    private providerRef: Promise<string> | undefined;

    constructor(
        private readonly ctx: DeploymentContext,
        /** The checkpoint; replaced wholesale by refresh, edited in place by steps. */
        public snapshot: ResourceState[],
        readonly dryRun: boolean,
    ) {
        this.pool = new Semaphore(ctx.parallel);
    }

    get providerUrn(): string {
        return `urn:pulumi:${this.ctx.stack}::${this.ctx.project}::${PROVIDER_TYPE}::default`;
    }

    private fail(message: string): Error {
        this.failed = true;
        this.errors.push(message);
        return new Error(message);
    }

    private async startHost(config: PropertyMap, providerId: string): Promise<ProviderHost> {
        const host = await ProviderHost.start({
            projectDir: this.ctx.projectDir,
            projectName: this.ctx.project,
            config,
            env: this.ctx.env,
        });
        this.hosts.push(host);
        await host.negotiate();
        await host.configure(config, this.providerUrn, providerId);
        return host;
    }

    async stopHosts(): Promise<void> {
        await Promise.all(this.hosts.map((h) => h.stop()));
    }

    private storedProvider(): ResourceState | undefined {
        return this.snapshot.find((r) => r.type === PROVIDER_TYPE);
    }

    private replaceInSnapshot(old: ResourceState | undefined, next: ResourceState): void {
        const i = old ? this.snapshot.indexOf(old) : -1;
        if (i >= 0) this.snapshot[i] = next;
        else this.snapshot.push(next);
    }

    private removeFromSnapshot(r: ResourceState): void {
        const i = this.snapshot.indexOf(r);
        if (i >= 0) this.snapshot.splice(i, 1);
    }

    // ---------------------------------------------------------------- refresh

    /**
     * Refresh steps for every custom resource: Read with the stored outputs, then the refresh Diff with refreshed
     * outputs as olds and stored inputs as news, inverted. Runs on a host configured with the config stored in the
     * provider resource, as the engine loads the provider from the state.
     */
    async refresh(): Promise<void> {
        const provider = this.storedProvider();
        const targets = this.snapshot.filter((r) => isDynamic(r) && r.id);
        if (provider === undefined || targets.length === 0) return;
        const host = await this.startHost(provider.inputs, provider.id ?? "");
        await Promise.all(
            targets.map((old) =>
                this.pool.run(async () => {
                    const id = old.id ?? "";
                    let read;
                    try {
                        read = await host.read(old.urn, id, old.outputs, old.inputs);
                    } catch (e) {
                        this.fail(`refreshing ${old.urn}: ${(e as Error).message}`);
                        return;
                    }
                    const base = { op: "refresh" as const, urn: old.urn, type: old.type, name: nameOf(old.urn) };
                    if (!read.id) {
                        this.steps.push({ ...base, diffs: [], result: "delete" });
                        this.removeFromSnapshot(old);
                        return;
                    }
                    const inputs = read.inputs ? annotateSecrets(read.inputs, old.inputs) : old.inputs;
                    const outputs = secretOutputs(annotateSecrets(read.properties, old.outputs), inputs, old.additionalSecretOutputs ?? []);
                    let changed: boolean;
                    try {
                        const diff = await host.diff(old.urn, read.id, outputs, old.inputs, inputs, this.dryRun);
                        changed = this.changesOf(old.urn, diff.changes) === DIFF_SOME;
                    } catch (e) {
                        this.fail(`refreshing ${old.urn}: ${(e as Error).message}`);
                        return;
                    }
                    let diffs = changedKeys(old.inputs, inputs).filter((k) => k !== "__provider");
                    if (diffs.length === 0) diffs = changedKeys(old.outputs, outputs).filter((k) => k !== "__provider");
                    this.steps.push({ ...base, diffs: changed ? diffs : [], result: changed ? "update" : "same" });
                    const next: ResourceState = { ...old, id: read.id, inputs, outputs };
                    if (changedKeys(old.inputs, inputs).length > 0 || changedKeys(old.outputs, outputs).length > 0) {
                        next.modified = new Date().toISOString();
                    }
                    this.replaceInSnapshot(old, next);
                }),
            ),
        );
        if (this.failed) throw new Error(this.errors.join("; "));
    }

    // ---------------------------------------------------------------- program phase

    async runProgram(): Promise<void> {
        for (const r of this.snapshot) this.olds.set(r.urn, r);
        const configMap: Record<string, string> = {};
        const secretKeys: string[] = [];
        for (const [k, v] of Object.entries(this.ctx.config)) {
            const isSecretValue = typeof v === "object" && v !== null && !Array.isArray(v) && "value" in v;
            const plain = isSecretValue ? (v as { value: unknown }).value : v;
            configMap[k] = typeof plain === "string" ? plain : JSON.stringify(plain);
            if (isSecretValue) secretKeys.push(k);
        }
        const info = {
            project: this.ctx.project,
            stack: this.ctx.stack,
            organization: "organization",
            dryRun: this.dryRun,
            parallel: this.ctx.parallel,
            config: configMap,
            configSecretKeys: secretKeys,
        };
        const monitor = await ResourceMonitorServer.start(
            {
                register: (reg) => this.register(reg),
                registerOutputs: (urn, outputs) => {
                    this.outputs = outputs;
                    const stack = this.snapshot.find((r) => r.urn === urn);
                    if (stack) stack.outputs = outputs;
                },
            },
            info,
        );
        try {
            const run = await spawnProgram(
                this.ctx.projectDir,
                {
                    ...info,
                    monitorAddress: monitor.address,
                    main: this.ctx.main,
                    exportName: this.ctx.exportName,
                },
                this.ctx.env,
            );
            this.programOutput = run.output;
            if (run.code !== 0 && !this.failed) this.fail(`the program failed:\n${run.output}`);
            else if (run.code !== 0) this.failed = true;
        } finally {
            await monitor.stop();
        }
        if (!this.failed) await this.deleteRemoved();
    }

    private urnFor(reg: Registration): string {
        let qualifier = reg.type;
        const parent = reg.parent ? this.snapshot.find((r) => r.urn === reg.parent) : undefined;
        if (parent && parent.type !== STACK_TYPE) {
            const parentQualifier = parent.urn.split("::")[2] ?? parent.type;
            qualifier = `${parentQualifier}$${reg.type}`;
        }
        return `urn:pulumi:${this.ctx.stack}::${this.ctx.project}::${qualifier}::${reg.name}`;
    }

    private async register(reg: Registration): Promise<RegistrationResult> {
        if (this.failed) throw new Error("the deployment was stopped by an earlier error");
        const urn = this.urnFor(reg);
        if (this.seen.has(urn)) throw this.fail(`duplicate resource URN ${urn}`);
        this.seen.add(urn);
        const old = this.olds.get(urn);
        const base = { urn, type: reg.type, name: reg.name };
        if (!reg.custom) {
            const next: ResourceState = {
                urn,
                custom: false,
                type: reg.type,
                inputs: reg.object,
                outputs: old?.outputs ?? {},
                dependencies: reg.dependencies,
                created: old?.created ?? new Date().toISOString(),
            };
            if (reg.parent) next.parent = reg.parent;
            this.steps.push({ ...base, op: old ? "same" : "create", diffs: [] });
            this.replaceInSnapshot(old, next);
            return { urn, id: "", object: next.outputs };
        }
        if (!reg.type.startsWith("pulumi-nodejs:dynamic") || reg.provider !== "" || reg.remote || reg.importId !== "") {
            throw this.fail(`${urn}: only dynamic resources on the default provider are emulated`);
        }
        const unsupported = [
            reg.protect === true && "protect",
            reg.retainOnDelete === true && "retainOnDelete",
            reg.ignoreChanges.length > 0 && "ignoreChanges",
            reg.deleteBeforeReplace !== undefined && "deleteBeforeReplace",
            reg.replaceOnChanges.length > 0 && "replaceOnChanges",
        ].filter((option) => option !== false);
        if (unsupported.length > 0) throw this.fail(`${urn}: ${unsupported.join(", ")} ${NOT_EMULATED}`);
        const providerRef = await this.ensureProvider();
        return this.registerCustom(reg, urn, old, providerRef);
    }

    /** The engine registers the default `pulumi-nodejs` provider on first use: its inputs are the stack config. */
    private ensureProvider(): Promise<string> {
        this.providerRef ??= this.stepLock.run(async () => {
            const urn = this.providerUrn;
            const old = this.olds.get(urn);
            this.seen.add(urn);
            const changed = old ? changedKeys(old.inputs, this.ctx.config) : [];
            const id = old?.id ?? (this.dryRun ? UNKNOWN : randomUUID());
            this.steps.push({
                op: old ? (changed.length > 0 ? "update" : "same") : "create",
                urn,
                type: PROVIDER_TYPE,
                name: "default",
                diffs: changed,
            });
            if (!this.dryRun || old) {
                this.replaceInSnapshot(old, {
                    urn,
                    custom: true,
                    type: PROVIDER_TYPE,
                    id,
                    inputs: this.ctx.config,
                    outputs: this.ctx.config,
                    dependencies: [],
                    created: old?.created ?? new Date().toISOString(),
                });
            }
            this.host = await this.startHost(this.ctx.config, id);
            return `${urn}::${id}`;
        });
        return this.providerRef;
    }

    private newState(
        reg: Registration,
        urn: string,
        providerRef: string,
        old: ResourceState | undefined,
        inputs: PropertyMap,
        outputs: PropertyMap,
        id: string,
    ): ResourceState {
        const state: ResourceState = {
            urn,
            custom: true,
            type: reg.type,
            id,
            inputs,
            outputs: secretOutputs(outputs, inputs, reg.additionalSecretOutputs),
            parent: reg.parent,
            provider: providerRef,
            dependencies: reg.dependencies,
            propertyDependencies: reg.propertyDependencies,
            created: old?.created ?? new Date().toISOString(),
            modified: new Date().toISOString(),
        };
        if (reg.additionalSecretOutputs.length > 0) state.additionalSecretOutputs = reg.additionalSecretOutputs;
        return state;
    }

    private async registerCustom(
        reg: Registration,
        urn: string,
        old: ResourceState | undefined,
        providerRef: string,
    ): Promise<RegistrationResult> {
        const host = this.host;
        if (host === undefined) throw new Error("the provider host is not running");
        const base = { urn, type: reg.type, name: reg.name };
        // Check and Diff run one at a time, in the step generator's loop.
        const plan = await this.stepLock.run(async () => {
            const checked = await host.check(urn, old?.inputs ?? {}, reg.object, this.dryRun);
            if (checked.failures.length > 0) {
                const reasons = checked.failures.map((f) => `${f.property ? `${f.property}: ` : ""}${f.reason}`).join("; ");
                throw this.fail(`${urn} has check errors: ${reasons}`);
            }
            const inputs = annotateSecrets(checked.inputs, reg.object);
            if (!old) return { kind: "create" as const, inputs, diffs: [] as string[] };
            const diff = await host.diff(urn, old.id ?? "", old.outputs, inputs, old.inputs, this.dryRun);
            if (diff.replaces.length > 0) throw this.fail(`${urn}: a replacement (${diff.replaces.join(", ")}) ${NOT_EMULATED}`);
            // The CLI's `[diff: ...]`: the host sends no changed keys, so it shows the input diff without internal `__` keys.
            const diffs = changedKeys(old.inputs, inputs).filter((k) => !k.startsWith("__"));
            const changes = old.initErrors?.length ? DIFF_SOME : this.changesOf(urn, diff.changes);
            return changes === DIFF_NONE ? { kind: "same" as const, inputs, diffs: [] } : { kind: "update" as const, inputs, diffs };
        });

        const { inputs } = plan;
        if (plan.kind === "same" && old) {
            const next = this.newState(reg, urn, providerRef, old, inputs, old.outputs, old.id ?? "");
            next.modified = old.modified ?? next.modified;
            this.steps.push({ ...base, op: "same", diffs: [] });
            this.replaceInSnapshot(old, next);
            return { urn, id: next.id ?? "", object: next.outputs };
        }
        if (plan.kind === "create") {
            this.steps.push({ ...base, op: "create", diffs: [] });
            if (this.dryRun) return { urn, id: "", object: inputs };
            const next = await this.create(reg, urn, providerRef, inputs);
            return { urn, id: next.id ?? "", object: next.outputs };
        }
        if (plan.kind === "update" && old) {
            this.steps.push({ ...base, op: "update", diffs: plan.diffs });
            if (this.dryRun) return { urn, id: old.id ?? "", object: inputs };
            const next = await this.pool.run(async () => {
                try {
                    const res = await host.update(urn, old.id ?? "", old.outputs, inputs, old.inputs);
                    return this.newState(reg, urn, providerRef, old, inputs, annotateSecrets(res.properties, inputs), old.id ?? "");
                } catch (e) {
                    if (e instanceof InitFailedError) {
                        const partial = this.newState(
                            reg,
                            urn,
                            providerRef,
                            old,
                            inputs,
                            annotateSecrets(e.properties, inputs),
                            old.id ?? "",
                        );
                        partial.initErrors = e.reasons;
                        this.replaceInSnapshot(old, partial);
                    }
                    throw this.fail(`updating ${urn}: ${(e as Error).message}`);
                }
            });
            this.replaceInSnapshot(old, next);
            return { urn, id: next.id ?? "", object: next.outputs };
        }
        throw new Error(`unreachable: a ${plan.kind} of ${urn} without its old state`);
    }

    /** The engine computes its own diff of inputs when a provider answers "unknown"; ours always answer. */
    private changesOf(urn: string, changes: number): number {
        if (changes === DIFF_UNKNOWN) throw this.fail(`${urn}: the provider's diff answered "unknown", whose fallback ${NOT_EMULATED}`);
        return changes;
    }

    /** Create on the worker pool; a partial failure keeps the object with its ID and `initErrors`. */
    private async create(reg: Registration, urn: string, providerRef: string, inputs: PropertyMap): Promise<ResourceState> {
        const host = this.host;
        if (host === undefined) throw new Error("the provider host is not running");
        return this.pool.run(async () => {
            let next: ResourceState;
            try {
                const res = await host.create(urn, inputs);
                if (!res.id) throw new Error("plugin returned empty resource.ID from create");
                next = this.newState(reg, urn, providerRef, undefined, inputs, annotateSecrets(res.properties, inputs), res.id);
            } catch (e) {
                if (e instanceof InitFailedError) {
                    const partial = this.newState(reg, urn, providerRef, undefined, inputs, annotateSecrets(e.properties, inputs), e.id);
                    partial.initErrors = e.reasons;
                    this.placeNew(partial);
                }
                throw this.fail(`creating ${urn}: ${(e as Error).message}`);
            }
            this.placeNew(next);
            return next;
        });
    }

    private placeNew(next: ResourceState): void {
        const i = this.snapshot.findIndex((r) => r.urn === next.urn);
        if (i >= 0) this.snapshot[i] = next;
        else this.snapshot.push(next);
    }

    private async deleteOne(host: ProviderHost, r: ResourceState): Promise<void> {
        try {
            await host.delete(r.urn, r.id ?? "", r.outputs, r.inputs);
        } catch (e) {
            throw this.fail(`deleting ${r.urn}: ${(e as Error).message}`);
        }
    }

    /** After the program: resources it no longer declares are deleted in reverse dependency order, each level in parallel. */
    private async deleteRemoved(): Promise<void> {
        const doomed = this.snapshot.filter((r) => !this.seen.has(r.urn) && r.type !== STACK_TYPE);
        for (const r of doomed) this.steps.push({ op: "delete", urn: r.urn, type: r.type, name: nameOf(r.urn), diffs: [] });
        // With nothing registered this run, deletes go to the provider loaded from the state, with its stored config.
        const provider = this.storedProvider();
        const needsHost = !this.dryRun && doomed.some(isDynamic);
        const host = this.host ?? (needsHost && provider ? await this.startHost(provider.inputs, provider.id ?? "") : undefined);
        await this.deleteInOrder(doomed, host);
    }

    async deleteInOrder(doomed: ResourceState[], host: ProviderHost | undefined): Promise<void> {
        if (this.dryRun) return;
        const remaining = new Set(doomed);
        const dependencies = (r: ResourceState) => [...r.dependencies, r.parent ?? "", (r.provider ?? "").replace(/::[^:]*$/, "")];
        while (remaining.size > 0) {
            const dependedOn = new Set<string>();
            for (const r of remaining) for (const d of dependencies(r)) if (d !== r.urn) dependedOn.add(d);
            const level = [...remaining].filter((r) => !dependedOn.has(r.urn));
            const batch = level.length > 0 ? level : [...remaining];
            await Promise.all(
                batch.map((r) =>
                    this.pool.run(async () => {
                        if (isDynamic(r) && r.id) {
                            if (host === undefined) throw this.fail(`no provider to delete ${r.urn}`);
                            await this.deleteOne(host, r);
                        }
                        this.removeFromSnapshot(r);
                    }),
                ),
            );
            for (const r of batch) remaining.delete(r);
        }
    }

    /** `pulumi destroy`: every resource, on a host configured with the stored config. */
    async destroyAll(): Promise<void> {
        const doomed = [...this.snapshot];
        for (const r of doomed) this.steps.push({ op: "delete", urn: r.urn, type: r.type, name: nameOf(r.urn), diffs: [] });
        const provider = this.storedProvider();
        const needsHost = !this.dryRun && doomed.some(isDynamic);
        const host = needsHost && provider ? await this.startHost(provider.inputs, provider.id ?? "") : undefined;
        await this.deleteInOrder(doomed, host);
    }

    summary(kind: OperationResult["operation"]): Record<string, number> {
        const counted = new Set(["same", "create", "update", "delete"]);
        const summary: Record<string, number> = {};
        // The CLI does not count the default provider, so neither does the harness.
        for (const s of this.steps.filter((step) => !step.type.startsWith("pulumi:providers:"))) {
            const op = s.op === "refresh" ? (kind === "refresh" ? s.result : undefined) : counted.has(s.op) ? s.op : undefined;
            if (op !== undefined) summary[op] = (summary[op] ?? 0) + 1;
        }
        // A refresh reads only custom resources, but the CLI counts the stack and components as unchanged too.
        if (kind === "refresh") {
            const unread = this.snapshot.filter((r) => !r.custom).length;
            if (unread > 0) summary["same"] = (summary["same"] ?? 0) + unread;
        }
        return summary;
    }
}
