import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Spec } from "./fixtures/echo";
import { OperationResult, RpcCall, Stack, StackOptions, failureOf } from "./index";

/** The harness proven on its own, with a tiny dynamic provider that keeps its objects in a JSON file. */

const projectDir = path.join(__dirname, "fixtures", "echo");

interface Store {
    objects: Record<string, Record<string, unknown>>;
    log: string[];
    maxInflight: number;
}

let dir: string;
let storeFile: string;

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-harness-"));
    storeFile = path.join(dir, "store.json");
});

afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

function stack(specs: Spec[], extra: Partial<StackOptions> = {}): Stack {
    return new Stack({
        projectDir,
        packageInstall: "none",
        passphrase: "correct horse",
        stateFile: path.join(dir, "state.json"),
        config: { "echo:store": storeFile, "echo:resources": JSON.stringify(specs) },
        ...extra,
    });
}

function declare(s: Stack, specs: Spec[]): void {
    s.setConfig("echo:resources", JSON.stringify(specs));
}

function store(): Store {
    return fs.existsSync(storeFile) ? (JSON.parse(fs.readFileSync(storeFile, "utf8")) as Store) : { objects: {}, log: [], maxInflight: 0 };
}

function methods(result: OperationResult, only?: RpcCall["method"][]): string[] {
    return result.rpcs
        .filter((c) => only === undefined || only.includes(c.method))
        .map((c) => (c.urn ? `${c.method} ${c.urn.slice(c.urn.lastIndexOf("::") + 2)}` : c.method));
}

function ops(result: OperationResult): string[] {
    return result.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic")).map((s) => `${s.op} ${s.name}`);
}

// Each operation starts node processes; on a busy machine a sequence of them outlasts the default timeout.
describe("the engine harness", { timeout: 180_000 }, () => {
    it("previews without writes, creates on up, and a second up is all same with only Check and Diff", async () => {
        const specs = [
            { name: "a", key: "a", value: "one" },
            { name: "b", key: "b", value: "two", after: "a" },
        ];
        const s = stack(specs);

        const preview = await s.preview();
        expect(preview.changeSummary).toEqual({ create: 3 });
        expect(methods(preview)).toEqual(["Handshake", "GetPluginInfo", "CheckConfig", "Configure", "Check a", "Check b"]);
        expect(store().log).toEqual([]);
        expect(s.state).toHaveLength(0);

        const up = await s.up();
        expect(up.changeSummary).toEqual({ create: 3 });
        expect(methods(up, ["Check", "Create"])).toEqual(["Check a", "Create a", "Check b", "Create b"]);
        expect(store().log).toEqual(["create a", "create b"]);
        expect(s.resource("b")?.id).toBe("b");
        expect(s.resource("b")?.dependencies).toEqual([s.resource("a")?.urn]);
        expect(s.outputs()).toEqual({ lengths: { a: 3, b: 3 } });

        const again = await s.up();
        expect(again.changeSummary).toEqual({ same: 3 });
        expect(methods(again, ["Check", "Diff", "Create", "Update", "Delete", "Read"])).toEqual(["Check a", "Diff a", "Check b", "Diff b"]);
        const diff = again.rpcs.find((c) => c.method === "Diff");
        expect(diff?.request["olds"]).toMatchObject({ key: "a", value: "one", length: 3 });
        expect(store().log).toHaveLength(2);
    });

    it("updates in place with the old outputs as olds, and reports the properties that differ", async () => {
        const s = stack([{ name: "a", key: "a", value: "one" }]);
        await s.up();
        declare(s, [{ name: "a", key: "a", value: "three" }]);

        const preview = await s.preview();
        expect(ops(preview)).toEqual(["update a"]);
        expect(preview.steps.find((x) => x.name === "a")?.diffs).toEqual(["value"]);
        expect(store().log).toEqual(["create a"]);

        const up = await s.up();
        const update = up.rpcs.find((c) => c.method === "Update");
        expect(update?.request["olds"]).toMatchObject({ value: "one", length: 3 });
        expect(update?.request["news"]).toMatchObject({ value: "three" });
        expect(s.resource("a")?.outputs["length"]).toBe(5);
        // The provider's inputs are the whole stack config, so the changed declaration updates it too.
        expect(up.changeSummary).toEqual({ same: 1, update: 1 });
        expect(ops(up)).toEqual(["update a"]);
    });

    it("deletes resources the program no longer declares last, dependents before what they depend on", async () => {
        const s = stack([
            { name: "a", key: "a", value: "one" },
            { name: "b", key: "b", value: "two", after: "a" },
            { name: "c", key: "c", value: "three", after: "b" },
        ]);
        await s.up();
        declare(s, []);
        const preview = await s.preview();
        expect(ops(preview).sort()).toEqual(["delete a", "delete b", "delete c"]);
        expect(methods(preview, ["Delete"])).toEqual([]);

        const up = await s.up();
        expect(methods(up, ["Delete"])).toEqual(["Delete c", "Delete b", "Delete a"]);
        const del = up.rpcs.find((c) => c.method === "Delete");
        expect(del?.request["properties"]).toMatchObject({ key: "c", length: 5 });
        expect(s.state.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))).toHaveLength(0);
    });

    it("keeps secrets encrypted in the exported state and marks outputs secret by name", async () => {
        const specs = [
            { name: "a", key: "a", value: "one", secret: "hunter2-plaintext", options: { additionalSecretOutputs: ["length"] } },
        ];
        // The declaration travels as a secret config value here, or the plaintext would sit in the provider's inputs.
        const s = stack([], { config: { "echo:store": storeFile, "echo:resources": { value: JSON.stringify(specs), secret: true } } });
        const up = await s.up();
        const exported = JSON.stringify(s.exportState());
        expect(exported).not.toContain("hunter2-plaintext");
        expect(exported).toContain('"ciphertext":"v1:');
        expect(s.resource("a")?.outputs["secret"]).toMatchObject({ value: "hunter2-plaintext" });
        expect(s.resource("a")?.outputs["length"]).toMatchObject({ value: 3 });
        // The provider never sees a secret wrapper: the host answered acceptSecrets=false.
        const create = up.rpcs.find((c) => c.method === "Create");
        expect(create?.request["properties"]).toMatchObject({ secret: "hunter2-plaintext" });

        const reloaded = stack([], { config: {} });
        expect(reloaded.resource("a")?.outputs["secret"]).toMatchObject({ value: "hunter2-plaintext" });
    });

    it("leaves replacements, resource options it does not emulate and the engine's own diff to the real CLI, refusing each by name", async () => {
        const s = stack([{ name: "a", key: "a", value: "one" }]);
        await s.up();
        const refusal = async (specs: Spec[]) => {
            declare(s, specs);
            return (await failureOf(s.preview())).result.errors.join();
        };
        expect(await refusal([{ name: "a", key: "a2", value: "one" }])).toMatch(
            /::a: a replacement \(key\) is not emulated by the engine harness/,
        );
        expect(await refusal([{ name: "a", key: "a", value: "one", options: { protect: true, ignoreChanges: ["value"] } }])).toMatch(
            /::a: protect, ignoreChanges is not emulated by the engine harness: test it through the real pulumi CLI/,
        );
        expect(await refusal([{ name: "a", key: "a", value: "one", legacyDiff: true }])).toMatch(
            /::a: the provider's diff answered "unknown"/,
        );
        expect(store().objects["a"]).toMatchObject({ key: "a", value: "one" });
    });

    it("keeps a resource whose create failed part-way, and the next up finishes it with an update", async () => {
        const s = stack([{ name: "a", key: "a", value: "one", failCreate: true }]);
        const failed = await failureOf(s.up());
        expect(failed.result.errors.join()).toContain("the object did not become ready");
        expect(s.resource("a")).toMatchObject({ id: "a", initErrors: ["not ready"] });

        declare(s, [{ name: "a", key: "a", value: "one" }]);
        const up = await s.up();
        expect(ops(up)).toEqual(["update a"]);
        expect(s.resource("a")?.initErrors).toBeUndefined();
    });

    it("refreshes with Read and the inverted diff, and drops objects that are gone", async () => {
        const s = stack([
            { name: "a", key: "a", value: "one" },
            { name: "b", key: "b", value: "two" },
        ]);
        await s.up();
        const data = JSON.parse(fs.readFileSync(storeFile, "utf8")) as Store;
        const objectA = data.objects["a"];
        if (!objectA) throw new Error("a was not created");
        objectA["value"] = "drifted";
        delete data.objects["b"];
        fs.writeFileSync(storeFile, JSON.stringify(data));

        const previewRefresh = await s.preview({ refresh: true });
        expect(
            previewRefresh.steps
                .filter((x) => x.op === "refresh")
                .map((x) => `${x.name} ${x.result} ${x.diffs.join()}`)
                .sort(),
        ).toEqual(["a update value", "b delete "]);
        expect(ops(previewRefresh).filter((x) => !x.startsWith("refresh"))).toEqual(["update a", "create b"]);
        const diff = previewRefresh.rpcs.find((c) => c.method === "Diff" && c.urn?.endsWith("::a"));
        expect(diff?.request["olds"]).toMatchObject({ value: "drifted" });
        expect(diff?.request["news"]).toMatchObject({ value: "one" });
        expect(s.resource("b")).toBeDefined();

        const refresh = await s.refresh();
        expect(refresh.changeSummary).toEqual({ same: 1, update: 1, delete: 1 });
        expect(s.resource("b")).toBeUndefined();
        expect(s.resource("a")?.inputs["value"]).toBe("drifted");
    });

    it("runs creates in parallel up to the parallelism, and destroy removes everything", async () => {
        const specs = ["a", "b", "c", "d", "e", "f"].map((k) => ({ name: k, key: k, value: k }));
        const serial = stack(specs, { parallel: 1 });
        await serial.up();
        expect(store().maxInflight).toBe(1);
        await serial.destroy();
        expect(store().objects).toEqual({});

        fs.rmSync(path.join(dir, "state.json"));
        const parallel = stack(specs, { parallel: 4 });
        await parallel.up();
        expect(store().maxInflight).toBeGreaterThan(1);
        expect(store().maxInflight).toBeLessThanOrEqual(4);

        const destroy = await parallel.destroy();
        expect(destroy.changeSummary).toEqual({ delete: 7 });
        expect(store().objects).toEqual({});
        expect(parallel.state).toHaveLength(0);
    });

    it("runs an exported function of a module as the program, its return value the stack outputs", async () => {
        const s = stack([], { main: "functions.ts", exportName: "singleThing" });
        const up = await s.up();
        expect(ops(up)).toEqual(["create solo"]);
        expect(s.outputs()).toEqual({ length: 15 });
        expect(store().objects["solo"]).toMatchObject({ value: "from a function" });
    });

    it("fails the registration on check failures without writing", async () => {
        const s = stack([{ name: "a", key: "a", value: "invalid" }]);
        const failed = await failureOf(s.up());
        expect(failed.result.errors.join()).toContain("value: value may not be invalid");
        expect(store().log).toEqual([]);
    });
});
