/**
 * How a UserBundle splits into the five resources it stands for, and its field-level diff. Each part is
 * handed to its own provider in the shape that provider stores (resources/user, user-labels,
 * user-prefs, user-status and user-target), so the bundle compares and writes exactly as the five resources do.
 *
 * Field paths, one per changed field: a User input by name (`email`, `password`), `labels`, `blocked`, a
 * top-level prefs key as `prefs.<key>` (`prefs["<key>"]` when the key is not a plain name), and a target
 * by its ID, never its position: `targets[<targetId>]` for a target added or removed, and
 * `targets[<targetId>].<field>` for a field of it. A part the bundle did not manage before is its name
 * alone (`labels`, `prefs`, `blocked`, `targets`).
 */
import type { DiffResult, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { changedKeys } from "../../parts/diff";
import type { Props } from "../../parts/props";
import { containsUnknown, isUnknown } from "../../validation/unknown";
import { userDiffSpec, userProvider } from "../user/provider";
import { fromState, type UserOutputs } from "../user/mapping";
import { userSchema } from "../user/schema";
import { userLabelsProvider } from "../user-labels/provider";
import { samePrefs, userPrefsProvider, type Prefs } from "../user-prefs/provider";
import { userStatusProvider } from "../user-status/provider";
import { targetDiffSpec, userTargetProvider, type UserTargetOutputs } from "../user-target/provider";
import type { BundleTargetInputs, UserBundleInputs } from "./schema";

/** The five providers the bundle composes, every method present (each of them defines all of them). */
export const userResource = userProvider as Required<ResourceProvider>;
export const labelsPart = userLabelsProvider as Required<ResourceProvider>;
export const prefsPart = userPrefsProvider as Required<ResourceProvider>;
export const statusPart = userStatusProvider as Required<ResourceProvider>;
export const targetPart = userTargetProvider as Required<ResourceProvider>;

/** A target as a bundle stores it: UserTarget's outputs without `userId`, which is the bundle's. */
export type BundleTargetOutputs = Omit<UserTargetOutputs, "userId">;

/** User's outputs, then each part's value; null for a part the program does not declare (not managed). */
export interface UserBundleOutputs extends UserOutputs {
    labels: string[] | null;
    prefs: Prefs | null;
    blocked: boolean | null;
    targets: BundleTargetOutputs[] | null;
}

export type DiffKind = "add" | "delete" | "update" | "update-replace";

/** The bundle's diff: Pulumi's answer, and the changed fields by path with how each changes. */
export interface UserBundleDiff extends DiffResult {
    detailedDiff: Record<string, { kind: DiffKind; inputDiff: boolean }>;
}

const USER_INPUTS = Object.keys(userSchema.shape);

const isObject = (value: unknown): value is Props => value !== null && typeof value === "object" && !Array.isArray(value);

/** The inputs of the bundle's User: its own keys only, so User's diff never sees the parts. */
export function userPart(inputs: Props | UserBundleInputs): Props {
    return Object.fromEntries(
        USER_INPUTS.filter((key) => (inputs as Props)[key] !== undefined).map((key) => [key, (inputs as Props)[key]]),
    );
}

/** The bundle's outputs as the User's: without the parts, which User's diff would take for a bundle's. */
export function userState(props: Props): Props {
    const { labels: _labels, prefs: _prefs, blocked: _blocked, targets: _targets, ...user } = props;
    return user;
}

/** A bundle's outputs from state, read tolerantly like User's (a part stored as anything else is not managed). */
export function bundleFromState(props: Props, id: string): UserBundleOutputs {
    return {
        ...fromState(props, id),
        labels: Array.isArray(props.labels) ? (props.labels as string[]) : null,
        prefs: isObject(props.prefs) ? (props.prefs as Prefs) : null,
        blocked: typeof props.blocked === "boolean" ? props.blocked : null,
        targets: Array.isArray(props.targets) ? (props.targets as BundleTargetOutputs[]) : null,
    };
}

/** The state UserLabels, UserPrefs and UserStatus would hold for the bundle's part: exclusive, no sessions ended. */
export const labelsState = (userId: string, labels: unknown): Props => ({ userId, labels, exclusive: null });
export const prefsState = (userId: string, prefs: unknown): Props => ({ userId, prefs, exclusive: null });
export const statusState = (userId: string, blocked: unknown): Props => ({ userId, blocked, endSessions: null, sessionsEnded: false });

/** A bundle target as UserTarget's inputs or state. */
export const asTarget = (userId: string, target: BundleTargetInputs | BundleTargetOutputs | Props): Props => ({ ...target, userId });

/** A UserTarget's outputs or inputs as the bundle stores them. */
export function withoutUserId<T extends Props>(props: T): Omit<T, "userId"> {
    const { userId: _userId, ...rest } = props;
    return rest;
}

/** The Pulumi ID UserTarget gives a stored target. */
export const targetResourceId = (userId: string, target: BundleTargetOutputs): string => `${userId}/${target.appwriteTargetId}`;

/** `prefs.theme`, or `prefs["a key"]` for a key that is not a plain name. */
function prefsPath(key: string): string {
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `prefs.${key}` : `prefs[${JSON.stringify(key)}]`;
}

const targetPath = (targetId: string, field?: string): string => `targets[${targetId}]${field === undefined ? "" : `.${field}`}`;

/** The top-level prefs keys whose values differ, by path and kind. */
function prefsChanges(olds: Prefs, news: unknown): Record<string, DiffKind> {
    if (!isObject(news) || containsUnknown(Object.keys(news))) return { prefs: "update" };
    const changes: Record<string, DiffKind> = {};
    for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) {
        if (!Object.hasOwn(news, key)) changes[prefsPath(key)] = "delete";
        else if (!Object.hasOwn(olds, key)) changes[prefsPath(key)] = "add";
        else if (!samePrefs({ [key]: olds[key] }, { [key]: news[key] })) changes[prefsPath(key)] = "update";
    }
    return Object.keys(changes).length > 0 ? changes : { prefs: "update" };
}

/** Whether each declared target has a known ID, so targets can be matched by it. */
function targetsByKnownId(targets: unknown): targets is BundleTargetInputs[] {
    return Array.isArray(targets) && targets.every((t) => isObject(t) && typeof t.targetId === "string" && !isUnknown(t.targetId));
}

/** The changed fields of the targets, matched by target ID, with those whose replace keys changed. */
async function targetChanges(
    id: string,
    userId: string,
    olds: BundleTargetOutputs[] | null,
    news: unknown,
): Promise<Record<string, DiffKind>> {
    if (!targetsByKnownId(news)) return { targets: "update" };
    if (olds === null) return { targets: "add" };
    const changes: Record<string, DiffKind> = {};
    for (const declared of news) {
        const old = olds.find((t) => t.targetId === declared.targetId);
        if (old === undefined) {
            changes[targetPath(declared.targetId)] = "add";
            continue;
        }
        const [before, after] = [asTarget(userId, old), asTarget(userId, declared)];
        const diff = await targetPart.diff(id, before, after);
        if (diff.changes !== true) continue;
        for (const key of changedKeys(before, after, targetDiffSpec(before, after))) {
            if (key !== "userId") changes[targetPath(declared.targetId, key)] = diff.replaces?.includes(key) ? "update-replace" : "update";
        }
    }
    for (const old of olds) if (!news.some((t) => t.targetId === old.targetId)) changes[targetPath(old.targetId)] = "delete";
    return changes;
}

/** Whether a part's own provider sees a change between its stored state and its declared inputs. */
export async function partChanged(
    diff: (id: string, olds: Props, news: Props) => Promise<DiffResult>,
    id: string,
    olds: Props,
    news: Props,
): Promise<boolean> {
    return (await diff(id, olds, news)).changes === true;
}

/**
 * Every changed field of the bundle by path, each judged by its part's own provider (labels as a set,
 * emails case-insensitively, prefs by value, identifiers by type), and whether User's answer asks for a
 * change or a replacement. A part declared before and dropped from the program is a change too: the
 * update records that it is no longer managed, and sends nothing.
 */
export async function bundleChanges(id: string, olds: Props, news: Props): Promise<{ fields: Record<string, DiffKind>; user: DiffResult }> {
    const userId = String(news.userId);
    const before = bundleFromState(olds, id);
    const userNews = userPart(news);
    const user = await userResource.diff(id, userState(olds), userNews);
    const fields: Record<string, DiffKind> = {};
    for (const key of changedKeys(olds, userNews, userDiffSpec)) fields[key] = user.replaces?.includes(key) ? "update-replace" : "update";

    if (news.labels === undefined) {
        if (before.labels !== null) fields.labels = "delete";
    } else if (before.labels === null) fields.labels = "add";
    else if (await partChanged(labelsPart.diff, id, labelsState(userId, before.labels), { userId, labels: news.labels }))
        fields.labels = "update";

    if (news.prefs === undefined) {
        if (before.prefs !== null) fields.prefs = "delete";
    } else if (before.prefs === null) fields.prefs = "add";
    else if (await partChanged(prefsPart.diff, id, prefsState(userId, before.prefs), { userId, prefs: news.prefs })) {
        Object.assign(fields, prefsChanges(before.prefs, news.prefs));
    }

    if (news.blocked === undefined) {
        if (before.blocked !== null) fields.blocked = "delete";
    } else if (before.blocked === null) fields.blocked = "add";
    else if (await partChanged(statusPart.diff, id, statusState(userId, before.blocked), { userId, blocked: news.blocked }))
        fields.blocked = "update";

    if (news.targets === undefined) {
        if (before.targets !== null) fields.targets = "delete";
    } else Object.assign(fields, await targetChanges(id, userId, before.targets, news.targets));
    return { fields, user };
}

/**
 * The value at a field path of the bundle's inputs or outputs (`prefs.theme`, `targets[t1].identifier`),
 * for reports of drift; undefined when the path names nothing there.
 */
export function valueAtField(props: Props, path: string): unknown {
    const target = /^targets\[([^\]]+)\](?:\.(.+))?$/.exec(path);
    if (target !== null) {
        const found = Array.isArray(props.targets)
            ? (props.targets as Props[]).find((t) => isObject(t) && t.targetId === target[1])
            : undefined;
        return target[2] === undefined ? found : found?.[target[2]];
    }
    const pref = /^prefs(?:\.([A-Za-z_$][A-Za-z0-9_$]*)|\[("(?:[^"\\]|\\.)*")\])$/.exec(path);
    if (pref !== null) {
        const key = pref[1] ?? (JSON.parse(pref[2] ?? '""') as string);
        return isObject(props.prefs) ? props.prefs[key] : undefined;
    }
    return props[path];
}
