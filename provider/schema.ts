/**
 * Zod schemas of every resource's inputs, written to Appwrite's own validation rules, and the helpers
 * that turn them into `check` results. Values Pulumi does not know yet (during a preview) arrive as
 * sentinel strings; they pass `check` and are validated once known.
 */
import { z } from "zod";
import type { CheckFailure, CheckResult } from "@pulumi/pulumi/dynamic";
import { COMPOSITE_KIND, type ResourceKind } from "./kinds";
import { invalidInput } from "./errors";
import { fieldPath, inputNames, unknownKeyFailures, unknownKeyReason } from "./input-names";
import { PROJECT_NAME_PATTERN, PROJECT_NAME_RULE } from "./project-settings";

/** The engine's sentinels for unknown values, one per type (string, bool, number, array, object, asset, archive). */
export const UNKNOWN_VALUES: ReadonlySet<string> = new Set([
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

// ---- Shared primitives -------------------------------------------------------------------------------

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/;
export const ID_RULE =
    "1 to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a period, hyphen or underscore";

function text(what: string) {
    return z.string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : `must be a string: ${what}`) });
}

/** A user, target or provider ID as Appwrite accepts it (its `Key` rules with the SQL adapter's 36-character limit). */
export const appwriteId = text(ID_RULE).regex(ID_PATTERN, { error: `must be ${ID_RULE}` });

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** What PHP's FILTER_VALIDATE_EMAIL, which Appwrite uses, accepts: ASCII, one @, a dotted domain. */
export function isEmail(value: string): boolean {
    const at = value.indexOf("@");
    if (value.length > 320 || at < 1 || at !== value.lastIndexOf("@")) return false;
    const local = value.slice(0, at);
    const labels = value.slice(at + 1).split(".");
    return (
        local.length <= 64 &&
        LOCAL_PART.test(local) &&
        labels.length >= 2 &&
        labels.every((label) => DOMAIN_LABEL.test(label)) &&
        /^[A-Za-z]/.test(labels[labels.length - 1] ?? "")
    );
}

const EMAIL_RULE = "a valid email address such as ada@example.org (ASCII, one @, a domain with a dot)";
export const email = text(EMAIL_RULE).refine(isEmail, { error: `must be ${EMAIL_RULE}` });

const CALLING_CODES = new Set(
    ("1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 " +
        "86 90 91 94 95 98 212 213 216 218 220 221 222 223 224 226 227 228 229 231 232 233 234 236 237 238 239 240 241 " +
        "242 244 245 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 " +
        "298 299 350 351 352 353 354 356 357 358 359 370 371 372 373 374 375 376 377 378 380 381 385 386 387 389 417 " +
        "420 421 500 501 502 503 504 505 506 507 509 590 591 592 593 594 595 596 597 598 670 671 672 673 674 675 676 " +
        "677 678 679 680 681 682 683 686 687 688 689 691 692 850 852 853 855 856 880 886 960 961 962 963 964 965 966 " +
        "967 968 971 972 973 974 975 976 977 994 995 996").split(" "),
);

/** E.164 as Appwrite checks it: `+`, 7 to 15 digits, and a calling code on its list (longest match first). */
export function isPhone(value: string): boolean {
    if (!/^\+[1-9]\d{6,14}$/.test(value)) return false;
    const digits = value.slice(1);
    return [3, 2, 1].some((n) => CALLING_CODES.has(digits.slice(0, n)));
}

const PHONE_RULE =
    "an E.164 number: '+', then 7 to 15 digits starting with a calling code Appwrite knows, e.g. +14155550100 (codes such as +92 are refused)";
export const phone = text(PHONE_RULE).refine(isPhone, { error: `must be ${PHONE_RULE}` });

const byteLength = (value: string) => Buffer.byteLength(value, "utf8");
const PASSWORD_RULE = "8 to 256 bytes (a project password policy may ask for more)";
export const password = text(PASSWORD_RULE).refine((v) => byteLength(v) >= 8 && byteLength(v) <= 256, {
    error: `must be ${PASSWORD_RULE}`,
});

export const NAME_RULE = "at most 128 characters";
export const userName = text(NAME_RULE).refine((v) => [...v].length <= 128, { error: `must be ${NAME_RULE}` });

/**
 * The `project` every kind takes: the name of an entry of `appwrite:projects`. Whether it is configured is
 * checked with the settings (project-resource.ts), which also decide what a change of it means.
 */
export const projectInput = text(`the name of an entry of appwrite:projects, ${PROJECT_NAME_RULE}`)
    .regex(PROJECT_NAME_PATTERN, { error: `must be the name of an entry of appwrite:projects: ${PROJECT_NAME_RULE}` })
    .optional();

export function flag(what: string) {
    return z.boolean({ error: `must be true or false: ${what}` });
}

// ---- Checking -----------------------------------------------------------------------------------------

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
    return [...unknownKeyFailures(schema, news, hintSchemas(schema)), ...failures, ...(cross?.(news as Partial<Record<keyof T, unknown>>) ?? [])];
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

// ---- User ---------------------------------------------------------------------------------------------

const hashText = text("the hash as stored by the old system, 8 to 256 bytes").refine(
    (v) => byteLength(v) >= 8 && byteLength(v) <= 256,
    { error: "must be the hash as stored by the old system, 8 to 256 bytes" },
);
const saltText = (what: string) =>
    text(`${what}: 1 to 128 characters`).refine((v) => v.length >= 1 && v.length <= 128 && v !== "0", {
        error: `must be ${what}: 1 to 128 characters, not "0"`,
    });
const base64Text = (what: string) =>
    text(`${what}: base64, 1 to 128 characters`).refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length <= 128 && v !== "0", {
        error: `must be ${what}: base64 (A-Z a-z 0-9 + / and = padding), at most 128 characters, not "0"`,
    });
const integer = (rule: string, ok: (n: number) => boolean) =>
    z.number({ error: `must be a number: ${rule}` }).refine((n) => Number.isInteger(n) && ok(n), { error: `must be ${rule}` });

/** SHA variants Appwrite both accepts and can verify (sha512/224 and sha512/256 pass its check, then fail). */
export const SHA_VERSIONS = ["sha1", "sha224", "sha256", "sha384", "sha512", "sha3-224", "sha3-256", "sha3-384", "sha3-512"] as const;
export const HASH_ALGORITHMS = ["argon2", "bcrypt", "md5", "phpass", "scrypt", "scryptModified", "sha"] as const;

const plainHash = <A extends string>(algorithm: A) => z.object({ algorithm: z.literal(algorithm), hash: hashText });

export const passwordHashSchema = z.discriminatedUnion(
    "algorithm",
    [
        plainHash("argon2"),
        plainHash("bcrypt"),
        plainHash("md5"),
        plainHash("phpass"),
        z.object({
            algorithm: z.literal("sha"),
            hash: hashText,
            passwordVersion: z.enum(SHA_VERSIONS, { error: `must be one of ${SHA_VERSIONS.join(", ")}` }).optional(),
        }),
        z.object({
            algorithm: z.literal("scrypt"),
            hash: hashText,
            passwordSalt: saltText("the salt"),
            passwordCpu: integer("a power of 2 greater than 1 (CPU/memory cost N)", (n) => n > 1 && (n & (n - 1)) === 0),
            passwordMemory: integer("an integer of at least 1 (block size r)", (n) => n >= 1),
            passwordParallel: integer("an integer of at least 1 (parallelization p)", (n) => n >= 1),
            passwordLength: integer("an integer of at least 16 (key length in bytes)", (n) => n >= 16),
        }),
        z.object({
            algorithm: z.literal("scryptModified"),
            hash: hashText,
            passwordSalt: base64Text("the salt"),
            passwordSaltSeparator: base64Text("the salt separator"),
            passwordSignerKey: base64Text("the signer key"),
        }),
    ],
    { error: `must have an algorithm of ${HASH_ALGORITHMS.join(", ")}, with that algorithm's options` },
);

export type PasswordHash = z.infer<typeof passwordHashSchema>;

export const userSchema = z.object({
    userId: appwriteId,
    email: email.optional(),
    phone: phone.optional(),
    name: userName.optional(),
    password: password.optional(),
    passwordHash: passwordHashSchema.optional(),
    emailVerification: flag("whether the email is verified").optional(),
    phoneVerification: flag("whether the phone is verified").optional(),
    mfa: flag("whether multi-factor authentication is on").optional(),
    impersonator: flag("whether the user may impersonate other users").optional(),
    adopt: flag("whether to take over an existing user with this ID").optional(),
    project: projectInput,
});

export type UserInputs = z.infer<typeof userSchema>;

export const userCrossCheck: CrossCheck<UserInputs> = (news) => {
    const failures: CheckFailure[] = [];
    if (news.password !== undefined && news.passwordHash !== undefined) {
        failures.push({ property: "passwordHash", reason: "cannot be set together with password: declare one of them" });
    }
    if (news.passwordHash !== undefined && news.email === undefined) {
        failures.push({ property: "email", reason: "is required with passwordHash: Appwrite imports pre-hashed passwords only for users with an email" });
    }
    return failures;
};

// ---- UserStatus ---------------------------------------------------------------------------------------

export const userStatusSchema = z.object({
    userId: appwriteId,
    blocked: flag("true blocks the user, false lets them sign in"),
    endSessions: flag("true also deletes every session of the user when it is blocked").optional(),
    project: projectInput,
});

export type UserStatusInputs = z.infer<typeof userStatusSchema>;

// ---- UserLabels, UserPrefs, UserTarget ------------------------------------------------------------------

const LABEL_RULE = "1 to 36 ASCII letters or digits (A-Z, a-z, 0-9), no spaces, hyphens or underscores";
export const MAX_LABELS = 1000;

export const userLabelsSchema = z.object({
    userId: appwriteId,
    labels: z
        .array(text(LABEL_RULE).regex(/^[A-Za-z0-9]{1,36}$/, { error: `must be ${LABEL_RULE}` }), {
            error: `must be a list of labels, each ${LABEL_RULE}`,
        })
        // Labels are a set (Appwrite keeps one of each), so the limit counts distinct labels.
        .superRefine((labels, ctx) => {
            const distinct = new Set(labels).size;
            if (distinct > MAX_LABELS) ctx.addIssue({ code: "custom", message: `has ${distinct} distinct labels; at most ${MAX_LABELS} are allowed` });
        }),
    exclusive: flag("true owns every label of the user, false only the declared ones").optional(),
    project: projectInput,
});

export type UserLabelsInputs = z.infer<typeof userLabelsSchema>;

/** Appwrite's limit on `strlen(json_encode(prefs))`. */
export const MAX_PREFS_BYTES = 65535;

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
            return Number.isFinite(value) ? undefined : `is ${String(value)}, which JSON cannot hold: use a finite number, null or a string`;
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

const PREFS_RULE = `a JSON object of at most ${MAX_PREFS_BYTES} bytes as Appwrite measures it`;

export const userPrefsSchema = z.object({
    userId: appwriteId,
    prefs: z
        .record(z.string(), z.unknown(), { error: `must be ${PREFS_RULE}, e.g. { locale: "en" }` })
        .superRefine((prefs, ctx) => {
            const notJson = nonJsonValues(prefs);
            for (const { path, reason } of notJson) ctx.addIssue({ code: "custom", path, message: reason });
            if (notJson.length > 0) return;
            if (isListLike(prefs)) {
                ctx.addIssue({ code: "custom", message: "must have named keys: an object whose keys are just 0, 1, 2 ... reaches Appwrite as a list, which it refuses" });
            }
            const size = phpJsonLength(normalizePrefs(prefs));
            if (size > MAX_PREFS_BYTES) {
                ctx.addIssue({
                    code: "custom",
                    message: `is ${size} bytes as Appwrite measures it (PHP json_encode, which writes / as \\/ and each non-ASCII character as \\uXXXX); at most ${MAX_PREFS_BYTES} bytes are allowed`,
                });
            }
        }),
    exclusive: flag("true owns every preference of the user, false only the declared top-level keys").optional(),
    project: projectInput,
});

export type UserPrefsInputs = z.infer<typeof userPrefsSchema>;

export const TARGET_PROVIDER_TYPES = ["email", "sms", "push"] as const;
export type TargetProviderType = (typeof TARGET_PROVIDER_TYPES)[number];

const IDENTIFIER_RULE = "1 to 255 characters: an email address for email, an E.164 number for sms, a device token for push";
const TARGET_NAME_RULE = "1 to 128 characters (leave it out rather than empty)";

export const userTargetSchema = z.object({
    userId: appwriteId,
    targetId: appwriteId,
    providerType: z.enum(TARGET_PROVIDER_TYPES, { error: "must be email, sms or push, in lower case" }),
    identifier: text(IDENTIFIER_RULE).refine((v) => v.length >= 1 && v.length <= 255, { error: `must be ${IDENTIFIER_RULE}` }),
    providerId: appwriteId.optional(),
    name: text(TARGET_NAME_RULE).refine((v) => [...v].length >= 1 && [...v].length <= 128, { error: `must be ${TARGET_NAME_RULE}` }).optional(),
    project: projectInput,
});

export type UserTargetInputs = z.infer<typeof userTargetSchema>;

/** The identifier is checked by the type of the target, as Appwrite does before anything else. */
export const userTargetCrossCheck: CrossCheck<UserTargetInputs> = (news) => {
    const { providerType, identifier } = news;
    if (typeof identifier !== "string" || isUnknown(identifier) || identifier.length === 0 || identifier.length > 255) return [];
    if (providerType === "email" && !isEmail(identifier)) {
        return [{ property: "identifier", reason: `must be ${EMAIL_RULE} for an email target` }];
    }
    if (providerType === "sms" && !isPhone(identifier)) {
        return [{ property: "identifier", reason: `must be ${PHONE_RULE} for an sms target` }];
    }
    return [];
};

/**
 * The schemas an unknown key is matched against: a part's key belongs on another part, never on the bundle
 * (which replaces all five), and the bundle's own keys are named among its inputs only.
 */
function hintSchemas(schema: unknown): Partial<Record<ResourceKind, z.ZodType>> {
    if (schema === INPUT_SCHEMAS[COMPOSITE_KIND]) return { [COMPOSITE_KIND]: schema as z.ZodType };
    return Object.fromEntries(Object.entries(INPUT_SCHEMAS).filter(([kind]) => kind !== COMPOSITE_KIND));
}

// ---- UserBundle ---------------------------------------------------------------------------------------

/** A target inside a UserBundle: a UserTarget's inputs without `userId` and `project`, which are the bundle's. */
export const bundleTargetSchema = userTargetSchema.omit({ userId: true, project: true });

export type BundleTargetInputs = z.infer<typeof bundleTargetSchema>;

/** The inputs of User, plus those of UserLabels, UserPrefs and UserStatus (each optional) and the targets. */
export const userBundleSchema = userSchema.extend({
    labels: userLabelsSchema.shape.labels.optional(),
    prefs: userPrefsSchema.shape.prefs.optional(),
    blocked: userStatusSchema.shape.blocked.optional(),
    targets: z
        .array(bundleTargetSchema, { error: "must be a list of targets, each { targetId, providerType, identifier, providerId?, name? }" })
        .optional(),
});

export type UserBundleInputs = z.infer<typeof userBundleSchema>;

const TARGET_NAMES = { noun: "input of a target", known: inputNames(bundleTargetSchema) };

/**
 * User's rules across fields, and each target's: its identifier by type, no key a target does not have
 * (zod would drop it without a word), and target IDs unique within the bundle, since its diff and
 * outputs know a target by its ID.
 */
export const userBundleCrossCheck: CrossCheck<UserBundleInputs> = (news) => {
    const failures = userCrossCheck(news as Partial<Record<keyof UserInputs, unknown>>);
    if (!Array.isArray(news.targets)) return failures;
    const seen = new Map<string, number>();
    news.targets.forEach((target: unknown, i) => {
        if (target === null || typeof target !== "object" || Array.isArray(target)) return;
        const fields = target as Record<string, unknown>;
        const at = `targets[${i}]`;
        for (const key of Object.keys(fields)) {
            if (fields[key] !== undefined && !TARGET_NAMES.known.includes(key)) {
                failures.push({ property: `${at}.${key}`, reason: unknownKeyReason(key, TARGET_NAMES) });
            }
        }
        for (const failure of userTargetCrossCheck(fields)) failures.push({ property: `${at}.${failure.property}`, reason: failure.reason });
        const { targetId } = fields;
        if (typeof targetId !== "string" || isUnknown(targetId)) return;
        const first = seen.get(targetId);
        if (first === undefined) seen.set(targetId, i);
        else failures.push({ property: `${at}.targetId`, reason: `is "${targetId}", already the ID of targets[${first}]: each target of a user needs its own ID` });
    });
    return failures;
};

/** Each resource's input schema by kind: what `check` validates, and the names each kind knows. */
export const INPUT_SCHEMAS: Readonly<Record<ResourceKind, z.ZodType>> = {
    User: userSchema,
    UserLabels: userLabelsSchema,
    UserPrefs: userPrefsSchema,
    UserTarget: userTargetSchema,
    UserStatus: userStatusSchema,
    UserBundle: userBundleSchema,
};
