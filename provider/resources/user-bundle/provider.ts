/**
 * UserBundle: one user with its labels, prefs, block status and targets, as one resource. It runs the five
 * resources' own providers for its parts (parts.ts says how it splits), so it validates,
 * compares and writes exactly as they do; it only decides which parts to run, and words their failures as
 * its own. Labels and prefs are owned whole (exclusive); a part left out of the program is not managed.
 *
 * - check:  User's schema with the parts' (schema.ts), a target's fields named `targets[i].<field>`.
 * - diff:   per field (see the paths in parts.ts); replaces on `userId` and `passwordHash`
 *           only. A target whose `targetId` or `providerType` changed is replaced inside the bundle, which
 *           is updated and keeps the Appwrite user.
 * - create: User's create, then the labels, prefs, each target and the status, each by its own create; with
 *           `adopt`, parts the existing user already has as declared are kept without a write (adopt.ts).
 * - read:   every part's read, started together so that they share one read of the user (users.ts).
 * - update: User's update when its inputs changed, then each part whose inputs changed: a target removed
 *           or replaced is deleted first (target IDs and identifiers are unique), then the others updated
 *           and the new ones created.
 * - delete: User's delete; Appwrite deletes the user's targets and sessions with it.
 *
 * A failure after the user exists carries the outputs so far (errors.ts, `bundlePartFailed`), so Pulumi
 * records the bundle and the next `up` applies only the parts still missing.
 */
import type { CheckResult, CreateResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import { AppwriteProviderError, attempt, bundlePartFailed, context, type ErrorContext } from "../../appwrite/errors";
import { fixes } from "../../appwrite/fixes";
import { goneRead, wasFound } from "../../appwrite/gone";
import { switchRefused } from "../../parts/kind-switch";
import type { Props } from "../../parts/props";
import { checkInputs, parseInputs } from "../../validation/check";
import { userDiffSpec } from "../user/provider";
import type { UserOutputs } from "../user/mapping";
import type { Prefs } from "../user-prefs/provider";
import { getUser } from "../../appwrite/users";
import { adoptedParts } from "./adopt";
import {
    asTarget,
    bundleChanges,
    bundleFromState,
    labelsPart,
    labelsState,
    partChanged,
    prefsPart,
    prefsState,
    statusPart,
    statusState,
    targetPart,
    targetResourceId,
    userPart,
    userResource,
    userState,
    withoutUserId,
    type BundleTargetOutputs,
    type UserBundleDiff,
    type UserBundleOutputs,
} from "./parts";
import { userBundleCrossCheck, userBundleSchema, type BundleTargetInputs, type UserBundleInputs } from "./schema";

/** The outputs so far, and whether anything was written in Appwrite by this operation (or before it). */
interface Progress {
    outs: UserBundleOutputs;
    wrote: boolean;
}

const parse = (ctx: ErrorContext, news: Props) => attempt(ctx, async () => parseInputs(userBundleSchema, news, userBundleCrossCheck));

/** Runs one part's write; a failure carries the outputs so far once anything was written. */
async function step<T>(ctx: ErrorContext, progress: Progress, what: string, write: () => Promise<T>): Promise<T> {
    try {
        const result = await write();
        progress.wrote = true;
        return result;
    } catch (err) {
        throw bundlePartFailed(err, ctx, what, progress.wrote ? ({ ...progress.outs } as unknown as Props) : undefined);
    }
}

const changed = partChanged;

/** The parts whose whole value is one input, each applied by its own resource's provider. */
const VALUE_PARTS = {
    labels: { provider: labelsPart, state: labelsState, what: "setting the labels" },
    prefs: { provider: prefsPart, state: prefsState, what: "setting the prefs" },
    blocked: { provider: statusPart, state: statusState, what: "setting the status" },
} as const;

/** A value part not managed before is created (it owns the whole value from now on), a managed one updated when it differs. */
async function applyValue(
    ctx: ErrorContext,
    inputs: UserBundleInputs,
    progress: Progress,
    fresh: boolean,
    key: keyof typeof VALUE_PARTS,
): Promise<void> {
    const value = inputs[key];
    if (value === undefined) return;
    const { provider, state, what } = VALUE_PARTS[key];
    const { userId } = inputs;
    const news = { userId, [key]: value };
    const before = progress.outs[key];
    if (!fresh && before !== null && !(await changed(provider.diff, userId, state(userId, before), news))) return;
    const made = await step(ctx, progress, what, () =>
        before === null || fresh ? provider.create(news) : provider.update(userId, state(userId, before), news),
    );
    progress.outs = { ...progress.outs, [key]: (made.outs as Props)[key] };
}

/** Labels, prefs, targets and status, in that order. */
async function applyValues(ctx: ErrorContext, inputs: UserBundleInputs, progress: Progress, fresh: boolean): Promise<void> {
    await applyValue(ctx, inputs, progress, fresh, "labels");
    await applyValue(ctx, inputs, progress, fresh, "prefs");
    await applyTargets(ctx, inputs, progress, fresh);
    await applyValue(ctx, inputs, progress, fresh, "blocked");
}

/** The stored targets in the declared order, those not declared (left in place when taken over) last. */
function inDeclaredOrder(targets: BundleTargetOutputs[], declared: readonly BundleTargetInputs[]): BundleTargetOutputs[] {
    const rank = (t: BundleTargetOutputs) => {
        const i = declared.findIndex((d) => d.targetId === t.targetId);
        return i < 0 ? declared.length : i;
    };
    return [...targets].sort((a, b) => rank(a) - rank(b));
}

async function applyTargets(ctx: ErrorContext, inputs: UserBundleInputs, progress: Progress, fresh: boolean): Promise<void> {
    const { userId, targets: declared } = inputs;
    if (declared === undefined) return;
    const setTargets = (targets: BundleTargetOutputs[]) =>
        (progress.outs = { ...progress.outs, targets: inDeclaredOrder(targets, declared) });
    let held = fresh ? [] : [...(progress.outs.targets ?? [])];
    setTargets(held);
    const targetCtx = (targetId: string): ErrorContext => ({ ...ctx, targetId });
    // Removed and replaced targets go first: target IDs and identifiers are unique across the project.
    for (const old of [...held]) {
        const wanted = declared.find((t) => t.targetId === old.targetId);
        const diff = wanted && (await targetPart.diff(userId, asTarget(userId, old), asTarget(userId, wanted)));
        if (diff !== undefined && (diff.replaces ?? []).length === 0) continue;
        await step(targetCtx(old.targetId), progress, "deleting the target", () =>
            targetPart.delete(targetResourceId(userId, old), asTarget(userId, old)),
        );
        setTargets((held = held.filter((t) => t !== old)));
    }
    for (const wanted of declared) {
        const old = held.find((t) => t.targetId === wanted.targetId);
        if (old !== undefined && !(await changed(targetPart.diff, userId, asTarget(userId, old), asTarget(userId, wanted)))) continue;
        const made = await step(
            targetCtx(wanted.targetId),
            progress,
            old === undefined ? "creating the target" : "updating the target",
            async () => {
                try {
                    return old === undefined
                        ? await targetPart.create(asTarget(userId, wanted))
                        : await targetPart.update(targetResourceId(userId, old), asTarget(userId, old), asTarget(userId, wanted));
                } catch (err) {
                    // A target made before the failure (its name or provider not set) is kept, for the next up to finish.
                    const partial = err instanceof AppwriteProviderError ? err.properties : undefined;
                    if (partial !== undefined)
                        setTargets((held = [...held.filter((t) => t !== old), withoutUserId(partial) as BundleTargetOutputs]));
                    throw err;
                }
            },
        );
        const outs = withoutUserId(made.outs as Props) as BundleTargetOutputs;
        setTargets((held = [...held.filter((t) => t !== old), outs]));
    }
}

/** User's outputs with no part applied yet: a declared target list starts empty, so each target shows as still to make. */
function withNoParts(user: Props, inputs: UserBundleInputs): UserBundleOutputs {
    return {
        ...(user as unknown as UserOutputs),
        labels: null,
        prefs: null,
        blocked: null,
        targets: inputs.targets === undefined ? null : [],
    };
}

export const userBundleProvider: ResourceProvider = {
    async check(_olds: Props, news: Props): Promise<CheckResult> {
        return checkInputs(userBundleSchema, news, userBundleCrossCheck);
    },

    async diff(id: string, olds: Props, news: Props): Promise<UserBundleDiff> {
        const refused = switchRefused("UserBundle", id, olds);
        if (refused !== undefined) throw refused;
        const { fields, user } = await bundleChanges(id, olds, news);
        const detailedDiff = Object.fromEntries(Object.entries(fields).map(([path, kind]) => [path, { kind, inputDiff: false }]));
        const changes = user.changes === true || Object.keys(fields).length > 0;
        // Answered even without a replace key: a forced `pulumi up --replace` uses it.
        const deleteBeforeReplace = userDiffSpec.collides?.(olds, userPart(news)) ?? true;
        if (!changes) return { changes, detailedDiff };
        return user.replaces?.length
            ? { changes, replaces: user.replaces, deleteBeforeReplace, detailedDiff }
            : { changes, deleteBeforeReplace, detailedDiff };
    },

    async create(news: Props): Promise<CreateResult> {
        const ctx = context("UserBundle", "create", news.userId);
        const inputs = await parse(ctx, news);
        // Started together with User's own read of an adopted user, so that both share one request (users.ts).
        const adopting = inputs.adopt === true ? getUser(inputs.userId) : undefined;
        adopting?.catch(() => undefined);
        let user: Props;
        try {
            user = (await userResource.create(userPart(inputs))).outs as Props;
        } catch (err) {
            const made = err instanceof AppwriteProviderError ? err.properties : undefined;
            const exists = err instanceof AppwriteProviderError && err.adoptable;
            const outs = made && (withNoParts(made, inputs) as unknown as Props);
            throw bundlePartFailed(err, ctx, "creating the user", outs, exists ? fixes.bundleOverFiveResources : undefined);
        }
        // An adopted user's parts start as they are, so only those that differ are written.
        const live = await adopting?.catch(() => undefined);
        const progress: Progress = {
            outs: { ...withNoParts(user, inputs), ...(live === undefined ? {} : adoptedParts(live, inputs)) },
            wrote: true,
        };
        await applyValues(ctx, inputs, progress, live === undefined);
        return { id: inputs.userId, outs: progress.outs };
    },

    async read(id: string, props?: Props): Promise<ReadResult> {
        const state = props ?? {};
        const userId = id || String(state.userId ?? "");
        const before = bundleFromState(state, userId);
        const targets = before.targets ?? [];
        const ctx = context("UserBundle", "read", userId);
        // Started in the same turn, these reads of one user join one request in users.ts.
        const reads = await Promise.all([
            userResource.read(userId, userState(state)),
            before.labels === null ? undefined : labelsPart.read(userId, labelsState(userId, before.labels)),
            before.prefs === null ? undefined : prefsPart.read(userId, prefsState(userId, before.prefs)),
            before.blocked === null ? undefined : statusPart.read(userId, statusState(userId, before.blocked)),
            ...targets.map((t) => targetPart.read(targetResourceId(userId, t), asTarget(userId, t))),
        ]).catch((err: unknown) => {
            throw bundlePartFailed(err, ctx, "reading the user");
        });
        const [user, labels, prefs, status, ...found] = reads;
        if (!wasFound(user)) return goneRead();
        const live = found.filter(wasFound);
        const outs: UserBundleOutputs = {
            ...(user.props as UserOutputs),
            labels: (labels?.props?.labels as string[] | undefined) ?? null,
            prefs: (prefs?.props?.prefs as Prefs | undefined) ?? null,
            blocked: (status?.props?.blocked as boolean | undefined) ?? null,
            targets: before.targets === null ? null : live.map((t) => withoutUserId(t.props ?? {}) as BundleTargetOutputs),
        };
        const inputs: Props = { ...user.inputs };
        if (outs.labels !== null) inputs.labels = outs.labels;
        if (outs.prefs !== null) inputs.prefs = outs.prefs;
        if (outs.blocked !== null) inputs.blocked = outs.blocked;
        if (outs.targets !== null) inputs.targets = live.map((t) => withoutUserId(t.inputs ?? {}));
        return { id: userId, props: outs, inputs };
    },

    async update(id: string, olds: Props, news: Props): Promise<UpdateResult> {
        const ctx = context("UserBundle", "update", id);
        const inputs = await parse(ctx, news);
        const before = bundleFromState(olds, id);
        // Parts dropped from the program are no longer managed: recorded as such, nothing is sent.
        const progress: Progress = {
            outs: {
                ...before,
                labels: inputs.labels === undefined ? null : before.labels,
                prefs: inputs.prefs === undefined ? null : before.prefs,
                blocked: inputs.blocked === undefined ? null : before.blocked,
                targets: inputs.targets === undefined ? null : before.targets,
            },
            wrote: false,
        };
        const userNews = userPart(inputs);
        if ((await userResource.diff(id, userState(olds), userNews)).changes === true) {
            try {
                const user = (await userResource.update(id, userState(olds), userNews)).outs as Props;
                progress.outs = { ...progress.outs, ...(user as unknown as UserOutputs) };
                progress.wrote = true;
            } catch (err) {
                const made = err instanceof AppwriteProviderError ? err.properties : undefined;
                throw bundlePartFailed(err, ctx, "updating the user", made && { ...(progress.outs as unknown as Props), ...made });
            }
        }
        await applyValues(ctx, inputs, progress, false);
        return { outs: progress.outs };
    },

    async delete(id: string, props: Props): Promise<void> {
        try {
            await userResource.delete(id, props);
        } catch (err) {
            throw bundlePartFailed(err, context("UserBundle", "delete", id), "deleting the user");
        }
    },
};
