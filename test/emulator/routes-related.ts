import { type Handler, requireUser, source } from "./context";
import { APPWRITE_VERSION, cursorNotFound, identityNotFound, invalidParam } from "./errors";
import { identityModel, logModel, membershipModel } from "./models-auth";
import { runList, searchMatcher } from "./list-engine";
import { type Schema, parseQueries } from "./queries";
import type { IdentityRecord, MembershipRecord } from "./side-store";
import { boolean, readParams, text, toBoolean, uid } from "./validators";

const userIdParam = { name: "userId", validator: uid };
const anyQueries = { name: "queries", validator: { description: "", isValid: () => true }, optional: true, default: [] };
const searchParam = { name: "search", validator: text(256), optional: true, default: "" };
const totalParam = { name: "total", validator: boolean(true), optional: true, default: true };
const wantsTotal = (v: unknown): boolean => v === null || toBoolean(v);

const INTERNAL: Schema = {
    $id: { type: "string" },
    $createdAt: { type: "datetime" },
    $updatedAt: { type: "datetime" },
    $sequence: { type: "integer" },
};

/** Queries/Identities.php. */
const IDENTITY_SCHEMA: Schema = {
    ...INTERNAL,
    userId: { type: "string" },
    provider: { type: "string" },
    providerUid: { type: "string" },
    providerEmail: { type: "string" },
    providerAccessTokenExpiry: { type: "datetime" },
};

/** Queries/Memberships.php. */
const MEMBERSHIP_SCHEMA: Schema = {
    ...INTERNAL,
    userId: { type: "string" },
    teamId: { type: "string" },
    invited: { type: "datetime" },
    joined: { type: "datetime" },
    confirm: { type: "boolean" },
    roles: { type: "string", array: true },
};

/** Documents loaded from a state file have no `$sequence`; their load order stands in for it. */
function attributeOf<T extends object>(items: T[]): (item: T, attribute: string) => unknown {
    return (item, attribute) => (attribute === "$sequence" ? items.indexOf(item) : ((item as Record<string, unknown>)[attribute] ?? null));
}

/** Every identity of the project (not one user's), with Appwrite's copy-pasted `User` cursor message. */
export const listIdentities: Handler = (ctx) => {
    const p = readParams(ctx.params, [anyQueries, searchParam, totalParam]);
    const plan = parseQueries(p.queries ?? [], IDENTITY_SCHEMA);
    const all = ctx.caller.guest ? [] : [...ctx.store.side.identities.values()];
    let cursorItem: IdentityRecord | undefined;
    if (plan.cursor) {
        cursorItem = ctx.store.side.identities.get(plan.cursor.id);
        if (!cursorItem) throw cursorNotFound("User", plan.cursor.id);
    }
    const term = (p.search as string | null) ?? "";
    const matcher = term === "" ? undefined : searchMatcher(term);
    const { total, page } = runList(all, plan, {
        schema: IDENTITY_SCHEMA,
        get: attributeOf(all),
        cursorItem,
        search: matcher && ((i) => matcher([i.$id, i.userId, i.provider, i.providerUid, i.providerEmail].join(" "))),
        withTotal: wantsTotal(p.total),
    });
    return { status: 200, body: { total, identities: page.map(identityModel) } };
};

export const deleteIdentity: Handler = (ctx) => {
    const p = readParams(source(ctx), [{ name: "identityId", validator: uid }]);
    const identity = ctx.caller.guest ? undefined : ctx.store.side.identities.get(String(p.identityId));
    if (!identity) throw identityNotFound();
    ctx.store.side.deleteIdentity(identity.$id);
    return { status: 204 };
};

/** Teams are outside the Users API, so memberships exist only when a state file brings them. */
export const listMemberships: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, anyQueries, searchParam, totalParam]);
    const user = requireUser(ctx, p.userId);
    const plan = parseQueries(p.queries ?? [], MEMBERSHIP_SCHEMA);
    const mine = ctx.store.side.membershipsOf(user.seq);
    const term = (p.search as string | null) ?? "";
    const matcher = term === "" ? undefined : searchMatcher(term);
    const { page } = runList(mine, plan, {
        schema: MEMBERSHIP_SCHEMA,
        get: attributeOf(mine),
        search: matcher && ((m: MembershipRecord) => matcher([m.$id, m.teamId, m.teamName, m.userId].join(" "))),
        withTotal: false,
    });
    // Appwrite counts the page it found, not every match.
    return { status: 200, body: { total: wantsTotal(p.total) ? page.length : 0, memberships: page.map((m) => membershipModel(m, user)) } };
};

/**
 * The audit entries whose actor is this user (utopia-audit's getLogsByUser matches the actor). Changes an
 * API key makes are recorded with the key as actor, so they never show here; only logs a state file
 * brings with the user as actor do. Only `limit` and `offset` queries are accepted.
 */
export const listLogs: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, anyQueries, totalParam]);
    const user = requireUser(ctx, p.userId);
    for (const q of Object.values((p.queries ?? []) as object)) {
        const method = (() => {
            try {
                return (JSON.parse(String(q)) as { method?: unknown }).method;
            } catch {
                return undefined;
            }
        })();
        if (method !== "limit" && method !== "offset") throw invalidParam("queries", `Invalid query method: ${String(method)}`);
    }
    const plan = parseQueries(p.queries ?? [], INTERNAL);
    // utopia-audit lists the newest first.
    const logs = ctx.store.side.logsBy(user.seq).reverse();
    const page = logs.slice(plan.offset, plan.offset + plan.limit);
    return { status: 200, body: { total: wantsTotal(p.total) ? logs.length : 0, logs: page.map(logModel) } };
};

/** `scope: public`: guests may call it; an API key (which lacks `public`) may not. */
export const healthVersion: Handler = () => ({ status: 200, body: { version: APPWRITE_VERSION } });
