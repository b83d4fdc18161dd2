import type { DiffResult, ReadResult, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { configure, providers } from "../provider";
import { describeError } from "../provider/appwrite/errors";
import { appwriteUsers } from "../provider/appwrite/connection";
import { valueAtField } from "../provider/resources/user-bundle/parts";
import { clearPrefetchedUsers, prefetchUsers } from "../provider/appwrite/users";
import { asProviderConfig, type Credentials } from "./credentials";
import { lastChanges } from "./drift-changes";
import { REDACTED, type DriftReport, type FieldDrift, type ResourceDrift } from "./drift-report";
import { isSecret, type StackState, type StateResource } from "./drift-state";

type Props = Record<string, unknown>;

/** Resources checked at once; reads are answered from the batched list, so this only bounds the rest. */
const CONCURRENCY = 8;

/**
 * Stands in for a value the export keeps encrypted. Both the stored inputs and outputs get the same
 * stand-in, so the provider's read echoes it and its diff sees no change unless the provider itself
 * reports one (a password changed outside Pulumi clears the remembered password: drift on `password`).
 * `passwordHash` is an object in the provider's outputs, so its stand-in is one too.
 */
const OPAQUE: Readonly<Record<string, unknown>> = {
    passwordHash: { algorithm: REDACTED, hash: REDACTED },
};

function standIn(key: string): unknown {
    return OPAQUE[key] ?? REDACTED;
}

/**
 * Replaces encrypted values. An encrypted output whose input of the same name is readable is that
 * input (the provider echoes declared secrets, and Pulumi encrypts such outputs on its own).
 */
function withoutCiphertext(resource: StateResource): { inputs: Props; outputs: Props; opaque: Set<string> } {
    const opaque = new Set<string>();
    const inputs: Props = {};
    for (const [key, value] of Object.entries(resource.inputs)) {
        if (isSecret(value)) opaque.add(key);
        inputs[key] = isSecret(value) ? standIn(key) : value;
    }
    const outputs: Props = {};
    for (const [key, value] of Object.entries(resource.outputs)) {
        if (!isSecret(value)) outputs[key] = value;
        else if (key in inputs) outputs[key] = inputs[key];
        else outputs[key] = standIn(key);
    }
    return { inputs, outputs, opaque };
}

/** The user a resource belongs to: its ID, or the part before the slash of a target's `userId/targetId`. */
function userIdOf(resource: StateResource): string {
    const declared = resource.inputs.userId ?? resource.outputs.userId;
    if (typeof declared === "string" && declared !== "") return declared;
    return resource.kind === "UserTarget" ? (resource.id.split("/")[0] ?? resource.id) : resource.id;
}

function providerFor(resource: StateResource): ResourceProvider {
    const provider = providers[resource.kind];
    if (provider?.read === undefined || provider.diff === undefined) {
        throw new Error(`this version of pulumi-appwrite-users cannot read ${resource.kind} resources (${resource.urn})`);
    }
    return provider;
}

/** A field by name, or by a UserBundle's path (`prefs.theme`, `targets[t1].identifier`). */
function fieldDrift(key: string, stored: unknown, read: ReadResult, secret: boolean): FieldDrift {
    const live = valueAtField(read.props ?? {}, key) ?? valueAtField(read.inputs ?? {}, key) ?? null;
    if (!secret) return { field: key, pulumi: stored ?? null, live };
    // The provider forgets a secret it can no longer vouch for (Appwrite's passwordUpdate moved).
    const when = read.props?.passwordUpdate;
    const note =
        live === null
            ? `changed outside Pulumi${typeof when === "string" && when !== "" ? ` (passwordUpdate ${when})` : ""}`
            : "differs (a secret: the values are not shown)";
    return { field: key, pulumi: REDACTED, live: null, note };
}

/**
 * Compares one resource exactly as a refresh does: `read` with the stored outputs, then `diff` of the
 * refreshed outputs against the stored inputs. A UserBundle's diff names the changed fields by path; for
 * the other kinds the diff is asked again once per stored input with every other input at its live
 * value, so each field is judged by the provider's own rules (labels as a set, emails
 * case-insensitively, prefs by value).
 */
async function checkResource(resource: StateResource): Promise<ResourceDrift | undefined> {
    const provider = providerFor(resource);
    const { inputs, outputs, opaque } = withoutCiphertext(resource);
    const read = (await provider.read?.(resource.id, outputs)) as ReadResult;
    const base = { urn: resource.urn, name: resource.name, kind: resource.kind, id: resource.id, userId: userIdOf(resource), lastChange: null };
    if (read.id === undefined || read.id === "") return { ...base, status: "deleted", fields: [] };

    const live = read.props ?? {};
    const diff = async (news: Props): Promise<DiffResult> => (await provider.diff?.(read.id as string, live, news)) as DiffResult;
    const whole = await diff(inputs);
    if (whole.changes !== true) return undefined;

    // A UserBundle names its changed fields itself, by path, each judged by its part's rules.
    const paths = Object.keys((whole as { detailedDiff?: Record<string, unknown> }).detailedDiff ?? {});
    if (paths.length > 0) {
        const fields = paths.map((path) => fieldDrift(path, valueAtField(inputs, path), read, opaque.has(path) || resource.secrets.includes(path)));
        return { ...base, status: "changed", fields };
    }

    const liveInputs: Props = { ...(read.inputs ?? {}), __provider: inputs.__provider };
    const fields: FieldDrift[] = [];
    for (const key of Object.keys(inputs)) {
        if (key === "__provider") continue;
        if ((await diff({ ...liveInputs, [key]: inputs[key] })).changes !== true) continue;
        fields.push(fieldDrift(key, inputs[key], read, opaque.has(key) || resource.secrets.includes(key)));
    }
    if (fields.length === 0) fields.push({ field: "(several inputs together)", pulumi: null, live: null });
    return { ...base, status: "changed", fields };
}

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await run(items[index] as T);
        }
    };
    await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
    return results;
}

/**
 * Reads every user of the stack with a few list requests, then runs each resource's own read and diff
 * against that snapshot, and reports what differs.
 */
export async function checkDrift(state: StackState, credentials: Credentials): Promise<DriftReport> {
    configure({ config: asProviderConfig(credentials) });
    const userIds = [...new Set(state.resources.map(userIdOf))];
    try {
        if (userIds.length > 0) {
            await prefetchUsers(userIds).catch((err: unknown) => {
                throw describeError({ resource: "User", operation: "read", userId: userIds[0] as string }, err);
            });
        }
        const results = await inBatches(state.resources, CONCURRENCY, checkResource);
        const drift = results.filter((r): r is ResourceDrift => r !== undefined);
        const changes = await lastChanges(await appwriteUsers(), [...new Set(drift.map((d) => d.userId))]);
        return {
            ...(state.stack !== undefined ? { stack: state.stack } : {}),
            endpoint: credentials.endpoint,
            projectId: credentials.projectId,
            checked: state.resources.length,
            drift: drift.map((d) => ({ ...d, lastChange: changes.byUser.get(d.userId) ?? null })),
            ...(changes.note === undefined ? {} : { lastChangeNote: changes.note }),
        };
    } finally {
        clearPrefetchedUsers();
    }
}
