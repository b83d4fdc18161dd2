import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { PropertyMap, fromProgram, stripSecretsMap } from "./properties";

/** A resource registration as the engine receives it from the language SDK, output values already unpacked. */
export interface Registration {
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    /** Inputs in the engine's form: plain values, secret wrappers, the unknown sentinel. */
    object: PropertyMap;
    /** The `__provider` text exactly as the SDK sent it, before unpacking. */
    rawObject: PropertyMap;
    protect: boolean | undefined;
    dependencies: string[];
    provider: string;
    propertyDependencies: Record<string, string[]>;
    /** `undefined` when the program did not set the option. */
    deleteBeforeReplace: boolean | undefined;
    ignoreChanges: string[];
    acceptSecrets: boolean;
    additionalSecretOutputs: string[];
    replaceOnChanges: string[];
    retainOnDelete: boolean | undefined;
    importId: string;
    remote: boolean;
}

export interface RegistrationResult {
    urn: string;
    id: string;
    object: PropertyMap;
}

export interface MonitorHandlers {
    register(reg: Registration): Promise<RegistrationResult>;
    registerOutputs(urn: string, outputs: PropertyMap): void;
}

/**
 * Our own `pulumirpc.ResourceMonitor`. The program talks real gRPC to it, so each registration arrives in exactly
 * the wire form the engine would receive. It claims the features the engine claims through `SupportsFeature`
 * (`GetDeploymentInfo` is left unimplemented, which makes the SDK probe each feature instead).
 */
export class ResourceMonitorServer {
    private constructor(
        private readonly server: grpc.Server,
        readonly address: string,
    ) {}

    static async start(handlers: MonitorHandlers): Promise<ResourceMonitorServer> {
        const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
        const supported = new Set(["secrets", "resourceReferences", "outputValues", "aliasSpecs", "deletedWith"]);
        server.addService(ResourceMonitorService, {
            supportsFeature(call: grpc.ServerUnaryCall<resproto.SupportsFeatureRequest, unknown>, cb: grpc.sendUnaryData<resproto.SupportsFeatureResponse>) {
                const res = new resproto.SupportsFeatureResponse();
                res.setHassupport(supported.has(call.request.getId()));
                cb(null, res);
            },
            registerResource(call: grpc.ServerUnaryCall<resproto.RegisterResourceRequest, unknown>, cb: grpc.sendUnaryData<resproto.RegisterResourceResponse>) {
                const req = call.request;
                const rawObject = (req.getObject()?.toJavaScript() ?? {}) as PropertyMap;
                const propertyDependencies: Record<string, string[]> = {};
                for (const [k, deps] of req.getPropertydependenciesMap().entries()) {
                    propertyDependencies[k] = deps.getUrnsList();
                }
                const reg: Registration = {
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent(),
                    custom: req.getCustom(),
                    object: fromProgram(rawObject) as PropertyMap,
                    rawObject,
                    protect: req.hasProtect() ? req.getProtect() : undefined,
                    dependencies: req.getDependenciesList(),
                    provider: req.getProvider(),
                    propertyDependencies,
                    deleteBeforeReplace:
                        req.getDeletebeforereplacedefined() || req.getDeletebeforereplace() ? req.getDeletebeforereplace() : undefined,
                    ignoreChanges: req.getIgnorechangesList(),
                    acceptSecrets: req.getAcceptsecrets(),
                    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                    replaceOnChanges: req.getReplaceonchangesList(),
                    retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
                    importId: req.getImportid(),
                    remote: req.getRemote(),
                };
                handlers.register(reg).then(
                    (result) => {
                        const res = new resproto.RegisterResourceResponse();
                        res.setUrn(result.urn);
                        res.setId(result.id);
                        const object = reg.acceptSecrets ? result.object : stripSecretsMap(result.object);
                        res.setObject(Struct.fromJavaScript(object as Record<string, never>));
                        cb(null, res);
                    },
                    (err: unknown) => cb({ code: grpc.status.UNKNOWN, details: err instanceof Error ? err.message : String(err) }),
                );
            },
            registerResourceOutputs(call: grpc.ServerUnaryCall<resproto.RegisterResourceOutputsRequest, unknown>, cb: grpc.sendUnaryData<Empty>) {
                const outputs = fromProgram((call.request.getOutputs()?.toJavaScript() ?? {}) as PropertyMap) as PropertyMap;
                handlers.registerOutputs(call.request.getUrn(), outputs);
                cb(null, new Empty());
            },
        });
        const port = await new Promise<number>((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
        );
        return new ResourceMonitorServer(server, `127.0.0.1:${port}`);
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    }
}
