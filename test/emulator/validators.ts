import { invalidParam, missingParam } from "./errors";
import { isCallingCodeKnown } from "./phone-codes";

/** A parameter validator as Appwrite's (utopia-php) validators: a test and the description used in errors. */
export interface Validator {
    description: string;
    isValid(value: unknown): boolean;
}

const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");
// PHP's mb_strlen counts code points, not UTF-16 units.
const charLength = (s: string): number => [...s].length;

export function text(max: number, min = 1, allowList?: string[]): Validator {
    let description = "Value must be a valid string";
    if (min === max) description += ` and exactly ${max} chars`;
    else {
        if (min) description += ` and at least ${min} chars`;
        if (max) description += ` and no longer than ${max} chars`;
    }
    if (allowList) description += ` and only consist of '${allowList.join(", ")}' chars`;
    const allowed = allowList ? new Set(allowList) : undefined;
    return {
        description,
        isValid: (v) => {
            if (typeof v !== "string") return false;
            const n = charLength(v);
            if (n < min || (max !== 0 && n > max)) return false;
            // The allow-list check is per byte (str_split), so any non-ASCII character fails it.
            if (allowed) for (const b of Buffer.from(v, "utf8")) if (!allowed.has(String.fromCharCode(b))) return false;
            return true;
        },
    };
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/;

/** Path IDs, providerId and cursor values. Appwrite's description understates what it accepts. */
export const uid: Validator = {
    description: "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore",
    isValid: (v) => typeof v === "string" && KEY_PATTERN.test(v),
};

/** userId and targetId on create: the literal `unique()` or Key rules. */
export const customId: Validator = {
    description:
        "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
    isValid: (v) => v === "unique()" || (typeof v === "string" && KEY_PATTERN.test(v)),
};

// An approximation of PHP's FILTER_VALIDATE_EMAIL: ASCII, dotted domain, TLD starting with a letter.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isValidEmailAddress(value: string): boolean {
    const email = value.trim().toLowerCase();
    if (email.length > 320) return false;
    const parts = email.split("@");
    if (parts.length !== 2) return false;
    const [local, domain] = parts as [string, string];
    if (!local || !domain || local.length > 64 || !LOCAL_PART.test(local)) return false;
    const labels = domain.split(".");
    if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return false;
    return /^[a-z]/.test(labels[labels.length - 1] ?? "");
}

export function email(allowEmpty = false): Validator {
    return {
        description: "Value must be a valid email address",
        isValid: (v) => typeof v === "string" && ((allowEmpty && v === "") || isValidEmailAddress(v)),
    };
}

export function isValidPhoneNumber(value: string): boolean {
    return /^\+[1-9]\d{6,14}$/.test(value) && isCallingCodeKnown(value.slice(1));
}

export function phone(allowEmpty = false): Validator {
    return {
        description: "Phone number must start with a '+' can have a maximum of fifteen digits.",
        isValid: (v) => typeof v === "string" && ((allowEmpty && v === "") || isValidPhoneNumber(v)),
    };
}

/** Plaintext passwords with the default project policy (no dictionary, no character classes). */
export function passwordFormat(allowEmpty = false): Validator {
    return {
        description: "Password must be between 8 and 256 characters long.",
        isValid: (v) => {
            if (typeof v !== "string") return false;
            if (allowEmpty && v === "") return true;
            const n = byteLength(v);
            return n >= 8 && n <= 256;
        },
    };
}

/** Pre-hashed passwords: only the 8–256 byte length is checked; the hash itself is never parsed. */
export const hashedPassword: Validator = passwordFormat(false);

export function boolean(loose: boolean): Validator {
    return {
        description: "Value must be a valid boolean",
        isValid: (v) =>
            typeof v === "boolean" || (loose && (v === "true" || v === "false" || v === "1" || v === "0" || v === 1 || v === 0)),
    };
}

/** What a loose boolean means once accepted. The string "false" is taken as false (see users-api.md §1.2). */
export function toBoolean(v: unknown): boolean {
    return v === true || v === "true" || v === "1" || v === 1;
}

export const integer: Validator = {
    description: "Value must be a valid signed 32-bit integer between -2,147,483,648 and 2,147,483,647",
    isValid: (v) => typeof v === "number" && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647,
};

/** PHP's number_format with no decimals: thousands separated by commas. */
const phpNumber = (n: number): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** utopia's integer Range: a number or numeric string that is an integer within [min, max]. */
export function range(min: number, max: number): Validator {
    return {
        description: `Value must be a valid range between ${phpNumber(min)} and ${phpNumber(max)}`,
        isValid: (v) => {
            const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
            return Number.isInteger(n) && n >= min && n <= max;
        },
    };
}

/** utopia's WhiteList: unless strict, the value and the list are compared lower-cased. */
export function whiteList(list: string[], strict = false): Validator {
    const allowed = strict ? list : list.map((item) => item.toLowerCase());
    return {
        description: `Value must be one of (${list.join(", ")})`,
        isValid: (v) => {
            if (v === null || typeof v === "object") return false;
            return allowed.includes(strict ? (v as string) : String(v).toLowerCase());
        },
    };
}

/** PHP arrays include JSON objects, so an object's values are validated like a list's items. */
export function arrayList(item: Validator, max: number): Validator {
    return {
        description: `Value must a valid array no longer than ${max} items and ${item.description}`,
        isValid: (v) => {
            if (v === null || typeof v !== "object") return false;
            const values = Object.values(v);
            return values.every((x) => item.isValid(x)) && values.length <= max;
        },
    };
}

export function nullable(inner: Validator): Validator {
    return { description: `${inner.description} or null`, isValid: (v) => v === null || inner.isValid(v) };
}

export interface ParamSpec {
    name: string;
    validator: Validator;
    optional?: boolean;
    default?: unknown;
}

/**
 * Reads params as utopia-php/http does: a missing required param is "not optional"; a missing optional one
 * takes its default unvalidated; a present one is validated (empty strings included) unless it is an
 * optional param sent as null.
 */
export function readParams(source: Record<string, unknown>, specs: ParamSpec[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const spec of specs) {
        const present = Object.prototype.hasOwnProperty.call(source, spec.name) && source[spec.name] !== undefined;
        if (!present) {
            if (!spec.optional) throw missingParam(spec.name);
            out[spec.name] = spec.default;
            continue;
        }
        const value = source[spec.name];
        if (spec.optional && value === null) {
            out[spec.name] = null;
            continue;
        }
        if (!spec.validator.isValid(value)) throw invalidParam(spec.name, spec.validator.description);
        out[spec.name] = value;
    }
    return out;
}

export const LABEL_CHARS = [..."0123456789", ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ", ..."abcdefghijklmnopqrstuvwxyz"];
