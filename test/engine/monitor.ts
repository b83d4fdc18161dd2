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

/** What `GetDeploymentInfo` reports about the run. */
export interface DeploymentInfo {
    project: string;
    stack: string;
    organization: string;
    dryRun: boolean;
    parallel: number;
    config: Record<string, string>;
    configSecretKeys: string[];
}

/**
 * Our own `pulumirpc.ResourceMonitor`. The program talks real gRPC to it, so each registration arrives in exactly
 * the wire form the engine would receive. It announces, through `GetDeploymentInfo` and `SupportsFeature`, the
 * engine's features that matter to dynamic resources: secrets, resource references, output values, alias specs.
 */
export class ResourceMonitorServer {
    private constructor(
        private readonly server: grpc.Server,
        readonly address: string,
    ) {}

    static async start(handlers: MonitorHandlers, info: DeploymentInfo): Promise<ResourceMonitorServer> {
        const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
        const supported = new Set(["secrets", "resourceReferences", "outputValues", "aliasSpecs"]);
        const features = [
            resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
            resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
            resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
            resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
        ];
        server.addService(ResourceMonitorService, {
            getDeploymentInfo(_call: grpc.ServerUnaryCall<Empty, unknown>, cb: grpc.sendUnaryData<resproto.DeploymentInfo>) {
                const res = new resproto.DeploymentInfo();
                res.setProject(info.project);
                res.setStack(info.stack);
                res.setOrganization(info.organization);
                res.setDryrun(info.dryRun);
                res.setParallel(info.parallel);
                for (const [k, v] of Object.entries(info.config)) res.getConfigMap().set(k, v);
                res.setConfigsecretkeysList(info.configSecretKeys);
                res.setSupportedfeaturesList(features);
                cb(null, res);
            },
            supportsFeature(
                call: grpc.ServerUnaryCall<resproto.SupportsFeatureRequest, unknown>,
                cb: grpc.sendUnaryData<resproto.SupportsFeatureResponse>,
            ) {
                const res = new resproto.SupportsFeatureResponse();
                res.setHassupport(supported.has(call.request.getId()));
                cb(null, res);
            },
            registerResource(
                call: grpc.ServerUnaryCall<resproto.RegisterResourceRequest, unknown>,
                cb: grpc.sendUnaryData<resproto.RegisterResourceResponse>,
            ) {
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
            registerResourceOutputs(
                call: grpc.ServerUnaryCall<resproto.RegisterResourceOutputsRequest, unknown>,
                cb: grpc.sendUnaryData<Empty>,
            ) {
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
