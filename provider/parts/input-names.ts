/**
 * How `check` and seed files name a field and word an unknown one. Both word the same mistakes the same
 * way: a path written `labels[0]` or `passwordHash.algorithm`, and for a key no schema has, the closest
 * known name or the resource the key belongs to. The known names are always read from the zod schemas,
 * so an input added to a schema is known here at once.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import type { ResourceKind } from "../kinds";

/** `["targets", 0, "identifier"]` as `targets[0].identifier`. */
export function fieldPath(parts: readonly PropertyKey[]): string {
    return parts.reduce<string>(
        (path, part) => (typeof part === "number" ? `${path}[${part}]` : path === "" ? String(part) : `${path}.${String(part)}`),
        "",
    );
}

/** Keys the engine adds to every resource's inputs (`__provider`, and any other `__` key it may add). */
export function isEngineKey(key: string): boolean {
    return key.startsWith("__");
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
            current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
        }
        previous = current;
    }
    return previous[b.length] ?? 0;
}

function commonPrefix(a: string, b: string): number {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
}

/**
 * The known name `key` most likely stands for, ignoring case: a few typed letters apart, or sharing its
 * first five letters (`emailVerified` for `emailVerification`). Undefined when nothing is that close.
 */
export function closestName(key: string, known: readonly string[]): string | undefined {
    const typed = key.toLowerCase();
    let best: { name: string; distance: number } | undefined;
    for (const name of known) {
        const candidate = name.toLowerCase();
        const distance = editDistance(typed, candidate);
        const close = distance <= Math.max(2, Math.floor(Math.max(typed.length, candidate.length) / 3));
        const prefix = commonPrefix(typed, candidate) >= Math.min(5, typed.length, candidate.length);
        if ((close || prefix) && (best === undefined || distance < best.distance)) best = { name, distance };
    }
    return best?.name;
}

/** What an unknown key is checked against. */
export interface KnownNames {
    /** "input of User" or "field": how the message names what the key is not. */
    noun: string;
    known: readonly string[];
    /** Other resources and their inputs, for a key that belongs to one of them. */
    elsewhere?: Readonly<Record<string, readonly string[]>>;
}

/** The reason given for a key that is not a known name: the closest name, or where the key belongs. */
export function unknownKeyReason(key: string, names: KnownNames): string {
    const allowed = `known: ${names.known.join(", ")}`;
    const elsewhere = Object.entries(names.elsewhere ?? {});
    const owners = elsewhere.filter(([, keys]) => keys.includes(key)).map(([kind]) => kind);
    if (owners.length > 0) {
        const kinds = owners.join(" or ");
        return `is not an ${names.noun}: it belongs to ${kinds}; set it on ${owners.length > 1 ? "one of those resources" : `a ${kinds} resource`} for this user instead`;
    }
    const own = closestName(key, names.known);
    if (own !== undefined) return `is not a known ${names.noun}; did you mean \`${own}\`? (${allowed})`;
    for (const [kind, keys] of elsewhere) {
        const theirs = closestName(key, keys);
        if (theirs !== undefined) return `is not a known ${names.noun}; did you mean \`${theirs}\`, which belongs to ${kind}? (${allowed})`;
    }
    return `is not a known ${names.noun} (${allowed})`;
}

/**
 * The input names a schema declares, read from the schema so that an input added there is known at once:
 * an object's keys, through a pipe or a wrapper, and across the parts of an intersection or a union.
 */
export function inputNames(schema: unknown): string[] {
    if (schema === null || typeof schema !== "object") return [];
    type Parts = { shape?: unknown; in?: unknown; innerType?: unknown; left?: unknown; right?: unknown; options?: unknown };
    const parts = (schema as { _zod?: { def?: Parts } })._zod?.def ?? (schema as Parts);
    if (parts.shape !== null && typeof parts.shape === "object") return Object.keys(parts.shape);
    const inner = [parts.in, parts.innerType, parts.left, parts.right, ...(Array.isArray(parts.options) ? parts.options : [])];
    return [...new Set(inner.flatMap(inputNames))];
}

/**
 * Keys that no input of this resource has. Zod would drop them without a word and Pulumi would store
 * them doing nothing, so each is refused with the name it most likely stands for, or the resource it
 * belongs to. The engine's own keys (`__provider`) are never refused.
 */
export function unknownKeyFailures(
    schema: unknown,
    news: Record<string, unknown>,
    schemasByKind: Readonly<Partial<Record<ResourceKind, unknown>>>,
): CheckFailure[] {
    const kinds = Object.entries(schemasByKind) as [ResourceKind, unknown][];
    const kind = kinds.find(([, s]) => s === schema)?.[0];
    const known = inputNames(schema);
    // A schema whose names cannot be read refuses nothing here, rather than every input.
    if (known.length === 0) return [];
    const unknown = Object.keys(news).filter((key) => !isEngineKey(key) && news[key] !== undefined && !known.includes(key));
    if (unknown.length === 0) return [];
    const elsewhere = Object.fromEntries(kinds.filter(([k]) => k !== kind).map(([k, s]) => [k, inputNames(s)]));
    const names = { noun: kind === undefined ? "input" : `input of ${kind}`, known, elsewhere };
    return unknown.map((key) => ({ property: key, reason: unknownKeyReason(key, names) }));
}
