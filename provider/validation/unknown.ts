/**
 * Values Pulumi does not know yet (during a preview) arrive as sentinel strings. They pass `check` and
 * every comparison treats them as a change; they are validated once known.
 */

/** The engine's sentinels for unknown values, one per type (string, bool, number, array, object, asset, archive). */
const UNKNOWN_VALUES: ReadonlySet<string> = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
]);

export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_VALUES.has(value);
}

export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}
