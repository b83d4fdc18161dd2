import { ApiError, invalidParam, orderNull } from "./errors";
import { uid } from "./validators";

export type AttributeType = "string" | "boolean" | "datetime" | "integer";
export type Schema = Record<string, { type: AttributeType; array?: boolean }>;

const INTERNAL: Schema = {
  $id: { type: "string" },
  $createdAt: { type: "datetime" },
  $updatedAt: { type: "datetime" },
  $sequence: { type: "integer" },
};

/** The attributes Appwrite 1.9.6 lets clients query on users (Queries/Users.php). */
export const USER_SCHEMA: Schema = {
  ...INTERNAL,
  name: { type: "string" },
  email: { type: "string" },
  phone: { type: "string" },
  status: { type: "boolean" },
  passwordUpdate: { type: "datetime" },
  registration: { type: "datetime" },
  emailVerification: { type: "boolean" },
  phoneVerification: { type: "boolean" },
  labels: { type: "string", array: true },
  impersonator: { type: "boolean" },
};

/** Queries/Targets.php. */
export const TARGET_SCHEMA: Schema = {
  ...INTERNAL,
  userId: { type: "string" },
  providerId: { type: "string" },
  identifier: { type: "string" },
  providerType: { type: "string" },
};

export interface Query {
  method: string;
  attribute: string;
  values: unknown[];
}

export interface ListPlan {
  filters: Query[];
  orders: Array<{ attribute: string; desc: boolean } | { random: true }>;
  limit: number;
  offset: number;
  cursor?: { id: string; before: boolean };
}

const FILTERS_ONE_OR_MORE = ["equal", "contains", "containsAny", "notContains", "containsAll", "exists", "notExists"];
const FILTERS_EXACTLY_ONE = [
  "notEqual", "lessThan", "lessThanEqual", "greaterThan", "greaterThanEqual", "search", "notSearch",
  "startsWith", "notStartsWith", "endsWith", "notEndsWith", "regex",
];
const FILTERS_TWO = ["between", "notBetween"];
const ARRAY_METHODS = ["contains", "containsAny", "containsAll", "notContains", "isNull", "isNotNull", "exists", "notExists"];
const SPATIAL_AND_VECTOR = [
  "crosses", "notCrosses", "distanceEqual", "distanceNotEqual", "distanceGreaterThan", "distanceLessThan",
  "intersects", "notIntersects", "overlaps", "notOverlaps", "touches", "notTouches",
  "vectorDot", "vectorCosine", "vectorEuclidean", "elemMatch",
];
const KNOWN_METHODS = new Set([
  ...FILTERS_ONE_OR_MORE, ...FILTERS_EXACTLY_ONE, ...FILTERS_TWO, ...SPATIAL_AND_VECTOR,
  "isNull", "isNotNull", "and", "or", "select", "limit", "offset", "cursorAfter", "cursorBefore",
  "orderAsc", "orderDesc", "orderRandom",
]);
/** Valid on a real server but not evaluated here: answered 501 rather than guessed. */
const NOT_EMULATED = new Set(["regex", "exists", "notExists", ...SPATIAL_AND_VECTOR]);
const MAX_VALUES = 500;
const PHP_INT_MAX = "9,223,372,036,854,775,807";

class QueryInvalid extends Error {}

function phpType(v: unknown): string {
  if (v === null) return "NULL";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "double";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  return "array";
}

function toQuery(raw: unknown): Query {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new QueryInvalid(`Invalid query. Must be an array, got ${phpType(raw)}`);
  }
  const o = raw as Record<string, unknown>;
  const method = o.method ?? "";
  const attribute = o.attribute ?? "";
  const values = o.values ?? [];
  if (typeof method !== "string") throw new QueryInvalid(`Invalid query method. Must be a string, got ${phpType(method)}`);
  if (!KNOWN_METHODS.has(method)) throw new QueryInvalid(`Invalid query method: ${method}`);
  if (typeof attribute !== "string") throw new QueryInvalid(`Invalid query attribute. Must be a string, got ${phpType(attribute)}`);
  if (values === null || typeof values !== "object") throw new QueryInvalid(`Invalid query values. Must be an array, got ${phpType(values)}`);
  const list = Object.values(values);
  return { method, attribute, values: method === "and" || method === "or" ? list.map(toQuery) : list };
}

function parseOne(text: unknown): Query {
  let decoded: unknown;
  try {
    decoded = JSON.parse(String(text));
  } catch {
    throw new QueryInvalid("Invalid query: Syntax error");
  }
  return toQuery(decoded);
}

function valueValid(type: AttributeType, v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
    case "integer":
      return (typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^\d+$/.test(v));
    case "datetime":
      return typeof v === "string" && !Number.isNaN(Date.parse(v));
  }
}

/** The Filter validator: returns an error text, or undefined when the query is valid. */
function filterError(q: Query, schema: Schema): string | undefined {
  const { method, attribute, values } = q;
  if (method === "and" || method === "or") {
    const nested = values as Query[];
    for (const n of nested) if (!isFilter(n.method)) return `${ucfirst(method)} queries can only contain filter queries`;
    if (nested.length < 2) return `${ucfirst(method)} queries require at least two queries`;
    for (const n of nested) {
      const e = filterError(n, schema);
      if (e) return e;
    }
    return undefined;
  }
  if (FILTERS_ONE_OR_MORE.includes(method) && values.length === 0) return `${ucfirst(method)} queries require at least one value.`;
  if (FILTERS_EXACTLY_ONE.includes(method) && values.length !== 1) return `${ucfirst(method)} queries require exactly one value.`;
  if (FILTERS_TWO.includes(method) && values.length !== 2) return `${ucfirst(method)} queries require exactly two values.`;
  const attr = schema[attribute];
  if (!attr) return `Attribute not found in schema: ${attribute}`;
  if (values.length > MAX_VALUES) return `Query on attribute has greater than ${MAX_VALUES} values: ${attribute}`;
  if (method !== "isNull" && method !== "isNotNull") {
    for (const v of values) if (!valueValid(attr.type, v)) return `Query value is invalid for attribute "${attribute}"`;
  }
  const containsLike = ["contains", "containsAny", "containsAll", "notContains"].includes(method);
  if (!attr.array && containsLike && attr.type !== "string") {
    const kind = method === "notContains" ? "notContains" : "contains";
    return `Cannot query ${kind} on attribute "${attribute}" because it is not an array, string, or object.`;
  }
  if (attr.array && !ARRAY_METHODS.includes(method)) return `Cannot query ${method} on attribute "${attribute}" because it is an array.`;
  return undefined;
}

const ucfirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const isFilter = (m: string): boolean =>
  !["select", "limit", "offset", "cursorAfter", "cursorBefore", "orderAsc", "orderDesc", "orderRandom"].includes(m);

function validationError(q: Query, schema: Schema): string | undefined {
  const m = q.method;
  if (m === "select") return "Invalid query method: select";
  if (m === "limit" || m === "offset") {
    const v = q.values[0];
    const numeric = typeof v === "number" || (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)));
    if (!numeric) return `Invalid query: Invalid limit: Value must be a valid number`;
    const n = Number(v);
    const min = m === "limit" ? 1 : 0;
    if (!Number.isInteger(n) || n < min) return `Invalid query: Invalid ${m}: Value must be a valid range between ${min} and ${PHP_INT_MAX}`;
    return undefined;
  }
  if (m === "cursorAfter" || m === "cursorBefore") {
    return uid.isValid(q.values[0]) ? undefined : `Invalid query: Invalid cursor: ${uid.description}`;
  }
  if (m === "orderAsc" || m === "orderDesc") {
    return schema[q.attribute] ? undefined : `Invalid query: Attribute not found in schema: ${q.attribute}`;
  }
  if (m === "orderRandom") return undefined;
  const e = filterError(q, schema);
  return e === undefined ? undefined : `Invalid query: ${e}`;
}

/** Parses and validates the `queries` param as the Users/Targets query validators do. */
export function parseQueries(raw: unknown, schema: Schema): ListPlan {
  if (raw === null || typeof raw !== "object") throw invalidParam("queries", "Queries must be an array");
  const plan: ListPlan = { filters: [], orders: [], limit: 25, offset: 0 };
  for (const text of Object.values(raw)) {
    let q: Query;
    try {
      q = parseOne(text);
    } catch (e) {
      if (e instanceof QueryInvalid) throw invalidParam("queries", `Invalid query: ${e.message}`);
      throw e;
    }
    const error = validationError(q, schema);
    if (error) throw invalidParam("queries", error);
    if (NOT_EMULATED.has(q.method)) {
      throw new ApiError(501, "general_not_implemented", `The Appwrite emulator does not implement the \`${q.method}\` query method.`);
    }
    switch (q.method) {
      case "limit":
        plan.limit = Number(q.values[0]);
        break;
      case "offset":
        plan.offset = Number(q.values[0]);
        break;
      case "cursorAfter":
      case "cursorBefore":
        plan.cursor = { id: String(q.values[0]), before: q.method === "cursorBefore" };
        break;
      case "orderAsc":
      case "orderDesc":
        plan.orders.push({ attribute: q.attribute, desc: q.method === "orderDesc" });
        break;
      case "orderRandom":
        plan.orders.push({ random: true });
        break;
      default:
        plan.filters.push(q);
    }
  }
  return plan;
}

/** Reads an attribute of an item, with datetimes as epoch milliseconds and null where the DB has NULL. */
export type Accessor<T> = (item: T, attribute: string) => unknown;

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
export const TOTAL_CAP = 5000;

/** Filters, orders and pages items (given in creation order) by a parsed plan. */
export function runList<T>(items: Iterable<T>, plan: ListPlan, opts: ListOptions<T>): { total: number; page: T[] } {
  const { schema, get } = opts;
  const accept = (item: T): boolean =>
    (!opts.search || opts.search(item)) && plan.filters.every((q) => matches(item, q, schema, get));
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
  if (random) rows = rows.map((r) => [Math.random(), r] as const).sort((a, b) => a[0] - b[0]).map(([, r]) => r);
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
