/**
 * Reading many users for `generate` and `sweep`: Appwrite's list, 100 users per request (its most),
 * paged with a cursor on the last user's ID and without a total (counting costs Appwrite a second query).
 * A page shorter than 100 is the last, so N users take floor(N / 100) + 1 requests.
 */
import { Query, type Models, type Users } from "node-appwrite";
import { describeRequestError } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";
import { userLabelsSchema } from "../provider/resources/user-labels/schema";
import { UsageError } from "./command";

const PAGE_SIZE = 100;

export type ListedUser = Models.User<Models.Preferences>;

/** Every user matching `queries` (Appwrite query strings), in Appwrite's order; `search` is its full-text search. */
export async function listAllUsers(users: Users, filter: { queries?: string[]; search?: string } = {}): Promise<ListedUser[]> {
    const all: ListedUser[] = [];
    let cursor: string | undefined;
    for (;;) {
        const queries = [...(filter.queries ?? []), Query.limit(PAGE_SIZE), ...(cursor === undefined ? [] : [Query.cursorAfter(cursor)])];
        const page = await retrying(() =>
            users.list({ queries, ...(filter.search === undefined ? {} : { search: filter.search }), total: false }),
        ).catch((err: unknown) => {
            throw describeRequestError(`listing users${cursor === undefined ? "" : ` after "${cursor}"`}`, err);
        });
        all.push(...page.users);
        if (page.users.length < PAGE_SIZE) return all;
        cursor = page.users[page.users.length - 1]?.$id;
    }
}

/** A label as Appwrite allows it (the provider's rule), or a usage error naming the option. */
export function labelOption(option: string, label: string): string {
    const parsed = userLabelsSchema.safeParse({ userId: "label-check", labels: [label] });
    if (!parsed.success) throw new UsageError(`--${option} "${label}" ${parsed.error.issues[0]?.message ?? "is not a valid label"}`);
    return label;
}

/** A query given on the command line: Appwrite's JSON form, e.g. from node-appwrite's `Query.equal("status", [false])`. */
export function queryOption(value: string): string {
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        throw new UsageError(
            `--query takes a query in Appwrite's JSON form, e.g. '{"method":"equal","attribute":"status","values":[false]}', not "${value}"`,
        );
    }
    if (typeof parsed !== "object" || parsed === null || typeof (parsed as { method?: unknown }).method !== "string") {
        throw new UsageError(`--query needs a "method", e.g. '{"method":"equal","attribute":"status","values":[false]}', not "${value}"`);
    }
    return value;
}
