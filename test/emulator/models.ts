import { emailMeta } from "./email-meta";
import type { Json, Prefs, Store, TargetRecord, UserRecord } from "./store";

/** Appwrite's Target model, keys in the order the server emits them. */
export function targetModel(t: TargetRecord): Record<string, Json> {
    return {
        $id: t.$id,
        $createdAt: t.$createdAt,
        $updatedAt: t.$updatedAt,
        name: t.name ?? "",
        userId: t.userId,
        providerId: t.providerId,
        providerType: t.providerType,
        identifier: t.identifier,
        expired: t.expired,
    };
}

/** Empty prefs come out as `{}` rather than PHP's `[]`. */
export function prefsModel(prefs: Prefs | Json[]): Json {
    return Array.isArray(prefs) && prefs.length === 0 ? {} : prefs;
}

/**
 * Appwrite's User model. Required rules fall back to their defaults (`""`, `false`, `[]`), optional ones
 * come out as null. `targets` defaults to the user's stored targets; updates pass the stale list the
 * server's response really carries.
 */
export function userModel(store: Store, u: UserRecord, targets?: Array<Record<string, Json>>): Record<string, Json> {
    return {
        $id: u.$id,
        $createdAt: u.$createdAt,
        $updatedAt: u.$updatedAt,
        name: u.name ?? "",
        password: u.password,
        hash: u.hash,
        hashOptions: u.hashOptions,
        registration: u.registration,
        status: u.status,
        labels: u.labels,
        passwordUpdate: u.passwordUpdate ?? "",
        email: u.email ?? "",
        phone: u.phone ?? "",
        emailVerification: u.emailVerification,
        ...emailMeta(u.email),
        phoneVerification: u.phoneVerification,
        mfa: u.mfa,
        prefs: prefsModel(u.prefs),
        targets: targets ?? store.userTargets(u).map(targetModel),
        accessedAt: u.accessedAt ?? "",
        impersonator: u.impersonator,
        impersonatorUserId: null,
    };
}

/** JSON text as PHP's default json_encode writes it: `/` escaped, non-ASCII as \uXXXX per UTF-16 unit. */
export function phpJsonEncode(value: unknown): string {
    return JSON.stringify(value)
        .replace(/\//g, "\\/")
        .replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/**
 * What PHP does to JSON it decodes into arrays and encodes again: an object whose keys are 0..n-1 in order
 * becomes a list, so a nested `{}` comes back as `[]`.
 */
export function phpRoundTrip(value: Json): Json {
    if (Array.isArray(value)) return value.map(phpRoundTrip);
    if (value === null || typeof value !== "object") return value;
    const keys = Object.keys(value);
    const entries = keys.map((k) => [k, phpRoundTrip(value[k] as Json)] as const);
    if (keys.every((k, i) => k === String(i))) return entries.map(([, v]) => v);
    return Object.fromEntries(entries);
}
