import { targetAlreadyExists, userNotFound } from "./errors";
import type { SessionRecord } from "./side-store";
import type { Json, Store, TargetRecord, UserRecord } from "./store";
import { formatDate, generateId } from "./store";

/** Who sent the request and from where, as Appwrite's request resources see it. */
export interface Caller {
    /** No usable API key: Appwrite's authorization then hides every user document. */
    guest: boolean;
    ip: string;
    userAgent: string;
    /** `X-Appwrite-Mode`, `default` when absent (node-appwrite sends none). */
    mode: string;
    hostname: string;
    /** Signed in with a session (`X-Appwrite-Session`): the Account API's user and session. */
    account?: { user: UserRecord; session: SessionRecord };
}

/** What a route handler sees: the store, the path params and the request params (body or query string). */
export interface RouteContext {
    store: Store;
    path: Record<string, string>;
    params: Record<string, unknown>;
    nowMs: number;
    caller: Caller;
    /** The key JWTs are signed with (Appwrite's `_APP_OPENSSL_KEY_V1`). */
    jwtSecret: string;
    /** The project's name (the emulator names a project after its ID), e.g. the issuer of TOTP authenticators. */
    projectName: string;
}

/** A handler's answer; no body means 204 with an empty body and no content type. */
interface Reply {
    status: number;
    body?: Json;
}

export type Handler = (ctx: RouteContext) => Reply;

/** Path params first, as Appwrite declares them first and validates in declaration order. */
export const source = (ctx: RouteContext): Record<string, unknown> => ({ ...ctx.params, ...ctx.path });

export function requireUser(ctx: RouteContext, userId: unknown): UserRecord {
    const user = ctx.caller.guest ? undefined : ctx.store.user(String(userId));
    if (!user) throw userNotFound();
    return user;
}

export function newTarget(
    ctx: RouteContext,
    user: UserRecord,
    fields: { id?: string; providerType: string; identifier: string; name?: string | null; providerId?: string | null },
): TargetRecord {
    const now = formatDate(ctx.nowMs);
    const target: TargetRecord = {
        $id: fields.id ?? generateId(ctx.nowMs),
        $createdAt: now,
        $updatedAt: now,
        seq: ctx.store.nextSeq(),
        name: fields.name ?? null,
        userId: user.$id,
        providerId: fields.providerId ?? null,
        providerType: fields.providerType,
        identifier: fields.identifier,
        expired: false,
    };
    if (ctx.store.targets.has(target.$id) || ctx.store.targetByIdentifier(target.identifier)) throw targetAlreadyExists();
    ctx.store.insertTarget(target);
    return target;
}
