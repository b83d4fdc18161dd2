/**
 * Lookups of existing users, for programs that refer to users they do not manage. Dynamic providers
 * cannot offer invokes, so these are plain async functions, with `Output` forms for use with other
 * resources' outputs. Reads are made with the provider's settings and retries; see `connection.ts`.
 */
import * as pulumi from "@pulumi/pulumi";
import { Query, type Models, type Users } from "node-appwrite";
import { describeRequestError } from "../provider/appwrite/errors";
import { inProject } from "../provider/appwrite/project-scope";
import { retrying } from "../provider/appwrite/retry";
import { getUser as readUser } from "../provider/appwrite/users";
import { programUsers } from "./connection";
import { toUserInfo, type UserInfo } from "./user-info";

/**
 * What to look a user up by: exactly one of its ID, email or phone. Giving two is refused (by the compiler in
 * TypeScript, and at run time, naming the keys given), since they could name different users.
 */
export type UserKey =
    | { userId: string; email?: never; phone?: never }
    | { email: string; userId?: never; phone?: never }
    | { phone: string; userId?: never; email?: never };

const KEYS = ["userId", "email", "phone"] as const;

export interface LookupOptions {
    /**
     * The Appwrite project to read from: the name of an entry of `appwrite:projects` (or of
     * APPWRITE_PROJECTS). Left out, the default project (`appwrite:*`).
     */
    project?: string;
    /** Also read each user's MFA factors (`listMFAFactors`, one more request per user). Default false. */
    mfaFactors?: boolean;
}

export type GetUserArgs = UserKey & LookupOptions;

export interface ListUsersArgs extends LookupOptions {
    /** Only users carrying every one of these labels. */
    labels?: string[];
    /** Appwrite's full-text search over ID, name, email and phone (words match by prefix). */
    search?: string;
    /** Only active (true) or only blocked (false) users. */
    status?: boolean;
    /** Only users whose email is (true) or is not (false) verified. */
    emailVerification?: boolean;
    /** Only users whose phone is (true) or is not (false) verified. */
    phoneVerification?: boolean;
    /**
     * More filters as `Query` strings from node-appwrite (e.g. `Query.startsWith("email", "qa-")`), on the
     * attributes Appwrite allows for users. Paging is this function's: no limit, offset or cursor here.
     */
    queries?: string[];
    /** At most this many users (a positive integer). Default: every match, fetched page by page. */
    limit?: number;
}

/** Users fetched per request; Appwrite's maximum for one page. */
const PAGE_SIZE = 100;
const PAGING_METHODS = new Set(["limit", "offset", "cursorAfter", "cursorBefore"]);

/** The one key the lookup names, refusing none or several (from JavaScript, or a value cast past the types). */
function lookupKey(args: GetUserArgs): { attribute: (typeof KEYS)[number]; value: string } {
    const given = KEYS.filter((key) => (args as Partial<Record<(typeof KEYS)[number], unknown>>)[key] !== undefined);
    const [attribute] = given;
    if (given.length !== 1 || attribute === undefined) {
        const what = given.length === 0 ? "none of them" : given.map((key) => `\`${key}\``).join(" and ");
        throw new Error(`getUser: give exactly one of \`userId\`, \`email\` or \`phone\` to look a user up by, not ${what}`);
    }
    const value: unknown = (args as Partial<Record<(typeof KEYS)[number], unknown>>)[attribute];
    if (typeof value !== "string") throw new Error(`getUser: \`${attribute}\` must be a string, not ${JSON.stringify(value)}`);
    return { attribute, value };
}

async function withFactors(users: Users, user: Models.User<Models.Preferences>, options: LookupOptions): Promise<UserInfo> {
    if (options.mfaFactors !== true) return toUserInfo(user);
    const factors = await retrying(() => users.listMFAFactors({ userId: user.$id })).catch((err: unknown) => {
        throw describeRequestError(`reading the MFA factors of user "${user.$id}"`, err);
    });
    return toUserInfo(user, factors);
}

/**
 * The user with this ID, email or phone. Emails compare as Appwrite stores them (lower-cased); phones
 * and IDs exactly. Fails, naming what was looked for, when no user matches.
 *
 * @example
 * ```ts
 * const bot = await getUser({ userId: "ci-bot", mfaFactors: true }); // in an async function of a script
 * ```
 */
export async function getUser(args: GetUserArgs): Promise<UserInfo> {
    const { attribute, value } = lookupKey(args);
    const what = `${attribute} "${value}"`;
    const action = `getUser looking up ${what}${args.project === undefined ? "" : ` in project "${args.project}"`}`;
    const users = await programUsers(args.project).catch((err: unknown) => {
        throw describeRequestError(action, err);
    });
    let user: Models.User<Models.Preferences> | undefined;
    try {
        if (attribute === "userId") user = await inProject(args.project, () => readUser(value));
        else {
            const wanted = attribute === "email" ? value.toLowerCase() : value;
            const page = await retrying(() => users.list({ queries: [Query.equal(attribute, [wanted]), Query.limit(1)], total: false }));
            user = page.users[0];
        }
    } catch (err) {
        throw describeRequestError(action, err);
    }
    if (user === undefined)
        throw new Error(`${action}: no Appwrite user has ${what} in ${args.project === undefined ? "this" : "that"} project`);
    return withFactors(users, user, args);
}

function filterQueries(args: ListUsersArgs): string[] {
    const queries = (args.labels ?? []).map((label) => Query.contains("labels", [label]));
    if (args.status !== undefined) queries.push(Query.equal("status", [args.status]));
    if (args.emailVerification !== undefined) queries.push(Query.equal("emailVerification", [args.emailVerification]));
    if (args.phoneVerification !== undefined) queries.push(Query.equal("phoneVerification", [args.phoneVerification]));
    for (const query of args.queries ?? []) {
        let method: unknown;
        try {
            method = (JSON.parse(query) as { method?: unknown }).method;
        } catch {
            throw new Error(`listUsers: queries must be Query strings from node-appwrite, not ${JSON.stringify(query)}`);
        }
        if (typeof method === "string" && PAGING_METHODS.has(method)) {
            throw new Error(`listUsers: queries must not page (${method}); use the \`limit\` option, and the pages are fetched for you`);
        }
        queries.push(query);
    }
    return queries;
}

/**
 * Every user matching all the given filters (all users when none is given), in Appwrite's order, fetched
 * 100 at a time with cursors, so there is no 5,000-offset ceiling. `limit` stops early.
 *
 * @example
 * ```ts
 * const testers = await listUsers({ labels: ["qa"], status: true, limit: 100 });
 * ```
 */
export async function listUsers(args: ListUsersArgs = {}): Promise<UserInfo[]> {
    if (args.limit !== undefined && !(Number.isInteger(args.limit) && args.limit > 0)) {
        throw new Error(`listUsers: limit must be a positive integer, not ${args.limit}`);
    }
    const filters = filterQueries(args);
    const wanted = args.limit ?? Number.POSITIVE_INFINITY;
    const users = await programUsers(args.project);
    const found: Models.User<Models.Preferences>[] = [];
    let cursor: string | undefined;
    while (found.length < wanted) {
        const size = Math.min(PAGE_SIZE, wanted - found.length);
        const queries = [...filters, Query.limit(size), ...(cursor === undefined ? [] : [Query.cursorAfter(cursor)])];
        const page = await retrying(() =>
            users.list({ queries, ...(args.search !== undefined ? { search: args.search } : {}), total: false }),
        ).catch((err: unknown) => {
            throw describeRequestError("listUsers", err);
        });
        found.push(...page.users);
        const last = page.users.at(-1);
        if (page.users.length < size || last === undefined) break;
        cursor = last.$id;
    }
    const result: UserInfo[] = [];
    for (const user of found) result.push(await withFactors(users, user, args));
    return result;
}

/** The arguments of a lookup with each field a `pulumi.Input`, as `getUserOutput` and `listUsersOutput` take them. */
export type LookupInputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * `getUser` for use in a program: takes Inputs, returns an Output of the user.
 *
 * @example
 * ```ts
 * export const adminId = getUserOutput({ email: "admin@example.com" }).userId;
 * ```
 */
export function getUserOutput(args: LookupInputs<GetUserArgs>): pulumi.Output<UserInfo> {
    return pulumi.output(args).apply((resolved) => getUser(resolved as GetUserArgs));
}

/**
 * `listUsers` for use in a program: takes Inputs, returns an Output of the list.
 *
 * @example
 * ```ts
 * export const testerIds = listUsersOutput({ labels: ["qa"] }).apply((users) => users.map((u) => u.userId));
 * ```
 */
export function listUsersOutput(args: LookupInputs<ListUsersArgs> = {}): pulumi.Output<UserInfo[]> {
    return pulumi.output(args).apply((resolved) => listUsers(resolved as ListUsersArgs));
}
