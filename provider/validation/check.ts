/**
 * The check machinery: turns zod schemas and cross-field rules into a dynamic provider's `check` result,
 * and into the typed inputs of create and update. Issues about values still unknown wait until they are
 * known; keys no schema has are named with the closest known name (input-names.ts).
 */
import type { z } from "zod";
import type { CheckFailure, CheckResult } from "@pulumi/pulumi/dynamic";
import { invalidInput } from "../appwrite/errors";
import { COMPOSITE_KIND, type ResourceKind } from "../kinds";
import { fieldPath, unknownKeyFailures } from "../parts/input-names";
import { INPUT_SCHEMAS } from "../resources/input-schemas";
import { containsUnknown, isUnknown } from "./unknown";

function valueAt(root: unknown, path: readonly PropertyKey[]): { values: unknown[] } {
    const values: unknown[] = [];
    let current: unknown = root;
    for (const key of path) {
        if (current === null || typeof current !== "object") break;
        current = (current as Record<PropertyKey, unknown>)[key];
        values.push(current);
    }
    return { values };
}

/** An issue about a value that is still unknown (or lies inside one) is not an issue yet. */
function aboutUnknown(news: unknown, path: readonly PropertyKey[]): boolean {
    if (path.length === 0) return false;
    const { values } = valueAt(news, path);
    const self = values[values.length - 1];
    return values.some(isUnknown) || containsUnknown(self);
}

/** Rules across fields, written as plain code so they also run when a single field is still unknown. */
export type CrossCheck<T> = (news: Partial<Record<keyof T, unknown>>) => CheckFailure[];

function failuresOf<T>(schema: z.ZodType<T>, news: Record<string, unknown>, cross?: CrossCheck<T>): CheckFailure[] {
    const result = schema.safeParse(news);
    const failures = result.success
        ? []
        : result.error.issues
              .filter((issue) => !aboutUnknown(news, issue.path))
              .map((issue) => ({ property: fieldPath(issue.path) || "inputs", reason: issue.message }));
    return [
        ...unknownKeyFailures(schema, news, hintSchemas(schema)),
        ...failures,
        ...(cross?.(news as Partial<Record<keyof T, unknown>>) ?? []),
    ];
}

/**
 * The result of a dynamic provider's `check`: one failure per bad field, and the inputs passed on
 * unchanged (they include `__provider`, which the host needs back).
 */
export function checkInputs<T>(schema: z.ZodType<T>, news: Record<string, unknown>, cross?: CrossCheck<T>): CheckResult {
    const failures = failuresOf(schema, news, cross);
    return failures.length === 0 ? { inputs: news } : { inputs: news, failures };
}

/** The typed inputs for create and update; throws (worded by errors.ts) when `check` would have failed. */
export function parseInputs<T>(schema: z.ZodType<T>, news: Record<string, unknown>, cross?: CrossCheck<T>): T {
    const failures = failuresOf(schema, news, cross);
    if (failures.length > 0) throw invalidInput(failures.map((f) => `${f.property} ${f.reason}`));
    return schema.parse(news);
}

/**
 * The schemas an unknown key is matched against: a part's key belongs on another part, never on the bundle
 * (which replaces all five) nor on a set (whose members are bundles), and the bundle's own keys are named
 * among its inputs only.
 */
function hintSchemas(schema: unknown): Partial<Record<ResourceKind, z.ZodType>> {
    if (schema === INPUT_SCHEMAS[COMPOSITE_KIND]) return { [COMPOSITE_KIND]: schema as z.ZodType };
    return Object.fromEntries(Object.entries(INPUT_SCHEMAS).filter(([kind]) => kind !== COMPOSITE_KIND && kind !== "UserSet"));
}
