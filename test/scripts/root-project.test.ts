import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack";

/**
 * The repository's own Pulumi.yaml, which `npm run up` runs: it must run the quickstart. That `npm run up`
 * deploys it with the real CLI is judged in stack.test.ts, and the quickstart's lifecycle in test/e2e.
 */

describe("the root Pulumi project", () => {
    it("is the quickstart", () => {
        const root = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
        const quickstart = fs.readFileSync(path.join(ROOT, "examples", "quickstart", "Pulumi.yaml"), "utf8");
        expect(root).toMatch(/^main: examples\/quickstart$/m);
        expect(root.match(/^name: .*$/m)?.[0]).toBe(quickstart.match(/^name: .*$/m)?.[0]);
    });
});
