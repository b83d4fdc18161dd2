import { describe, expect, it } from "vitest";
import { assertImpersonatorsAllowed, assertSeedingAllowed, isProductionStack, productionStacksFromConfig } from "../../sdk/seed-guard";

const config = (value?: string) => ({ get: (key: string) => (key === "productionStacks" ? value : undefined) });

describe("the production guard of SeededUsers", () => {
    it("treats stacks whose name has the word prod or production as production", () => {
        for (const stack of ["prod", "production", "PROD", "acme-prod", "prod_eu", "eu.production.main"]) {
            expect(isProductionStack(stack)).toBe(true);
        }
    });

    it("does not treat other names as production", () => {
        for (const stack of ["dev", "staging", "product-demo", "preprod", "reproduction"]) {
            expect(isProductionStack(stack)).toBe(false);
        }
    });

    it("treats stacks listed in config as production", () => {
        expect(isProductionStack("live", ["live"])).toBe(true);
        expect(isProductionStack("staging", ["live"])).toBe(false);
    });

    it("reads the configured list as JSON or as comma-separated names", () => {
        expect(productionStacksFromConfig(config('["live", "eu-main"]'))).toEqual(["live", "eu-main"]);
        expect(productionStacksFromConfig(config("live, eu-main"))).toEqual(["live", "eu-main"]);
        expect(productionStacksFromConfig(config(undefined))).toEqual([]);
    });

    it("rejects a configured list that is not a list of names", () => {
        expect(() => productionStacksFromConfig(config("[1, 2]"))).toThrow(
            'appwrite-users:productionStacks must be a list of stack names, e.g. ["live", "eu-main"]',
        );
    });

    it("refuses a production stack with an error that says how to allow it", () => {
        expect(() => assertSeedingAllowed("prod", [], false)).toThrow(
            'SeededUsers refuses to seed stack "prod": its name says production (a word "prod" or "production"). Seed users are test users with derived passwords and do not belong in production. If you really mean to seed this stack, pass `allowProduction: true`.',
        );
        expect(() => assertSeedingAllowed("live", ["live"], false)).toThrow(
            'SeededUsers refuses to seed stack "live": it is listed in appwrite-users:productionStacks.',
        );
    });

    it("allows a production stack when allowProduction is set, and any other stack", () => {
        expect(() => assertSeedingAllowed("prod", [], true)).not.toThrow();
        expect(() => assertSeedingAllowed("staging", ["live"], false)).not.toThrow();
    });

    it("refuses impersonators on a production stack unless they are allowed explicitly", () => {
        expect(() => assertImpersonatorsAllowed("prod", [], ["support", "ops"], false)).toThrow(
            'the seed file sets impersonator: true for "support", "ops". An impersonator can act as any user of the project',
        );
        expect(() => assertImpersonatorsAllowed("live", ["live"], ["support"], false)).toThrow(/production stack "live"/);
        expect(() => assertImpersonatorsAllowed("prod", [], ["support"], true)).not.toThrow();
        expect(() => assertImpersonatorsAllowed("prod", [], [], false)).not.toThrow();
        expect(() => assertImpersonatorsAllowed("staging", [], ["support"], false)).not.toThrow();
    });
});
