import { type Handler, type RouteContext, newTarget, requireUser, source } from "./context";
import { cursorNotFound, invalidEmail, invalidPhone, providerIncorrectType, providerNotFound, serverError, targetNotFound } from "./errors";
import { targetModel } from "./models";
import { runList } from "./list-engine";
import { TARGET_SCHEMA, parseQueries } from "./queries";
import type { TargetRecord, UserRecord } from "./store";
import { boolean, customId, isValidEmailAddress, isValidPhoneNumber, readParams, text, toBoolean, uid, whiteList } from "./validators";

const userIdParam = { name: "userId", validator: uid };
const targetIdParam = { name: "targetId", validator: uid };

/** The identifier check by provider type; only the exact lower-case types pass Appwrite's switch. */
function checkIdentifier(providerType: string, identifier: string): void {
    switch (providerType) {
        case "email":
            if (!isValidEmailAddress(identifier)) throw invalidEmail();
            return;
        case "sms":
            if (!isValidPhoneNumber(identifier)) throw invalidPhone();
            return;
        case "push":
            return;
        default:
            throw providerIncorrectType();
    }
}

function requireTarget(ctx: RouteContext, user: UserRecord, targetId: unknown): TargetRecord {
    const target = ctx.store.targets.get(String(targetId));
    if (!target || target.userId !== user.$id) throw targetNotFound();
    return target;
}

export const createTarget: Handler = (ctx) => {
    const p = readParams(source(ctx), [
        userIdParam,
        { name: "targetId", validator: customId },
        { name: "providerType", validator: whiteList(["email", "sms", "push"]) },
        { name: "identifier", validator: text(255) },
        { name: "providerId", validator: uid, optional: true, default: "" },
        { name: "name", validator: text(128), optional: true, default: "" },
    ]);
    checkIdentifier(p.providerType as string, p.identifier as string);
    const user = requireUser(ctx, p.userId);
    const target = newTarget(ctx, user, {
        id: p.targetId === "unique()" ? undefined : (p.targetId as string),
        providerType: p.providerType as string,
        identifier: p.identifier as string,
        // No messaging providers exist here, so a given providerId is ignored as Appwrite ignores an unknown one.
        providerId: null,
        name: (p.name as string | null) || null,
    });
    return { status: 201, body: targetModel(target) };
};

export const listTargets: Handler = (ctx) => {
    const p = readParams(source(ctx), [
        userIdParam,
        { name: "queries", validator: { description: "", isValid: () => true }, optional: true, default: [] },
        { name: "total", validator: boolean(true), optional: true, default: true },
    ]);
    const plan = parseQueries(p.queries ?? [], TARGET_SCHEMA);
    const user = requireUser(ctx, p.userId);
    let cursorItem: TargetRecord | undefined;
    if (plan.cursor) {
        cursorItem = ctx.store.targets.get(plan.cursor.id);
        if (!cursorItem) throw cursorNotFound("Target", plan.cursor.id);
    }
    const { total, page } = runList(ctx.store.userTargets(user), plan, {
        schema: TARGET_SCHEMA,
        get: (t, attribute) => (attribute === "$sequence" ? t.seq : ((t as unknown as Record<string, unknown>)[attribute] ?? null)),
        cursorItem,
        withTotal: p.total === null || toBoolean(p.total),
    });
    return { status: 200, body: { total, targets: page.map(targetModel) } };
};

export const getTarget: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, targetIdParam]);
    const user = requireUser(ctx, p.userId);
    return { status: 200, body: targetModel(requireTarget(ctx, user, p.targetId)) };
};

export const updateTarget: Handler = (ctx) => {
    const p = readParams(source(ctx), [
        userIdParam,
        targetIdParam,
        { name: "identifier", validator: text(255), optional: true, default: "" },
        { name: "providerId", validator: uid, optional: true, default: "" },
        { name: "name", validator: text(128), optional: true, default: "" },
    ]);
    const user = requireUser(ctx, p.userId);
    const target = requireTarget(ctx, user, p.targetId);
    const changes: Partial<TargetRecord> = {};
    const identifier = p.identifier as string | null;
    if (identifier) {
        checkIdentifier(target.providerType, identifier);
        changes.identifier = identifier;
        changes.expired = false;
    }
    if (p.providerId) throw providerNotFound();
    if (p.name) changes.name = p.name as string;
    // Appwrite does not check identifier clashes here, so the database's duplicate error surfaces as a 500.
    const holder = identifier ? ctx.store.targetByIdentifier(identifier) : undefined;
    if (holder && holder.$id !== target.$id) throw serverError();
    ctx.store.updateTarget(target, changes, ctx.nowMs);
    return { status: 200, body: targetModel(target) };
};

export const deleteTarget: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, targetIdParam]);
    const user = requireUser(ctx, p.userId);
    ctx.store.deleteTarget(requireTarget(ctx, user, p.targetId));
    return { status: 204 };
};
