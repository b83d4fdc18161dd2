/**
 * Property values as they travel over gRPC between the program, the engine and the provider host, with the
 * signatures the Pulumi SDK and engine use to mark secrets, unknowns and output values inside a Struct.
 */
import { UNKNOWN } from "../support/unknown";

export type PropertyValue = null | boolean | number | string | PropertyValue[] | { [key: string]: PropertyValue };
export type PropertyMap = Record<string, PropertyValue>;

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
// The engine's unknown sentinel: the Node SDK sends it for every unknown value and the host compares against it.
export { UNKNOWN };

type PropertyObject = { [key: string]: PropertyValue };

function isObject(v: PropertyValue | undefined): v is PropertyObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isSecret(v: PropertyValue | undefined): boolean {
    return isObject(v) && v[SIG_KEY] === SECRET_SIG;
}

export function makeSecret(v: PropertyValue): PropertyValue {
    return isSecret(v) ? v : { [SIG_KEY]: SECRET_SIG, value: v };
}

function secretValue(v: PropertyObject): PropertyValue {
    return v["value"] ?? null;
}

/**
 * Turns the SDK's wire form (output values, secrets, unknowns) into the engine's: an output value becomes its
 * plain value, a secret wrapper, or the unknown sentinel, as the engine's unmarshalling does for custom resources.
 */
export function fromProgram(v: PropertyValue): PropertyValue {
    if (Array.isArray(v)) return v.map(fromProgram);
    if (!isObject(v)) return v;
    const sig = v[SIG_KEY];
    if (sig === OUTPUT_VALUE_SIG) {
        if (!("value" in v)) return UNKNOWN;
        const inner = fromProgram(v["value"] ?? null);
        return v["secret"] === true ? makeSecret(inner) : inner;
    }
    if (sig === SECRET_SIG) return makeSecret(fromProgram(secretValue(v)));
    if (sig === RESOURCE_REF_SIG) {
        const id = v["id"];
        return typeof id === "string" ? id : String(v["urn"] ?? "");
    }
    return mapObject(v, fromProgram);
}

function mapObject(v: PropertyObject, f: (x: PropertyValue) => PropertyValue): PropertyObject {
    const out: PropertyObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = f(x);
    return out;
}

/** Removes every secret wrapper: what a provider that answered `acceptSecrets=false` receives. */
export function stripSecrets(v: PropertyValue): PropertyValue {
    if (Array.isArray(v)) return v.map(stripSecrets);
    if (!isObject(v)) return v;
    if (isSecret(v)) return stripSecrets(secretValue(v));
    return mapObject(v, stripSecrets);
}

export function stripSecretsMap(m: PropertyMap): PropertyMap {
    return stripSecrets(m) as PropertyMap;
}

function containsSecrets(v: PropertyValue | undefined): boolean {
    if (v === undefined) return false;
    if (Array.isArray(v)) return v.some(containsSecrets);
    if (!isObject(v)) return false;
    if (isSecret(v)) return true;
    return Object.values(v).some(containsSecrets);
}

/** The engine drops unknown properties when marshalling for a call that does not allow unknowns. */
export function dropUnknowns(m: PropertyMap): PropertyMap {
    const drop = (v: PropertyValue): PropertyValue | undefined => {
        if (v === UNKNOWN) return undefined;
        if (Array.isArray(v)) return v.map((x) => drop(x) ?? null);
        if (!isObject(v)) return v;
        const out: PropertyObject = {};
        for (const [k, x] of Object.entries(v)) {
            const d = drop(x);
            if (d !== undefined) out[k] = d;
        }
        return out;
    };
    return drop(m) as PropertyMap;
}

/** Deep equality after unwrapping secrets, as the engine compares inputs in its own diff. */
function deepEqual(a: PropertyValue | undefined, b: PropertyValue | undefined): boolean {
    const x = a === undefined ? undefined : stripSecrets(a);
    const y = b === undefined ? undefined : stripSecrets(b);
    return JSON.stringify(canonical(x)) === JSON.stringify(canonical(y));
}

function canonical(v: PropertyValue | undefined): unknown {
    if (Array.isArray(v)) return v.map(canonical);
    if (!isObject(v)) return v;
    return Object.fromEntries(
        Object.keys(v)
            .sort()
            .map((k) => [k, canonical(v[k])]),
    );
}

/** The top-level keys whose values differ between two maps. */
export function changedKeys(olds: PropertyMap, news: PropertyMap): string[] {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    return [...keys].filter((k) => !deepEqual(olds[k], news[k])).sort();
}

/**
 * The engine's `annotateSecrets`: an output whose same-named input contains a secret becomes secret, recursing
 * where both are objects.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap): PropertyMap {
    const result: PropertyMap = { ...outs };
    for (const [k, inValue] of Object.entries(ins)) {
        const outValue = result[k];
        if (outValue === undefined) continue;
        if (isObject(outValue) && !isSecret(outValue) && isObject(inValue) && !isSecret(inValue)) {
            result[k] = annotateSecrets(outValue, inValue);
        } else if (!isSecret(outValue) && containsSecrets(inValue)) {
            result[k] = makeSecret(outValue);
        }
    }
    return result;
}

/** The step executor's passes after each step: `additionalSecretOutputs`, then outputs of secret inputs. */
export function secretOutputs(outs: PropertyMap, ins: PropertyMap, additional: readonly string[]): PropertyMap {
    const result: PropertyMap = { ...outs };
    for (const k of additional) {
        const v = result[k];
        if (k !== "id" && v !== undefined) result[k] = makeSecret(v);
    }
    for (const [k, v] of Object.entries(result)) {
        if (isSecret(ins[k])) result[k] = makeSecret(v);
    }
    return result;
}
