import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTestLinks } from "./global-setup";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "test-links-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function program(dir: string, installed: boolean): string {
    const projectDir = path.join(root, dir);
    fs.mkdirSync(path.join(projectDir, "node_modules"), { recursive: true });
    fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    fs.symlinkSync(
        path.relative(path.join(projectDir, "node_modules"), root),
        path.join(projectDir, "node_modules", "pulumi-appwrite-users"),
        "dir",
    );
    if (installed) fs.writeFileSync(path.join(projectDir, "node_modules", ".package-lock.json"), "{}");
    return projectDir;
}

describe("the test run's clean-up", () => {
    it("removes the package links tests leave in programs' node_modules, and keeps those npm install made", () => {
        const linked = program("examples/quickstart", false);
        const nested = program("test/engine/programs/basic", false);
        const installed = program("examples/staging-seed", true);
        expect(removeTestLinks(root).sort()).toEqual([linked, nested].sort());
        expect(fs.existsSync(path.join(linked, "node_modules"))).toBe(false);
        expect(fs.existsSync(path.join(nested, "node_modules"))).toBe(false);
        expect(fs.lstatSync(path.join(installed, "node_modules", "pulumi-appwrite-users")).isSymbolicLink()).toBe(true);
    });
});
