import { createHash } from "node:crypto";
import { PropertyMap, PropertyValue, SECRET_SIG, SIG_KEY, isSecret, makeSecret, stripSecrets } from "./properties";
import { PassphraseCrypter } from "./secrets";

/** One resource of the checkpoint, with secrets held as wrappers in memory. */
export interface ResourceState {
    urn: string;
    custom: boolean;
    type: string;
    id?: string;
    inputs: PropertyMap;
    outputs: PropertyMap;
    parent?: string;
    provider?: string;
    dependencies: string[];
    propertyDependencies?: Record<string, string[]>;
    additionalSecretOutputs?: string[];
    initErrors?: string[];
    created?: string;
    modified?: string;
}

/** The JSON document `pulumi stack export` prints: deployment version 3. */
export interface UntypedDeployment {
    version: 3;
    deployment: {
        manifest: { time: string; magic: string; version: string };
        secrets_providers?: { type: "passphrase"; state: { salt: string } };
        resources?: Record<string, unknown>[];
        pending_operations?: unknown[];
    };
}

const ENGINE_VERSION = "v3.270.0";

export function exportDeployment(resources: readonly ResourceState[], crypter: PassphraseCrypter): UntypedDeployment {
    const encrypt = (v: PropertyValue): PropertyValue => {
        if (Array.isArray(v)) return v.map(encrypt);
        if (typeof v !== "object" || v === null) return v;
        if (isSecret(v)) {
            return {
                [SIG_KEY]: SECRET_SIG,
                ciphertext: crypter.encrypt(JSON.stringify(stripSecrets((v as Record<string, PropertyValue>)["value"] ?? null))),
            };
        }
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encrypt(x)]));
    };
    return {
        version: 3,
        deployment: {
            manifest: {
                time: new Date().toISOString(),
                magic: createHash("sha256").update(ENGINE_VERSION).digest("hex"),
                version: ENGINE_VERSION,
            },
            secrets_providers: { type: "passphrase", state: { salt: crypter.state } },
            resources: resources.map((r) => {
                const out: Record<string, unknown> = { urn: r.urn, custom: r.custom };
                if (r.id !== undefined && r.id !== "") out["id"] = r.id;
                out["type"] = r.type;
                if (Object.keys(r.inputs).length > 0) out["inputs"] = encrypt(r.inputs);
                if (Object.keys(r.outputs).length > 0) out["outputs"] = encrypt(r.outputs);
                if (r.parent) out["parent"] = r.parent;
                if (r.provider) out["provider"] = r.provider;
                if (r.initErrors?.length) out["initErrors"] = r.initErrors;
                if (r.dependencies.length > 0) out["dependencies"] = r.dependencies;
                if (r.propertyDependencies && Object.keys(r.propertyDependencies).length > 0) {
                    out["propertyDependencies"] = r.propertyDependencies;
                }
                if (r.additionalSecretOutputs?.length) out["additionalSecretOutputs"] = r.additionalSecretOutputs;
                if (r.created) out["created"] = r.created;
                if (r.modified) out["modified"] = r.modified;
                return out;
            }),
        },
    };
}

export function importDeployment(doc: UntypedDeployment, passphrase: string): { resources: ResourceState[]; crypter: PassphraseCrypter } {
    if (doc.version !== 3) throw new Error(`unsupported deployment version ${String(doc.version)}`);
    const salt = doc.deployment.secrets_providers?.state.salt;
    const crypter = salt ? PassphraseCrypter.fromState(passphrase, salt) : PassphraseCrypter.create(passphrase);
    const decrypt = (v: PropertyValue): PropertyValue => {
        if (Array.isArray(v)) return v.map(decrypt);
        if (typeof v !== "object" || v === null) return v;
        if (v[SIG_KEY] === SECRET_SIG) {
            const ciphertext = v["ciphertext"];
            if (typeof ciphertext === "string") return makeSecret(JSON.parse(crypter.decrypt(ciphertext)) as PropertyValue);
            return makeSecret(decrypt(v["plaintext"] !== undefined ? (JSON.parse(String(v["plaintext"])) as PropertyValue) : null));
        }
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decrypt(x)]));
    };
    const resources = (doc.deployment.resources ?? []).map((raw): ResourceState => {
        const r = raw as Record<string, unknown>;
        const str = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : undefined);
        const state: ResourceState = {
            urn: String(r["urn"]),
            custom: r["custom"] === true,
            type: String(r["type"]),
            inputs: decrypt((r["inputs"] ?? {}) as PropertyValue) as PropertyMap,
            outputs: decrypt((r["outputs"] ?? {}) as PropertyValue) as PropertyMap,
            dependencies: (r["dependencies"] as string[] | undefined) ?? [],
        };
        const id = str("id");
        if (id !== undefined) state.id = id;
        const parent = str("parent");
        if (parent !== undefined) state.parent = parent;
        const provider = str("provider");
        if (provider !== undefined) state.provider = provider;
        if (r["propertyDependencies"]) state.propertyDependencies = r["propertyDependencies"] as Record<string, string[]>;
        if (Array.isArray(r["additionalSecretOutputs"])) state.additionalSecretOutputs = r["additionalSecretOutputs"] as string[];
        if (Array.isArray(r["initErrors"])) state.initErrors = r["initErrors"] as string[];
        const created = str("created");
        if (created !== undefined) state.created = created;
        const modified = str("modified");
        if (modified !== undefined) state.modified = modified;
        return state;
    });
    return { resources, crypter };
}
