import { ApiError, invalidParam } from "./errors";
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
    "notEqual",
    "lessThan",
    "lessThanEqual",
    "greaterThan",
    "greaterThanEqual",
    "search",
    "notSearch",
    "startsWith",
    "notStartsWith",
    "endsWith",
    "notEndsWith",
    "regex",
];
const FILTERS_TWO = ["between", "notBetween"];
const ARRAY_METHODS = ["contains", "containsAny", "containsAll", "notContains", "isNull", "isNotNull", "exists", "notExists"];
const SPATIAL_AND_VECTOR = [
    "crosses",
    "notCrosses",
    "distanceEqual",
    "distanceNotEqual",
    "distanceGreaterThan",
    "distanceLessThan",
    "intersects",
    "notIntersects",
    "overlaps",
    "notOverlaps",
    "touches",
    "notTouches",
    "vectorDot",
    "vectorCosine",
    "vectorEuclidean",
    "elemMatch",
];
const KNOWN_METHODS = new Set([
    ...FILTERS_ONE_OR_MORE,
    ...FILTERS_EXACTLY_ONE,
    ...FILTERS_TWO,
    ...SPATIAL_AND_VECTOR,
    "isNull",
    "isNotNull",
    "and",
    "or",
    "select",
    "limit",
    "offset",
    "cursorAfter",
    "cursorBefore",
    "orderAsc",
    "orderDesc",
    "orderRandom",
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
    if (values === null || typeof values !== "object")
        throw new QueryInvalid(`Invalid query values. Must be an array, got ${phpType(values)}`);
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
        if (!Number.isInteger(n) || n < min)
            return `Invalid query: Invalid ${m}: Value must be a valid range between ${min} and ${PHP_INT_MAX}`;
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
            throw new ApiError(
                501,
                "general_not_implemented",
                `The Appwrite emulator does not implement the \`${q.method}\` query method.`,
            );
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
