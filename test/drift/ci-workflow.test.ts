import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const file = path.resolve(__dirname, "..", "..", "examples", "ci-drift", "appwrite-users-drift.yml");

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
}

describe("the CI drift workflow example", () => {
    const workflow = parse(fs.readFileSync(file, "utf8")) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const step = (id: string) => steps.find((s) => s.id === id);

    it("runs on pull requests and on a schedule", () => {
        expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["pull_request", "schedule"]));
    });

    it("runs pulumi preview --refresh --expect-no-changes and treats exit code 7 as changes, not failure", () => {
        const run = step("preview")?.run ?? "";
        expect(run).toContain('pulumi preview --stack "$STACK" --refresh --expect-no-changes');
        expect(run).toMatch(/-ne 7/);
    });

    it("installs the locked dependencies before it runs the package's own appwrite-users bin", () => {
        const install = steps.findIndex((s) => s.run === "npm ci");
        expect(install).toBeGreaterThanOrEqual(0);
        expect(install).toBeLessThan(steps.findIndex((s) => s.id === "drift"));
    });

    it("runs the drift report as markdown and fails only on exit 1", () => {
        const run = step("drift")?.run ?? "";
        expect(run).toContain('npm exec --no -- appwrite-users drift --stack "$STACK" --format markdown > drift.md');
        expect(run).toContain('if [ "$code" -eq 1 ]; then exit 1; fi');
    });

    it("posts the markdown on the pull request when anything drifted, then fails the job", () => {
        const post = steps.find((s) => s.run?.includes("gh pr comment"));
        expect(post?.if).toBe(
            "github.event_name == 'pull_request' && (steps.drift.outputs.exit == '2' || steps.preview.outputs.exit == '7')",
        );
        expect(post?.run).toContain("cat drift.md");
        expect(steps.at(-1)?.if).toBe("steps.drift.outputs.exit == '2' || steps.preview.outputs.exit == '7'");
        expect(steps.at(-1)?.run).toContain("exit 1");
    });
});
