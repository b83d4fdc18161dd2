/**
 * UserTarget: one messaging target of a user.
 *
 * - create: `POST /v1/users/{userId}/targets` (`createTarget`). When Appwrite answers 409 because the user's
 *   own email or sms target (made by Appwrite with a server-generated ID) already has the identifier, that
 *   target is taken over instead: `appwriteTargetId` records its ID, `takenOver` is true, and the declared
 *   name and provider are set with `updateTarget`. A 409 on the target ID is this create's own target when
 *   an interrupted earlier run made it exactly as declared (`ownTarget`); otherwise the error names the holder.
 * - read: the user document (which lists its targets), through users.ts.
 * - update: `PATCH /v1/users/{userId}/targets/{targetId}` (`updateTarget`) with only the changed fields. A
 *   new identifier is first checked against the user's other targets, since Appwrite answers a duplicate
 *   with a bare 500.
 * - delete: `DELETE /v1/users/{userId}/targets/{targetId}`; a taken-over target is left in place.
 * - Replaced when `userId`, `targetId` or `providerType` changes, and when a taken-over target gets another
 *   identifier (the target Appwrite made must keep following the user's email or phone).
 * - `name` and `providerId` left out are not managed: Appwrite can never clear them.
 */
import type { CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import type { MessagingProviderType, Models, Users } from "node-appwrite";
import { appwriteType, attempt, context, describeError, isConflict, partiallyApplied, type ErrorContext } from "../../appwrite/errors";
import { fixes } from "../../appwrite/fixes";
import { deleteUnlessGone, goneRead } from "../../appwrite/gone";
import { getUser, type AppwriteUser } from "../../appwrite/users";
import { createForUser, writeUser } from "../../appwrite/writes";
import { diffDeclared, type DiffSpec } from "../../parts/diff";
import type { Props } from "../../parts/props";
import { checkInputs, parseInputs } from "../../validation/check";
import { isUnknown } from "../../validation/unknown";
import { userTargetCrossCheck, userTargetSchema, type UserTargetInputs } from "./schema";
import { existingTarget, identifierEquality, ownTarget, sameIdentifierKey } from "./target-match";

export type UserTargetOutputs = {
    userId: string;
    targetId: string;
    providerType: string;
    identifier: string;
    providerId: string | null;
    name: string;
    /** The ID Appwrite knows the target by; differs from `targetId` only for a taken-over target. */
    appwriteTargetId: string;
    takenOver: boolean;
    expired: boolean;
};

type Patch = { identifier?: string; providerId?: string; name?: string };

/**
 * Target IDs and identifiers are unique across the project, so a replacement that keeps either (or may,
 * while still unknown) can only be made once the old target is gone.
 */
function collides(olds: Props, news: Props): boolean {
    const sameId = isUnknown(news.targetId) || news.targetId === (olds.appwriteTargetId ?? olds.targetId);
    const sameIdentifier = isUnknown(news.identifier) || sameIdentifierKey(olds.identifier, news.identifier);
    return sameId || sameIdentifier;
}

function splitId(id: string): { userId: string; appwriteTargetId: string } {
    const slash = id.indexOf("/");
    return slash < 0 ? { userId: id, appwriteTargetId: "" } : { userId: id.slice(0, slash), appwriteTargetId: id.slice(slash + 1) };
}

function outputs(userId: string, targetId: string, target: Models.Target, takenOver: boolean): UserTargetOutputs {
    return {
        userId,
        targetId,
        providerType: target.providerType,
        identifier: target.identifier,
        providerId: target.providerId ?? null,
        name: target.name ?? "",
        appwriteTargetId: target.$id,
        takenOver,
        expired: target.expired === true,
    };
}

/** The outputs as stored, for an update that has nothing to send. */
function stateOutputs(olds: Props, args: UserTargetInputs): UserTargetOutputs {
    return {
        userId: args.userId,
        targetId: args.targetId,
        providerType: args.providerType,
        identifier: String(olds.identifier ?? args.identifier),
        providerId: typeof olds.providerId === "string" ? olds.providerId : null,
        name: typeof olds.name === "string" ? olds.name : "",
        appwriteTargetId: String(olds.appwriteTargetId ?? args.targetId),
        takenOver: olds.takenOver === true,
        expired: olds.expired === true,
    };
}

/** The declared name and provider that `current` lacks; left out, they are not managed. */
function missingFields(current: { name?: string; providerId?: string | null }, args: UserTargetInputs): Patch {
    const patch: Patch = {};
    if (args.name !== undefined && args.name !== current.name) patch.name = args.name;
    if (args.providerId !== undefined && args.providerId !== (current.providerId ?? null)) patch.providerId = args.providerId;
    return patch;
}

const describeTarget = (t: Models.Target) => `"${t.$id}" (${t.providerType})`;

function conflictFix(user: AppwriteUser | undefined, args: UserTargetInputs): string {
    const sameId = user?.targets.find((t) => t.$id === args.targetId);
    if (sameId !== undefined) return fixes.targetIdUsed(args.targetId, `${sameId.providerType} ${sameId.identifier}`);
    const sameIdentifier = user?.targets.find((t) => sameIdentifierKey(t.identifier, args.identifier));
    if (sameIdentifier !== undefined) return fixes.targetIdentifierHeld(describeTarget(sameIdentifier), args.identifier);
    return fixes.targetTakenElsewhere(args.targetId, args.identifier);
}

async function createTarget(ctx: ErrorContext, args: UserTargetInputs): Promise<CreateResult> {
    const { userId, targetId } = args;
    let found: { target: Models.Target; takenOver: boolean; fresh: boolean };
    try {
        const target = await createForUser(
            userId,
            (users) => users.createTarget({ ...args, providerType: args.providerType as MessagingProviderType }),
            async () => ownTarget(await getUser(userId), args),
        );
        found = { target, takenOver: false, fresh: true };
    } catch (err) {
        if (!isConflict(err)) throw err;
        const user = await getUser(userId);
        const existing = existingTarget(user, args);
        if (existing === undefined) throw describeError(ctx, err, conflictFix(user, args));
        found = { ...existing, fresh: false };
    }
    const id = `${userId}/${found.target.$id}`;
    const made = outputs(userId, targetId, found.target, found.takenOver);
    const patch = found.fresh ? {} : missingFields(found.target, args);
    if (Object.keys(patch).length === 0) {
        if (args.providerId === undefined || made.providerId !== null) return { id, outs: made };
        throw partiallyApplied(fixes.noMessagingProvider(args.providerId), ctx, id, made);
    }
    try {
        const target = await writeUser(userId, (users) => users.updateTarget({ userId, targetId: found.target.$id, ...patch }));
        return { id, outs: outputs(userId, targetId, target, found.takenOver) };
    } catch (err) {
        throw partiallyApplied(err, { ...ctx, step: "setting the declared name and provider" }, id, made);
    }
}

/**
 * Appwrite answers a duplicate identifier on update with a bare 500, so the failure is worded here: the
 * holder is named when it is another of this user's targets (one read, on this failure path only).
 */
async function identifierClash(ctx: ErrorContext, err: unknown, args: UserTargetInputs, appwriteTargetId: string): Promise<Error> {
    const user = await getUser(args.userId).catch(() => undefined);
    const holder = user?.targets.find((t) => t.$id !== appwriteTargetId && sameIdentifierKey(t.identifier, args.identifier));
    return holder === undefined
        ? describeError(ctx, err, fixes.duplicateIdentifier(args.identifier))
        : describeError(ctx, err, fixes.identifierInUse(describeTarget(holder), args.identifier));
}

/** How UserTarget compares its inputs; UserBundle names the changed fields of each target with it. */
export function targetDiffSpec(olds: Props, news: Props): DiffSpec {
    const replaceKeys = ["userId", "targetId", "providerType", ...(olds.takenOver === true ? ["identifier"] : [])];
    return { replaceKeys, equality: { identifier: identifierEquality(news.providerType) }, collides };
}

export const userTargetProvider: ResourceProvider = {
    async check(_olds: Props, news: Props): Promise<CheckResult> {
        return checkInputs(userTargetSchema, news, userTargetCrossCheck);
    },

    async diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
        const result = diffDeclared(olds, news, targetDiffSpec(olds, news));
        // Answered even without a replace key: a forced `pulumi up --replace` uses it.
        return result.replaces ? result : { ...result, deleteBeforeReplace: collides(olds, news) };
    },

    async create(inputs: Props): Promise<CreateResult> {
        const ctx = context("UserTarget", "create", inputs.userId, inputs.targetId ?? "");
        return attempt(ctx, async () => createTarget(ctx, parseInputs(userTargetSchema, inputs, userTargetCrossCheck)));
    },

    async read(id: string, props?: Props): Promise<ReadResult> {
        const fromId = splitId(id);
        const userId = String(props?.userId ?? fromId.userId);
        const appwriteTargetId = String(props?.appwriteTargetId ?? fromId.appwriteTargetId);
        const targetId = String(props?.targetId ?? appwriteTargetId);
        const user = await attempt(context("UserTarget", "read", userId, targetId), () => getUser(userId));
        const target = user?.targets.find((t) => t.$id === appwriteTargetId);
        if (target === undefined) return goneRead();
        const outs = outputs(userId, targetId, target, props?.takenOver === true);
        const inputs: Props = { userId, targetId, providerType: outs.providerType, identifier: outs.identifier };
        if (outs.providerId !== null) inputs.providerId = outs.providerId;
        if (outs.name !== "") inputs.name = outs.name;
        return { id: `${userId}/${appwriteTargetId}`, props: outs, inputs };
    },

    async update(_id: string, olds: Props, news: Props): Promise<UpdateResult> {
        const ctx = context("UserTarget", "update", news.userId, news.targetId ?? "");
        return attempt(ctx, async () => {
            const args = parseInputs(userTargetSchema, news, userTargetCrossCheck);
            const current = stateOutputs(olds, args);
            const patch = missingFields(current, args);
            const newIdentifier = !identifierEquality(args.providerType)(current.identifier, args.identifier);
            if (newIdentifier) patch.identifier = args.identifier;
            if (Object.keys(patch).length === 0) return { outs: current };
            const clash = (err: unknown) => patch.identifier !== undefined && appwriteType(err) === "general_unknown";
            try {
                const send = (users: Users) => users.updateTarget({ userId: args.userId, targetId: current.appwriteTargetId, ...patch });
                const target = await writeUser(args.userId, send, clash);
                return { outs: outputs(args.userId, args.targetId, target, current.takenOver) };
            } catch (err) {
                throw clash(err) ? await identifierClash(ctx, err, args, current.appwriteTargetId) : err;
            }
        });
    },

    async delete(id: string, props: Props): Promise<void> {
        if (props.takenOver === true) return;
        const fromId = splitId(id);
        const userId = String(props.userId ?? fromId.userId);
        const appwriteTargetId = String(props.appwriteTargetId ?? fromId.appwriteTargetId);
        const ctx = context("UserTarget", "delete", userId, props.targetId ?? appwriteTargetId);
        await deleteUnlessGone(ctx, () => writeUser(userId, (users) => users.deleteTarget({ userId, targetId: appwriteTargetId })));
    },
};
