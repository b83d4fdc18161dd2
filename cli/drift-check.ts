import type { DiffResult, ReadResult, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { configure, providers } from "../provider";
import { describeError } from "../provider/appwrite/errors";
import { appwriteUsers, settings } from "../provider/appwrite/connection";
import { inProject } from "../provider/appwrite/project-scope";
import { valueAtField } from "../provider/resources/user-bundle/parts";
import { clearPrefetchedUsers, prefetchUsers } from "../provider/appwrite/users";
import { asProviderConfig, type Credentials } from "./credentials";
import { lastChanges } from "./drift-changes";
import { memberPath } from "../provider/resources/user-set/check";
import { withSetMembers } from "./drift-members";
import { REDACTED, type DriftReport, type FieldDrift, type ProjectDrift, type ResourceDrift } from "./drift-report";
import { isSecret, projectOfResource, type StackState, type StateResource } from "./drift-state";

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
    const drift = await checkOne(resource);
    if (drift === undefined || resource.memberOf === undefined) return drift;
    const at = memberPath(resource.id);
    return { ...drift, kind: resource.memberOf, fields: drift.fields.map((f) => ({ ...f, field: `${at}.${f.field}` })) };
}

async function checkOne(resource: StateResource): Promise<ResourceDrift | undefined> {
    const provider = providerFor(resource);
    const { inputs, outputs, opaque } = withoutCiphertext(resource);
    const read = (await provider.read?.(resource.id, outputs)) as ReadResult;
    const project = projectOfResource(resource);
    const base = {
        urn: resource.urn,
        name: resource.name,
        kind: resource.kind,
        id: resource.id,
        userId: userIdOf(resource),
        ...(project !== undefined ? { project } : {}),
        lastChange: null,
    };
    if (read.id === undefined || read.id === "") return { ...base, status: "deleted", fields: [] };

    const live = read.props ?? {};
    const diff = async (news: Props): Promise<DiffResult> => (await provider.diff?.(read.id as string, live, news)) as DiffResult;
    const whole = await diff(inputs);
    if (whole.changes !== true) return undefined;

    // A UserBundle names its changed fields itself, by path, each judged by its part's rules.
    const paths = Object.keys((whole as { detailedDiff?: Record<string, unknown> }).detailedDiff ?? {});
    if (paths.length > 0) {
        const fields = paths.map((path) =>
            fieldDrift(path, valueAtField(inputs, path), read, opaque.has(path) || resource.secrets.includes(path)),
        );
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

/** The resources of each project, the default project (undefined) first, then the named ones by name. */
function byProject(resources: readonly StateResource[]): Map<string | undefined, StateResource[]> {
    const groups = new Map<string | undefined, StateResource[]>();
    const named = new Set(resources.map(projectOfResource));
    // Array sort puts undefined last without asking the comparator, so the default project goes first by hand.
    const names = [...(named.has(undefined) ? [undefined] : []), ...[...named].filter((n) => n !== undefined).sort()];
    for (const name of names)
        groups.set(
            name,
            resources.filter((r) => projectOfResource(r) === name),
        );
    return groups;
}

/**
 * One project's part of the check, with that project's client: every user of its resources read with a
 * few list requests, then each resource's own read and diff against that snapshot.
 */
async function checkProject(
    project: string | undefined,
    resources: StateResource[],
): Promise<{ scope: ProjectDrift; drift: ResourceDrift[]; note?: string }> {
    return inProject(project, async () => {
        const { endpoint, projectId } = await settings();
        const userIds = [...new Set(resources.map(userIdOf))];
        if (userIds.length > 0) {
            await prefetchUsers(userIds).catch((err: unknown) => {
                throw describeError({ resource: "User", operation: "read", userId: userIds[0] as string }, err);
            });
        }
        const results = await inBatches(resources, CONCURRENCY, checkResource);
        const found = results.filter((r): r is ResourceDrift => r !== undefined);
        const changes = await lastChanges(await appwriteUsers(), [...new Set(found.map((d) => d.userId))]);
        const drift = found.map((d) => ({ ...d, lastChange: changes.byUser.get(d.userId) ?? null }));
        const scope = { project: project ?? null, endpoint, projectId, checked: resources.length, drifted: drift.length };
        return { scope, drift, ...(changes.note === undefined ? {} : { note: changes.note }) };
    });
}

/**
 * Checks every resource of the state in the project it was recorded in (`project`, else the default one),
 * and reports what differs, grouped by project. `onlyProject` limits the check to one named project.
 */
export async function checkDrift(state: StackState, credentials: Partial<Credentials>, onlyProject?: string): Promise<DriftReport> {
    configure({ config: asProviderConfig(credentials) });
    const all = withSetMembers(state.resources);
    const resources = onlyProject === undefined ? all : all.filter((r) => projectOfResource(r) === onlyProject);
    const groups = byProject(resources);
    if (groups.size === 0) groups.set(onlyProject, []);
    try {
        const checked = [];
        for (const [project, members] of groups) checked.push(await checkProject(project, members));
        const [first] = checked;
        const named = checked.some((c) => c.scope.project !== null);
        const note = checked.find((c) => c.note !== undefined)?.note;
        return {
            ...(state.stack !== undefined ? { stack: state.stack } : {}),
            endpoint: first?.scope.endpoint ?? "",
            projectId: first?.scope.projectId ?? "",
            checked: resources.length,
            drift: checked.flatMap((c) => c.drift),
            ...(named ? { projects: checked.map((c) => c.scope) } : {}),
            ...(note === undefined ? {} : { lastChangeNote: note }),
        };
    } finally {
        clearPrefetchedUsers();
    }
}
