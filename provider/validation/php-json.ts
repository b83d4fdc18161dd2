/**
 * How PHP, which Appwrite runs on, sees a JSON value: the length its `json_encode` writes (Appwrite's
 * prefs limit is measured that way), the objects it turns into lists, and values JSON cannot hold.
 */

/** The length of `value` as PHP's default `json_encode` writes it: `/` as `\/`, each non-ASCII UTF-16 unit as `\uXXXX`. */
export function phpJsonLength(value: unknown): number {
    if (typeof value === "string") {
        let length = 2;
        for (let i = 0; i < value.length; i++) {
            const unit = value.charCodeAt(i);
            if (unit === 0x22 || unit === 0x5c || unit === 0x2f || [8, 9, 10, 12, 13].includes(unit)) length += 2;
            else if (unit < 0x20 || unit > 0x7e) length += unit === 0x7f ? 1 : 6;
            else length += 1;
        }
        return length;
    }
    if (Array.isArray(value)) return 2 + Math.max(0, value.length - 1) + value.reduce((n: number, v) => n + phpJsonLength(v), 0);
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value);
        return 2 + Math.max(0, entries.length - 1) + entries.reduce((n, [k, v]) => n + phpJsonLength(k) + 1 + phpJsonLength(v), 0);
    }
    return JSON.stringify(value ?? null).length;
}

/** PHP turns an object whose keys are 0, 1, 2 ... into a list, which Appwrite refuses as prefs. */
export function isListLike(value: Record<string, unknown>): boolean {
    const keys = Object.keys(value);
    return keys.length > 0 && keys.every((key, i) => key === String(i));
}

/**
 * `value` as PHP stores it: a nested object that is empty or keyed 0, 1, 2 ... becomes a list. The top
 * level stays an object, as Appwrite turns empty prefs back into `{}`.
 */
export function normalizePrefs(value: unknown, nested = false): unknown {
    if (Array.isArray(value)) return value.map((item) => normalizePrefs(item, true));
    if (value !== null && typeof value === "object") {
        const object = value as Record<string, unknown>;
        if (nested && (Object.keys(object).length === 0 || isListLike(object))) {
            return Object.values(object).map((item) => normalizePrefs(item, true));
        }
        return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, normalizePrefs(item, true)]));
    }
    return value;
}

function nonJsonReason(value: unknown): string | undefined {
    switch (typeof value) {
        case "bigint":
            return "is a BigInt, which JSON cannot hold: use a number (up to 2^53) or a string";
        case "function":
            return "is a function, which JSON cannot hold: use a plain value";
        case "symbol":
            return "is a symbol, which JSON cannot hold: use a string";
        case "undefined":
            return "is undefined inside a list, which JSON cannot hold: use null or leave the item out";
        case "number":
            return Number.isFinite(value)
                ? undefined
                : `is ${String(value)}, which JSON cannot hold: use a finite number, null or a string`;
        default:
            return undefined;
    }
}

/**
 * Every value inside `prefs` that JSON cannot hold, with its path. `JSON.stringify` would throw on some
 * and quietly turn others into null or drop them, so they are refused before anything is sent.
 * An `undefined` object entry is no value (Pulumi drops it too), so only `undefined` list items count.
 */
export function nonJsonValues(value: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; reason: string }[] {
    if (Array.isArray(value)) return value.flatMap((item: unknown, i) => nonJsonValues(item, [...path, i]));
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, item]) => (item === undefined ? [] : nonJsonValues(item, [...path, key])));
    }
    const reason = nonJsonReason(value);
    return reason === undefined ? [] : [{ path, reason }];
}
