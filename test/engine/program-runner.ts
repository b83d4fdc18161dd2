/**
 * Runs inside the program's own node process, as `pulumi-language-nodejs` would start it: the real
 * `@pulumi/pulumi` runtime of the project runs the program in-process through `automation/server`'s
 * `LanguageServer`, which speaks real gRPC to the harness's resource monitor. The harness passes the run request
 * in `PULUMI_HARNESS_RUN`.
 */
import * as path from "node:path";
import type { DeploymentInfo } from "./monitor";

interface RunSpec extends DeploymentInfo {
    monitorAddress: string;
    main: string;
    exportName?: string;
}

interface RunRequestLike {
    setMonitorAddress(v: string): void;
    setProject(v: string): void;
    setStack(v: string): void;
    setOrganization(v: string): void;
    setDryrun(v: boolean): void;
    setParallel(v: number): void;
    setPwd(v: string): void;
    setProgram(v: string): void;
    setArgsList(v: string[]): void;
    getConfigMap(): { set(k: string, v: string): void };
    setConfigsecretkeysList(v: string[]): void;
}

const spec = JSON.parse(process.env["PULUMI_HARNESS_RUN"] ?? "{}") as RunSpec;
const projectDir = process.cwd();
const fromProject = (id: string) => require(require.resolve(id, { paths: [projectDir] }));
const { LanguageServer } = fromProject("@pulumi/pulumi/automation/server") as {
    LanguageServer: new (program: () => Promise<unknown>) => {
        run(call: { request: RunRequestLike }, cb: (err: Error | undefined, resp?: unknown) => void): Promise<void>;
    };
};
const langproto = fromProject("@pulumi/pulumi/proto/language_pb") as { RunRequest: new () => RunRequestLike };

const programPath = path.resolve(projectDir, spec.main);

async function program(): Promise<unknown> {
    const mod = require(programPath) as Record<string, unknown>;
    const entry = spec.exportName !== undefined ? mod[spec.exportName] : mod["default"];
    if (spec.exportName !== undefined && typeof entry !== "function") {
        throw new Error(`${spec.main} does not export a function named ${spec.exportName}`);
    }
    if (typeof entry === "function") return await (entry as () => unknown)();
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(mod)) if (k !== "__esModule") outputs[k] = v;
    return outputs;
}

const request = new langproto.RunRequest();
request.setMonitorAddress(spec.monitorAddress);
request.setProject(spec.project);
request.setStack(spec.stack);
request.setOrganization(spec.organization);
request.setDryrun(spec.dryRun);
request.setParallel(spec.parallel);
request.setPwd(projectDir);
request.setProgram(spec.main);
request.setArgsList([]);
for (const [k, v] of Object.entries(spec.config)) request.getConfigMap().set(k, v);
request.setConfigsecretkeysList(spec.configSecretKeys);

let reported = false;
void new LanguageServer(program).run({ request }, (err) => {
    if (reported) return;
    reported = true;
    if (err) {
        process.stderr.write(`program failed: ${err.message}\n`);
        process.exitCode = 1;
    }
    // The runtime's gRPC channels can keep the loop alive; the language host exits once the run is reported.
    setImmediate(() => process.exit());
});
