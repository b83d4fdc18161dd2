import { projectOf } from "../provider/appwrite/projects";
import { ALL_KINDS, type ResourceKind } from "../provider/kinds";

/** The signature Pulumi puts on every secret value in state and in `pulumi stack export`. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const TYPE_PREFIX = "pulumi-nodejs:dynamic/appwrite:";
const DEFAULT_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

/** One resource of this package as the stack's state holds it. */
export interface StateResource {
    urn: string;
    /** The resource's name in the program (the last part of the URN). */
    name: string;
    kind: ResourceKind;
    /** The Pulumi ID: the user ID, or `userId/targetId` for a target. */
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    /**
     * Inputs and outputs that Pulumi keeps secret. An export made with `--show-secrets` holds them in
     * plaintext; they are compared like any value but never printed.
     */
    secrets: string[];
    /** Set on a UserSet's member, checked as the UserBundle it is applied as and reported under the set (drift-members.ts). */
    memberOf?: "UserSet";
}

/** The project a resource was recorded in (its `project`): undefined for the default project. */
export function projectOfResource(resource: StateResource): string | undefined {
    return projectOf(resource.outputs) ?? projectOf(resource.inputs);
}

/** What the drift check needs from a `pulumi stack export`. */
export interface StackState {
    /** The stack name from the URNs, when there is a resource to read it from. */
    stack?: string;
    resources: StateResource[];
    /**
     * The stack config the resources were last deployed with, as stored on the default provider
     * (plaintext values only: secrets stay encrypted in an export, so they are left out here).
     */
    config: Record<string, string>;
}

export class StateError extends Error {
    override name = "StateError";
}

/** True for Pulumi's `{ <sig>: <secret sig>, ciphertext | plaintext }` wrapper. */
export function isSecret(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/**
 * An export made with `--show-secrets` carries secrets as `plaintext` (JSON text); a plain export as
 * `ciphertext`, which this tool never needs. Plaintext secrets are unwrapped; encrypted ones stay wrapped.
 */
function unwrapPlaintextSecrets(value: unknown): unknown {
    if (isSecret(value)) {
        return typeof value.plaintext === "string" ? unwrapPlaintextSecrets(JSON.parse(value.plaintext)) : value;
    }
    if (Array.isArray(value)) return value.map(unwrapPlaintextSecrets);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapPlaintextSecrets(v)]));
    }
    return value;
}

function containsSecret(value: unknown): boolean {
    if (isSecret(value)) return true;
    if (Array.isArray(value)) return value.some(containsSecret);
    if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
    return false;
}

function record(value: unknown): Record<string, unknown> {
    const unwrapped = unwrapPlaintextSecrets(value ?? {});
    return typeof unwrapped === "object" && unwrapped !== null && !Array.isArray(unwrapped) ? (unwrapped as Record<string, unknown>) : {};
}

export function secretKeys(...maps: unknown[]): string[] {
    const keys = new Set<string>();
    for (const map of maps) {
        if (typeof map !== "object" || map === null) continue;
        for (const [key, value] of Object.entries(map)) if (containsSecret(value)) keys.add(key);
    }
    return [...keys];
}

/** Parses the JSON text of `pulumi stack export` (deployment version 3) or its `deployment` object. */
export function parseStackExport(text: string, source: string): StackState {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new StateError(`${source} is not JSON: ${(error as Error).message}. Give the output of \`pulumi stack export\`.`);
    }
    return stackStateOf(json, source);
}

/** Reads the resources of this package and the stored config out of an exported deployment. */
export function stackStateOf(json: unknown, source: string): StackState {
    const root = json as { version?: unknown; deployment?: { resources?: unknown } } | null;
    if (typeof root !== "object" || root === null || typeof root.deployment !== "object" || root.deployment === null) {
        throw new StateError(`${source} is not the output of \`pulumi stack export\`: it has no "deployment" object.`);
    }
    if (typeof root.version === "number" && root.version !== 3) {
        throw new StateError(`${source} is a deployment of version ${root.version}; this tool reads version 3 (Pulumi 3.x).`);
    }
    const rawResources = root.deployment.resources ?? [];
    if (!Array.isArray(rawResources)) throw new StateError(`${source}: "deployment.resources" is not a list.`);

    const resources: StateResource[] = [];
    const config: Record<string, string> = {};
    let stack: string | undefined;
    for (const raw of rawResources as Record<string, unknown>[]) {
        const type = String(raw.type ?? "");
        const urn = String(raw.urn ?? "");
        stack ??= urn.split("::")[0]?.replace(/^urn:pulumi:/, "") || undefined;
        if (type === DEFAULT_PROVIDER_TYPE && /::default(_[0-9_]+)?$/.test(urn)) {
            for (const [key, value] of Object.entries(record(raw.inputs))) {
                if (typeof value === "string") config[key] = value;
            }
            continue;
        }
        if (!type.startsWith(TYPE_PREFIX) || raw.custom === false || raw.delete === true) continue;
        const kind = type.slice(TYPE_PREFIX.length) as ResourceKind;
        if (!ALL_KINDS.includes(kind) || typeof raw.id !== "string" || raw.id === "") continue;
        resources.push({
            urn,
            name: urn.slice(urn.lastIndexOf("::") + 2),
            kind,
            id: raw.id,
            inputs: record(raw.inputs),
            outputs: record(raw.outputs),
            secrets: secretKeys(raw.inputs, raw.outputs),
        });
    }
    return { stack, resources, config };
}
