import { z } from "zod";
import { describe, expect, it } from "vitest";
import { closestName, fieldPath, inputNames } from "../../provider/parts/input-names";
import { userSchema } from "../../provider/resources/user/schema";
import { userLabelsSchema } from "../../provider/resources/user-labels/schema";

describe("the names check and seed files know", () => {
    it("are read from the schemas, so an input added to one is known without another change, refined or piped", () => {
        const extended = userSchema.extend({ impersonator: z.boolean().optional() });
        expect(inputNames(extended)).toContain("impersonator");
        expect(inputNames(extended.superRefine(() => undefined))).toContain("impersonator");
        expect(inputNames(extended.transform((inputs) => inputs))).toContain("impersonator");
        expect(inputNames(z.intersection(userLabelsSchema, z.object({ exclusive: z.boolean().optional() })))).toEqual([
            "userId",
            "labels",
            "exclusive",
            "project",
        ]);
    });

    it("suggest the closest name for a slip of a few letters, a shared start or another case, and nothing for an unrelated key", () => {
        const known = ["userId", "email", "emailVerification", "phoneVerification", "mfa"];
        expect(closestName("emailVerified", known)).toBe("emailVerification");
        expect(closestName("emial", known)).toBe("email");
        expect(closestName("USERID", known)).toBe("userId");
        expect(closestName("phoneVerified", known)).toBe("phoneVerification");
        expect(closestName("colour", known)).toBeUndefined();
    });

    it("write paths with list items in brackets and fields after dots", () => {
        expect(fieldPath(["targets", 0, "identifier"])).toBe("targets[0].identifier");
        expect(fieldPath(["labels", 12])).toBe("labels[12]");
        expect(fieldPath(["passwordHash", "algorithm"])).toBe("passwordHash.algorithm");
        expect(fieldPath([])).toBe("");
    });
});
