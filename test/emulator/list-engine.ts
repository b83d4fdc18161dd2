import { orderNull } from "./errors";
import type { AttributeType, ListPlan, Query, Schema } from "./queries";

/** Reads an attribute of an item as stored: null where the database has NULL. */
type Accessor<T> = (item: T, attribute: string) => unknown;

function normalise(type: AttributeType | undefined, v: unknown): unknown {
    if (v === null || v === undefined) return null;
    if (type === "datetime") return Date.parse(String(v));
    if (type === "integer") return Number(v);
    return v;
}

function compare(a: unknown, b: unknown): number {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    if (typeof a === "boolean" || typeof b === "boolean") return Number(a) - Number(b);
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a) < String(b) ? -1 : 1;
}

function matches<T>(item: T, q: Query, schema: Schema, get: Accessor<T>): boolean {
    if (q.method === "and") return (q.values as Query[]).every((n) => matches(item, n, schema, get));
    if (q.method === "or") return (q.values as Query[]).some((n) => matches(item, n, schema, get));
    const attr = schema[q.attribute];
    const raw = get(item, q.attribute);
    if (q.method === "isNull") return raw === null || raw === undefined;
    if (q.method === "isNotNull") return raw !== null && raw !== undefined;
    if (attr?.array) {
        const list = (raw as unknown[] | null) ?? [];
        switch (q.method) {
            case "contains":
            case "containsAny":
                return q.values.some((v) => list.includes(v));
            case "containsAll":
                return q.values.every((v) => list.includes(v));
            case "notContains":
                return !q.values.some((v) => list.includes(v));
        }
        return false;
    }
    // SQL semantics: a comparison with NULL is never true, notEqual included.
    const value = normalise(attr?.type, raw);
    if (value === null) return false;
    const vals = q.values.map((v) => normalise(attr?.type, v));
    const s = String(value);
    const first = vals[0];
    switch (q.method) {
        case "equal":
            return vals.some((v) => compare(value, v) === 0);
        case "notEqual":
            return !vals.some((v) => compare(value, v) === 0);
        case "lessThan":
            return compare(value, first) < 0;
        case "lessThanEqual":
            return compare(value, first) <= 0;
        case "greaterThan":
            return compare(value, first) > 0;
        case "greaterThanEqual":
            return compare(value, first) >= 0;
        case "between":
            return compare(value, first) >= 0 && compare(value, vals[1]) <= 0;
        case "notBetween":
            return compare(value, first) < 0 || compare(value, vals[1]) > 0;
        case "startsWith":
            return s.startsWith(String(first));
        case "notStartsWith":
            return !s.startsWith(String(first));
        case "endsWith":
            return s.endsWith(String(first));
        case "notEndsWith":
            return !s.endsWith(String(first));
        case "contains":
        case "containsAny":
            return vals.some((v) => s.includes(String(v)));
        case "containsAll":
            return vals.every((v) => s.includes(String(v)));
        case "notContains":
            return !vals.some((v) => s.includes(String(v)));
        case "search":
            return searchMatcher(String(first))(s);
        case "notSearch":
            return !searchMatcher(String(first))(s);
    }
    return false;
}

/**
 * MariaDB boolean full-text search as Appwrite drives it: operators become spaces, each word gets a trailing
 * `*`, and words are OR-ed; a quoted phrase must appear as is.
 */
export function searchMatcher(term: string): (haystack: string) => boolean {
    const phrases = [...term.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.toLowerCase().trim()).filter(Boolean);
    const tokens = term
        .replace(/"[^"]*"/g, " ")
        .toLowerCase()
        .split(/[\s@+\-*()<>~"]+/)
        .map((t) => t.split(WORD_BREAK).filter(Boolean))
        .filter((parts) => parts.length > 0);
    return (haystack) => {
        const text = haystack.toLowerCase();
        if (phrases.some((p) => text.includes(p))) return true;
        if (tokens.length === 0) return false;
        const words = text.split(WORD_BREAK);
        return tokens.some((parts) => parts.every((p) => words.some((w) => w.startsWith(p))));
    };
}

const WORD_BREAK = /[^\p{L}\p{N}_]+/u;

export interface ListOptions<T> {
    schema: Schema;
    get: Accessor<T>;
    /** The document the cursor names (looked up by the route, which knows the right 400 to answer). */
    cursorItem?: T;
    search?: (item: T) => boolean;
    withTotal: boolean;
}

/** Total is a capped count, as Appwrite's APP_LIMIT_COUNT. */
const TOTAL_CAP = 5000;

/** Filters, orders and pages items (given in creation order) by a parsed plan. */
export function runList<T>(items: Iterable<T>, plan: ListPlan, opts: ListOptions<T>): { total: number; page: T[] } {
    const { schema, get } = opts;
    const accept = (item: T): boolean => (!opts.search || opts.search(item)) && plan.filters.every((q) => matches(item, q, schema, get));
    const orders = plan.orders.filter((o): o is { attribute: string; desc: boolean } => !("random" in o));
    const random = plan.orders.some((o) => "random" in o);
    const key = (item: T, attribute: string): unknown => normalise(schema[attribute]?.type, get(item, attribute));
    if (orders.length === 0 && !random && !plan.cursor?.before) return firstPage(items, plan, opts, accept, key);
    let rows: T[] = [];
    for (const item of items) if (accept(item)) rows.push(item);
    const total = opts.withTotal ? Math.min(rows.length, TOTAL_CAP) : 0;
    const cmp = (a: T, b: T): number => {
        for (const o of orders) {
            const c = compare(key(a, o.attribute), key(b, o.attribute));
            if (c !== 0) return o.desc ? -c : c;
        }
        return compare(key(a, "$sequence"), key(b, "$sequence"));
    };
    if (orders.length > 0) rows.sort(cmp);
    if (random)
        rows = rows
            .map((r) => [Math.random(), r] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, r]) => r);
    if (plan.cursor && opts.cursorItem !== undefined) {
        const cursor = opts.cursorItem;
        for (const o of orders) if (key(cursor, o.attribute) === null) throw orderNull(o.attribute);
        if (plan.cursor.before) {
            const before = rows.filter((r) => cmp(r, cursor) < 0).reverse();
            return { total, page: before.slice(plan.offset, plan.offset + plan.limit).reverse() };
        }
        rows = rows.filter((r) => cmp(r, cursor) > 0);
    }
    return { total, page: rows.slice(plan.offset, plan.offset + plan.limit) };
}

/**
 * Creation order, the default: one pass that stops once the page is full and the capped count is reached,
 * so the first pages of a large project cost little.
 */
function firstPage<T>(
    items: Iterable<T>,
    plan: ListPlan,
    opts: ListOptions<T>,
    accept: (item: T) => boolean,
    key: (item: T, attribute: string) => unknown,
): { total: number; page: T[] } {
    const cursorSeq = plan.cursor && opts.cursorItem !== undefined ? (key(opts.cursorItem, "$sequence") as number) : undefined;
    const need = plan.offset + plan.limit;
    const rows: T[] = [];
    let count = 0;
    for (const item of items) {
        if (!accept(item)) continue;
        count++;
        if (rows.length < need && (cursorSeq === undefined || (key(item, "$sequence") as number) > cursorSeq)) rows.push(item);
        if (rows.length >= need && (!opts.withTotal || count >= TOTAL_CAP)) break;
    }
    return { total: opts.withTotal ? Math.min(count, TOTAL_CAP) : 0, page: rows.slice(plan.offset, need) };
}
