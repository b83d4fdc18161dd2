import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { userSchema as resourceUserSchema } from "../provider/resources/user/schema";
import { userLabelsSchema } from "../provider/resources/user-labels/schema";
import { userPrefsSchema } from "../provider/resources/user-prefs/schema";
import { userStatusSchema } from "../provider/resources/user-status/schema";
import { userTargetCrossCheck, userTargetSchema } from "../provider/resources/user-target/schema";
import { appwriteId, email, phone, userName } from "../provider/validation/rules";
import { fieldPath, unknownKeyReason } from "../provider/parts/input-names";
import type { PrefsValue } from "./user-prefs";

/** One messaging target of a seeded user, as written in the seed file. */
export interface SeedTarget {
    targetId: string;
    providerType: "email" | "sms" | "push";
    identifier: string;
    providerId?: string;
    name?: string;
}

/** One user of a seed file after validation, with the defaults filled in. */
export interface SeedUser {
    id: string;
    email?: string;
    phone?: string;
    name?: string;
    /** Whether the user may impersonate others; left out, Appwrite's default (false) and not managed. */
    impersonator?: boolean;
    labels: string[];
    prefs: Record<string, PrefsValue>;
    targets: SeedTarget[];
    blocked: boolean;
}

/**
 * Every problem found in a seed file, one line each, so a user can fix them all in one go.
 *
 * @example
 * ```ts
 * try {
 *     loadSeedFile("users.yaml");
 * } catch (error) {
 *     if (!(error instanceof SeedFileError)) throw error;
 *     console.error(error.message); // every problem, one line each
 *     process.exitCode = 1;
 * }
 * ```
 */
export class SeedFileError extends Error {
    constructor(
        readonly file: string,
        readonly problems: string[],
    ) {
        super(
            problems.length === 1
                ? (problems[0] ?? "")
                : `${file}: ${problems.length} problems in the seed file:\n  ${problems.join("\n  ")}`,
        );
        this.name = "SeedFileError";
    }
}

/**
 * The rules are the provider's own (each kind's provider/resources/<kind>/schema.ts), so a seed file passes exactly when the resources
 * it declares would pass `check`.
 */
const targetSchema = userTargetSchema
    .omit({ userId: true, project: true })
    .strict()
    .superRefine((target, ctx) => {
        for (const failure of userTargetCrossCheck(target)) {
            ctx.addIssue({ code: "custom", path: [failure.property], message: failure.reason });
        }
    });

const userSchema = z.strictObject({
    id: appwriteId,
    email: email.optional(),
    phone: phone.optional(),
    name: userName.optional(),
    impersonator: resourceUserSchema.shape.impersonator,
    labels: userLabelsSchema.shape.labels.default([]),
    prefs: userPrefsSchema.shape.prefs.default({}),
    targets: z.array(targetSchema, { error: "must be a list of targets, each with targetId, providerType and identifier" }).default([]),
    blocked: userStatusSchema.shape.blocked.default(false),
});

const USER_FIELDS = { noun: "field", known: Object.keys(userSchema.shape) };
const TARGET_FIELDS = { noun: "field", known: Object.keys(userTargetSchema.omit({ userId: true, project: true }).shape) };

function describeEntry(index: number, raw: unknown): string {
    const id = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).id : undefined;
    return typeof id === "string" ? `users[${index}] (id "${id}")` : `users[${index}] (no valid id)`;
}

function valueAt(root: unknown, at: readonly PropertyKey[]): unknown {
    return at.reduce<unknown>(
        (v, key) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined),
        root,
    );
}

function issueMessages(raw: unknown, issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string }[] {
    if (issue.code !== "unrecognized_keys") {
        const value = valueAt(raw, issue.path);
        // YAML reads unquoted +14155550100, 007 or 2024 as numbers, which would silently drop the + or the
        // leading zeros: refuse them with the fix rather than convert.
        if (issue.code === "invalid_type" && issue.expected === "string" && typeof value === "number") {
            return [
                {
                    path: issue.path,
                    message: `must be text, but YAML read an unquoted number (${value}): put the value in quotes, as written`,
                },
            ];
        }
        return [{ path: issue.path, message: issue.message }];
    }
    const inTarget = issue.path.includes("targets");
    return issue.keys.map((key) => ({
        path: [...issue.path, key],
        message:
            key === "password" || key === "passwordHash"
                ? "is not allowed: seeded passwords are derived from passwordSecret and the user ID, so none is written in the seed file"
                : unknownKeyReason(key, inTarget ? TARGET_FIELDS : USER_FIELDS),
    }));
}

/**
 * The parts of an entry with field problems that are valid on their own, so its ID, email, phone and
 * targets are still checked for duplicates and both kinds of problem are reported in one go.
 */
function validParts(raw: unknown): SeedUser | undefined {
    if (typeof raw !== "object" || raw === null) return undefined;
    const fields = raw as Record<string, unknown>;
    const valid = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
        const result = schema.safeParse(value);
        return result.success ? result.data : undefined;
    };
    const id = valid(appwriteId, fields.id);
    if (id === undefined) return undefined;
    return {
        id,
        email: valid(email, fields.email),
        phone: valid(phone, fields.phone),
        labels: [],
        prefs: {},
        targets: (valid(userSchema.shape.targets, fields.targets) ?? []) as SeedTarget[],
        blocked: false,
    };
}

/** Problems that only show across entries: Appwrite refuses a second user or target with the same key. */
function duplicateProblems(file: string, entries: readonly { user: SeedUser; index: number }[]): string[] {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    const claim = (kind: string, value: string, where: string, field: string) => {
        const first = seen.get(`${kind}:${value}`);
        if (first === undefined) seen.set(`${kind}:${value}`, where);
        else
            problems.push(
                `${file}: ${where}, field "${field}": duplicate ${kind} "${value}", already used by ${first}; each must be unique in the file`,
            );
    };
    const where = (user: SeedUser, index: number) => `users[${index}] (id "${user.id}")`;
    // Entries with field problems are reported for those and still take part here, where they are valid.
    // Appwrite lower-cases emails, and its unique index on target identifiers ignores case (push tokens
    // included), so two spellings of one value collide.
    const contact = (value: string) => value.toLowerCase();
    entries.forEach(({ user, index }) => {
        claim("user ID", user.id, where(user, index), "id");
        if (user.email !== undefined) claim("email", contact(user.email), where(user, index), "email");
        if (user.phone !== undefined) claim("phone", user.phone, where(user, index), "phone");
    });
    entries.forEach(({ user, index }) => {
        user.targets.forEach((target, t) => {
            claim("target ID", target.targetId, where(user, index), `targets[${t}].targetId`);
            const identifier = contact(target.identifier);
            const kind = target.providerType === "email" ? "email" : target.providerType === "sms" ? "phone" : "push";
            const owner = seen.get(`${kind}:${identifier}`);
            // A target naming the user's own email or phone takes over the target Appwrite made for it;
            // one naming another user's is refused by Appwrite, whose target identifiers are project-unique.
            if (owner === where(user, index)) return;
            if (owner !== undefined) {
                problems.push(
                    `${file}: ${where(user, index)}, field "targets[${t}].identifier": "${target.identifier}" is the ${kind} of ${owner}; a target identifier must be unique in the project`,
                );
            } else {
                claim("target identifier", identifier, where(user, index), `targets[${t}].identifier`);
            }
        });
    });
    return problems;
}

/**
 * Validates parsed seed data: either a list of users or an object with a `users` list. Throws a
 * SeedFileError listing every problem, each naming the file, the entry (index and user ID) and the field.
 */
export function validateSeed(file: string, data: unknown): SeedUser[] {
    const list = Array.isArray(data)
        ? data
        : typeof data === "object" && data !== null && Array.isArray((data as Record<string, unknown>).users)
          ? ((data as Record<string, unknown>).users as unknown[])
          : undefined;
    if (data === null || data === undefined) {
        throw new SeedFileError(file, [`${file}: the seed file is empty; list the users in it, e.g. "users:" then "  - id: alice"`]);
    }
    if (list === undefined) {
        throw new SeedFileError(file, [`${file}: must be a list of users, or a map with a "users" list`]);
    }
    const problems: string[] = [];
    const checked: { user: SeedUser; index: number }[] = [];
    list.forEach((raw, index) => {
        const result = userSchema.safeParse(raw);
        if (result.success) {
            checked.push({ user: result.data as SeedUser, index });
            return;
        }
        const parts = validParts(raw);
        if (parts !== undefined) checked.push({ user: parts, index });
        for (const issue of result.error.issues) {
            for (const { path: at, message } of issueMessages(raw, issue)) {
                const field = fieldPath(at);
                problems.push(`${file}: ${describeEntry(index, raw)}${field ? `, field "${field}"` : ""}: ${message}`);
            }
        }
    });
    problems.push(...duplicateProblems(file, checked));
    if (problems.length > 0) throw new SeedFileError(file, problems);
    return checked.map(({ user }) => user);
}

/**
 * Reads and validates a `.yaml`, `.yml` or `.json` seed file. Relative paths are resolved from `cwd` (`SeededUsers`
 * passes the Pulumi project directory).
 *
 * @example
 * ```ts
 * const users = loadSeedFile("users.yaml"); // throws a SeedFileError listing every problem
 * ```
 */
export function loadSeedFile(file: string, cwd: string = process.cwd()): SeedUser[] {
    const extension = path.extname(file).toLowerCase();
    if (![".yaml", ".yml", ".json"].includes(extension)) {
        throw new SeedFileError(file, [`${file}: unknown seed file type "${extension}"; use .yaml, .yml or .json`]);
    }
    let source: string;
    try {
        source = fs.readFileSync(path.resolve(cwd, file), "utf8");
    } catch (error) {
        throw new SeedFileError(file, [`${file}: cannot read the seed file (${(error as Error).message})`]);
    }
    let data: unknown;
    try {
        // An empty JSON file is as empty as a YAML file of only comments, and is reported the same way.
        data = extension === ".json" && source.trim() === "" ? null : extension === ".json" ? JSON.parse(source) : parseYaml(source);
    } catch (error) {
        throw new SeedFileError(file, [`${file}: not valid ${extension === ".json" ? "JSON" : "YAML"}: ${(error as Error).message}`]);
    }
    return validateSeed(file, data);
}
