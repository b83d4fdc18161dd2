import { ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { PropertyMap, PropertyValue, dropUnknowns, stripSecretsMap } from "./properties";

/** One RPC as the engine sent it, after secrets were stripped: what the tests assert on. */
export interface RpcCall {
    method: "Handshake" | "GetPluginInfo" | "CheckConfig" | "Configure" | "Check" | "Diff" | "Create" | "Read" | "Update" | "Delete";
    urn?: string;
    id?: string;
    request: Record<string, unknown>;
}

export const DIFF_UNKNOWN = 0;
export const DIFF_NONE = 1;
export const DIFF_SOME = 2;

/** A failed Create or Update whose object exists: the host's `ErrorResourceInitFailed` detail. */
export class InitFailedError extends Error {
    constructor(
        message: string,
        readonly id: string,
        readonly properties: PropertyMap,
        readonly reasons: string[],
    ) {
        super(message);
    }
}

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;

function toStruct(m: PropertyMap): Struct {
    return Struct.fromJavaScript(m as Record<string, never>);
}

function fromStruct(s: Struct | undefined): PropertyMap {
    return (s?.toJavaScript() ?? {}) as PropertyMap;
}

/**
 * The real `@pulumi/pulumi/cmd/dynamic-provider` host, launched as the engine launches
 * `pulumi-resource-pulumi-nodejs`: `node <dynamic-provider> <engine address>` with the project directory as working
 * directory (so `__provider`'s `require` calls resolve from the project), the project name in
 * `PULUMI_NODEJS_PROJECT`/`PULUMI_PROJECT` and the `pulumi-nodejs:` config in `PULUMI_CONFIG`. The first stdout line
 * is the port; everything after it is what the CLI would show as diagnostics.
 */
export class ProviderHost {
    readonly calls: RpcCall[] = [];
    private outputText = "";
    private exited: Promise<void>;

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: ResourceProviderClient,
        firstOutput: string,
    ) {
        this.outputText = firstOutput;
        child.stdout?.on("data", (d: Buffer) => (this.outputText += d.toString("utf8")));
        child.stderr?.on("data", (d: Buffer) => (this.outputText += d.toString("utf8")));
        this.exited = new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) resolve();
            else child.once("exit", () => resolve());
        });
    }

    /** Everything the host printed after the port line. */
    get output(): string {
        return this.outputText;
    }

    static async start(options: {
        projectDir: string;
        projectName: string;
        config: PropertyMap;
        env?: Record<string, string>;
    }): Promise<ProviderHost> {
        const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [options.projectDir] });
        const nodejsConfig = Object.fromEntries(
            Object.entries(stripSecretsMap(options.config)).filter(([k]) => k.startsWith("pulumi-nodejs:")),
        );
        const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
            cwd: options.projectDir,
            env: {
                ...process.env,
                ...options.env,
                PULUMI_NODEJS_PROJECT: options.projectName,
                PULUMI_PROJECT: options.projectName,
                PULUMI_CONFIG: JSON.stringify(nodejsConfig),
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const { port, rest } = await new Promise<{ port: number; rest: string }>((resolve, reject) => {
            let buffered = "";
            let stderr = "";
            const onData = (d: Buffer) => {
                buffered += d.toString("utf8");
                const nl = buffered.indexOf("\n");
                if (nl < 0) return;
                child.stdout?.off("data", onData);
                child.stderr?.off("data", onErr);
                const port = Number(buffered.slice(0, nl).trim());
                if (!Number.isInteger(port) || port <= 0) {
                    reject(new Error(`provider host printed ${JSON.stringify(buffered.slice(0, nl))} instead of a port`));
                    return;
                }
                resolve({ port, rest: stderr + buffered.slice(nl + 1) });
            };
            const onErr = (d: Buffer) => (stderr += d.toString("utf8"));
            child.stdout?.on("data", onData);
            child.stderr?.on("data", onErr);
            child.once("exit", (code) => reject(new Error(`provider host exited with ${String(code)} before printing a port: ${stderr}`)));
        });
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new ProviderHost(child, client, rest);
    }

    private call<Req, Res>(method: string, req: Req): Promise<Res> {
        const fn = (this.client as unknown as Record<string, (r: Req, cb: Callback<Res>) => void>)[method];
        if (fn === undefined) throw new Error(`no such RPC ${method}`);
        return new Promise<Res>((resolve, reject) => {
            fn.call(this.client, req, (err, value) => {
                if (err) reject(err);
                else resolve(value as Res);
            });
        });
    }

    private async expectUnimplemented(method: string, req: unknown): Promise<void> {
        try {
            await this.call(method, req);
        } catch (e) {
            if ((e as grpc.ServiceError).code === grpc.status.UNIMPLEMENTED) return;
            throw e;
        }
        throw new Error(`${method} was expected to be unimplemented by the dynamic-provider host`);
    }

    /** Protocol negotiation the engine performs before Configure: Handshake, GetPluginInfo, CheckConfig. */
    async negotiate(): Promise<string> {
        this.calls.push({ method: "Handshake", request: {} });
        await this.expectUnimplemented("handshake", new provproto.ProviderHandshakeRequest());
        this.calls.push({ method: "GetPluginInfo", request: {} });
        const info = await this.call<Empty, plugproto.PluginInfo>("getPluginInfo", new Empty());
        this.calls.push({ method: "CheckConfig", request: {} });
        await this.expectUnimplemented("checkConfig", new provproto.CheckRequest());
        return info.getVersion();
    }

    /** Configure with the provider resource's inputs: the whole stack config, namespaced keys, secrets kept wrapped. */
    async configure(config: PropertyMap, providerUrn: string, providerId: string): Promise<provproto.ConfigureResponse> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(toStruct(config));
        const variables = req.getVariablesMap();
        for (const [k, v] of Object.entries(stripSecretsMap(config))) {
            variables.set(`pulumi-nodejs:config:${k}`, typeof v === "string" ? v : JSON.stringify(v));
        }
        req.setAcceptsecrets(true);
        req.setAcceptresources(true);
        req.setSendsOldInputs(true);
        req.setSendsOldInputsToDelete(true);
        req.setUrn(providerUrn);
        req.setName("default");
        req.setType("pulumi:providers:pulumi-nodejs");
        req.setId(providerId);
        this.calls.push({ method: "Configure", request: { args: config } });
        return this.call("configure", req);
    }

    private marshal(m: PropertyMap, allowUnknowns: boolean): Struct {
        const plain = stripSecretsMap(m);
        return toStruct(allowUnknowns ? plain : dropUnknowns(plain));
    }

    private record(
        method: RpcCall["method"],
        urn: string,
        request: Record<string, PropertyValue | string[] | undefined>,
        id?: string,
    ): void {
        const call: RpcCall = { method, urn, request: structuredClone(request) };
        if (id !== undefined) call.id = id;
        this.calls.push(call);
    }

    async check(urn: string, olds: PropertyMap, news: PropertyMap, allowUnknowns: boolean) {
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setName(nameOf(urn));
        req.setType(typeOf(urn));
        req.setOlds(this.marshal(olds, allowUnknowns));
        req.setNews(this.marshal(news, allowUnknowns));
        this.record("Check", urn, { olds: stripSecretsMap(olds), news: stripSecretsMap(news) });
        const res = await this.call<provproto.CheckRequest, provproto.CheckResponse>("check", req);
        return {
            inputs: fromStruct(res.getInputs()),
            failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs: PropertyMap, allowUnknowns: boolean) {
        const req = new provproto.DiffRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setName(nameOf(urn));
        req.setType(typeOf(urn));
        req.setOlds(this.marshal(olds, allowUnknowns));
        req.setNews(this.marshal(news, allowUnknowns));
        req.setOldInputs(this.marshal(oldInputs, allowUnknowns));
        this.record("Diff", urn, { olds: stripSecretsMap(olds), news: stripSecretsMap(news), oldInputs: stripSecretsMap(oldInputs) }, id);
        const res = await this.call<provproto.DiffRequest, provproto.DiffResponse>("diff", req);
        return {
            changes: res.getChanges() as number,
            replaces: res.getReplacesList(),
        };
    }

    async create(urn: string, properties: PropertyMap) {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setName(nameOf(urn));
        req.setType(typeOf(urn));
        req.setProperties(this.marshal(properties, false));
        this.record("Create", urn, { properties: stripSecretsMap(properties) });
        try {
            const res = await this.call<provproto.CreateRequest, provproto.CreateResponse>("create", req);
            return { id: res.getId(), properties: fromStruct(res.getProperties()) };
        } catch (e) {
            throw initFailure(e);
        }
    }

    async read(urn: string, id: string, properties: PropertyMap, inputs: PropertyMap) {
        const req = new provproto.ReadRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setName(nameOf(urn));
        req.setType(typeOf(urn));
        req.setProperties(this.marshal(properties, false));
        req.setInputs(this.marshal(inputs, false));
        this.record("Read", urn, { properties: stripSecretsMap(properties), inputs: stripSecretsMap(inputs) }, id);
        const res = await this.call<provproto.ReadRequest, provproto.ReadResponse>("read", req);
        return {
            id: res.getId(),
            properties: fromStruct(res.getProperties()),
            inputs: res.getInputs() === undefined ? undefined : fromStruct(res.getInputs()),
        };
    }

    async update(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs: PropertyMap) {
        const req = new provproto.UpdateRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setName(nameOf(urn));
        req.setType(typeOf(urn));
        req.setOlds(this.marshal(olds, false));
        req.setNews(this.marshal(news, false));
        req.setOldInputs(this.marshal(oldInputs, false));
        this.record("Update", urn, { olds: stripSecretsMap(olds), news: stripSecretsMap(news), oldInputs: stripSecretsMap(oldInputs) }, id);
        try {
            const res = await this.call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req);
            return { properties: fromStruct(res.getProperties()) };
        } catch (e) {
            throw initFailure(e);
        }
    }

    async delete(urn: string, id: string, properties: PropertyMap, oldInputs: PropertyMap) {
        const req = new provproto.DeleteRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setName(nameOf(urn));
        req.setType(typeOf(urn));
        req.setProperties(this.marshal(properties, false));
        req.setOldInputs(this.marshal(oldInputs, false));
        this.record("Delete", urn, { properties: stripSecretsMap(properties), oldInputs: stripSecretsMap(oldInputs) }, id);
        await this.call<provproto.DeleteRequest, Empty>("delete", req);
    }

    /** The engine's shutdown of a plugin: SIGINT, then a kill if it has not exited after five seconds. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill("SIGINT");
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
            await this.exited;
            clearTimeout(timer);
        }
    }
}

function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

function typeOf(urn: string): string {
    const parts = urn.split("::");
    const qualified = parts[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/** Unpacks `grpc-status-details-bin`, where the host puts `ErrorResourceInitFailed` for a partial failure. */
function initFailure(e: unknown): unknown {
    const err = e as grpc.ServiceError;
    const raw = err.metadata?.get("grpc-status-details-bin")[0];
    if (raw === undefined) return new Error(err.details || err.message);
    const status = Status.deserializeBinary(typeof raw === "string" ? Buffer.from(raw, "base64") : new Uint8Array(raw));
    for (const any of status.getDetailsList()) {
        if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
        const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        return new InitFailedError(status.getMessage(), detail.getId(), fromStruct(detail.getProperties()), detail.getReasonsList());
    }
    return new Error(err.details || err.message);
}
