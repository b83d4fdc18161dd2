import * as pulumi from "@pulumi/pulumi";

/** The config key (namespace `appwrite-users`) that lists further stack names treated as production. */
export const PRODUCTION_STACKS_KEY = "appwrite-users:productionStacks";

/**
 * True when the stack's name says production: one of its words (split on `-`, `_`, `.` and `/`) is
 * `prod` or `production`, in any case, or the name is in `extra`. `product-demo` is not production.
 */
export function isProductionStack(stack: string, extra: readonly string[] = []): boolean {
    const words = stack.toLowerCase().split(/[-_./]+/);
    return words.includes("prod") || words.includes("production") || extra.includes(stack);
}

/** Reads `appwrite-users:productionStacks`: a JSON list or a comma-separated string of stack names. */
export function productionStacksFromConfig(
    config: { get(key: string): string | undefined } = new pulumi.Config("appwrite-users"),
): string[] {
    const raw = config.get("productionStacks");
    if (raw === undefined || raw.trim() === "") return [];
    if (raw.trim().startsWith("[")) {
        const parsed: unknown = JSON.parse(raw);
        if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === "string")) {
            throw new Error(`${PRODUCTION_STACKS_KEY} must be a list of stack names, e.g. ["live", "eu-main"]`);
        }
        return parsed;
    }
    return raw
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
}

/**
 * Throws when the seed file makes impersonators on a production stack (seeding it was allowed with
 * `allowProduction`) unless `allowImpersonators` says so too: an impersonator can act as any user of the
 * project, and a seed user's password is derived from a shared secret.
 */
export function assertImpersonatorsAllowed(
    stack: string,
    productionStacks: readonly string[],
    impersonatorIds: readonly string[],
    allowImpersonators: boolean,
): void {
    if (allowImpersonators || impersonatorIds.length === 0 || !isProductionStack(stack, productionStacks)) return;
    const ids = impersonatorIds.map((id) => `"${id}"`).join(", ");
    throw new Error(
        `SeededUsers refuses to make impersonators on production stack "${stack}": the seed file sets impersonator: true for ` +
            `${ids}. An impersonator can act as any user of the project and seeded passwords are derived from one secret. ` +
            "If you really mean it, pass `allowProductionImpersonators: true` as well.",
    );
}

/** Throws unless seeding this stack is allowed; the message says why and how to allow it on purpose. */
export function assertSeedingAllowed(stack: string, productionStacks: readonly string[], allowProduction: boolean): void {
    if (allowProduction || !isProductionStack(stack, productionStacks)) return;
    const reason = productionStacks.includes(stack)
        ? `it is listed in ${PRODUCTION_STACKS_KEY}`
        : `its name says production (a word "prod" or "production")`;
    throw new Error(
        `SeededUsers refuses to seed stack "${stack}": ${reason}. Seed users are test users with derived passwords ` +
            "and do not belong in production. If you really mean to seed this stack, pass `allowProduction: true`.",
    );
}
