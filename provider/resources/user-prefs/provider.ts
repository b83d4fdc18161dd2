/**
 * UserPrefs: the preferences of one user. Appwrite replaces prefs wholesale (no merge). With `exclusive`
 * (the default) this resource owns the whole object; with `exclusive: false` only its declared top-level
 * keys, and every write merges them into the live prefs (parts/owned-value-provider.ts says how).
 *
 * - create, update, delete: `PATCH /v1/users/{userId}/prefs` (`updatePrefs`), which answers with the
 *   prefs object, not the user.
 * - Prefs compare by value; Appwrite hands a nested `{}` back as `[]` (PHP arrays), so both sides are
 *   normalised the way PHP would store them before comparing. A merge over Appwrite's size limit writes nothing.
 */
import { describeLimit } from "../../appwrite/fixes";
import { sameValue } from "../../parts/diff";
import { ownedValueProvider } from "../../parts/owned-value-provider";
import { normalizePrefs, phpJsonLength } from "../../validation/php-json";
import { containsUnknown } from "../../validation/unknown";
import { MAX_PREFS_BYTES, userPrefsSchema } from "./schema";

export type Prefs = Record<string, unknown>;

/** Whether Appwrite would hold the same prefs for both; a value still unknown always differs. */
export function samePrefs(a: unknown, b: unknown): boolean {
    return !containsUnknown(b) && sameValue(normalizePrefs(a), normalizePrefs(b));
}

/** Appwrite's JSON parser yields BigInt for integers beyond 2^53, which Pulumi cannot store. */
function jsonSafe(value: unknown): unknown {
    if (typeof value === "bigint") return Number(value);
    if (Array.isArray(value)) return value.map(jsonSafe);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonSafe(item)]));
    }
    return value;
}

function asPrefs(value: unknown): Prefs {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Prefs) : {};
}

/** Only `keys` of `prefs`, those it has. */
function pick(prefs: Prefs, keys: readonly string[]): Prefs {
    return Object.fromEntries(keys.filter((key) => Object.hasOwn(prefs, key)).map((key) => [key, prefs[key]]));
}

/** The live prefs without the keys in `dropped`, with `declared` set over them. */
function mergePrefs(live: Prefs, dropped: readonly string[], declared: Prefs): Prefs {
    const kept = Object.entries(live).filter(([key]) => !dropped.includes(key) || Object.hasOwn(declared, key));
    return { ...Object.fromEntries(kept), ...declared };
}

export const userPrefsProvider = ownedValueProvider<Prefs>({
    kind: "UserPrefs",
    key: "prefs",
    schema: userPrefsSchema,
    same: samePrefs,
    live: (user) => asPrefs(user?.prefs),
    members: (value) => Object.keys(asPrefs(value)),
    outputs: (held, members) => jsonSafe(members === undefined ? asPrefs(held) : pick(asPrefs(held), members)) as Prefs,
    merge: mergePrefs,
    holds: (live, merged) => samePrefs(jsonSafe(live), jsonSafe(merged)),
    overLimit: (merged, _live, declared) => {
        const size = phpJsonLength(normalizePrefs(jsonSafe(merged)));
        if (size <= MAX_PREFS_BYTES) return undefined;
        const others = Object.keys(merged).length - Object.keys(declared).length;
        return describeLimit({
            what: `prefs of ${size} bytes as Appwrite measures them`,
            kept: `this resource's keys ${phpJsonLength(normalizePrefs(declared))} bytes, the ${others} other keys the rest`,
            limit: `${MAX_PREFS_BYTES}`,
            fix: "Declare smaller prefs, or remove keys the application set",
        });
    },
    empty: {},
    write: (users, userId, prefs) => users.updatePrefs({ userId, prefs }),
});
