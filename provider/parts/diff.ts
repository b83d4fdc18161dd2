/**
 * The shape every resource's `diff` shares: compare only the inputs the program declares against the
 * old outputs (never `__provider`, never computed outputs), count a still-unknown value as a change, and
 * name the replace keys that changed.
 */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { isUnknown } from "../validation/unknown";

export type Equality = (old: unknown, declared: unknown) => boolean;

export interface DiffSpec {
    /** Inputs that cannot change in place; a change to any of them replaces the resource. */
    replaceKeys: readonly string[];
    /** Inputs that never cause a diff (settings that only matter at create time). */
    ignoreKeys?: readonly string[];
    /** How to compare particular inputs; the default is deep equality of JSON values. */
    equality?: Readonly<Record<string, Equality>>;
    /**
     * Whether the replacement would clash with the old object while both exist (same ID, email, phone or
     * identifier), so the old one must be deleted first.
     */
    collides?: (olds: Record<string, unknown>, news: Record<string, unknown>) => boolean;
}

function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

/** Deep equality of JSON values, ignoring key order. `undefined` and `null` both mean "no value". */
export function sameValue(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));
}

/** Email addresses compare as Appwrite stores them: lower-cased. */
export const sameEmail: Equality = (a, b) =>
    typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : sameValue(a, b);

/** The declared inputs whose value differs from the old outputs. */
export function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>, spec: DiffSpec): string[] {
    return Object.keys(news).filter((key) => {
        if (key === "__provider" || spec.ignoreKeys?.includes(key)) return false;
        const declared = news[key];
        if (declared === undefined) return false;
        if (isUnknown(declared)) return true;
        return !(spec.equality?.[key] ?? sameValue)(olds[key], declared);
    });
}

export function diffDeclared(olds: Record<string, unknown>, news: Record<string, unknown>, spec: DiffSpec): DiffResult {
    const changed = changedKeys(olds, news, spec);
    if (changed.length === 0) return { changes: false };
    const replaces = changed.filter((key) => spec.replaceKeys.includes(key));
    if (replaces.length === 0) return { changes: true };
    return { changes: true, replaces, deleteBeforeReplace: spec.collides?.(olds, news) ?? false };
}
