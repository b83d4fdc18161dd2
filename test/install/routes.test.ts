import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { readmeBlock } from "../support/readme";
import {
    copySources,
    expectCopiedQuickstartTypeChecks,
    expectProgramRuns,
    expectReadmeSnippetsTypeCheck,
    installConsumer,
    installScriptsOf,
    REPO_ROOT,
    run,
    runOk,
    writeConsumer,
} from "./consumer";

/**
 * The two routes of the README's Install section, each into a fresh consumer project that type-checks and runs
 * against the emulator: the packed tarball (`npm pack` in a clone, here a copy of the sources with the
 * repository's node_modules, then `npm install <tarball>`), and a git URL (`npm install git+<url>`, here a local
 * repository holding the current sources in one commit: npm clones it, installs its dependencies, runs `prepare`
 * to build dist/, and installs what `npm pack` of the clone would hold). One file for both, the suite's slowest
 * installs, so that it runs early: vitest starts larger files first.
 */

let emulator: Emulator;

beforeAll(async () => {
    emulator = await startEmulator();
});

afterAll(async () => {
    await emulator?.stop();
});

describe("the packed tarball", () => {
    let scratch: string;
    let tarball: string;
    let packedFiles: string[];

    beforeAll(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "install-tarball-"));
        const clone = path.join(scratch, "clone");
        await copySources(clone);
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
        const manifestBefore = fs.readFileSync(path.join(clone, "package.json"), "utf8");
        await runOk("npm", ["pack", "--pack-destination", scratch, "--no-update-notifier"], clone);
        expect(fs.readFileSync(path.join(clone, "package.json"), "utf8")).toBe(manifestBefore);
        const [name] = fs.readdirSync(scratch).filter((f) => f.endsWith(".tgz"));
        if (name === undefined) throw new Error("npm pack wrote no tarball");
        tarball = path.join(scratch, name);
        packedFiles = (await runOk("tar", ["-tzf", tarball], scratch)).split("\n").filter((f) => f !== "");
    }, 180_000);

    afterAll(() => {
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("carries the licence, the README, the changelog and the built dist/, and no tests or TypeScript sources", () => {
        expect(packedFiles).toEqual(
            expect.arrayContaining([
                "package/LICENSE",
                "package/README.md",
                "package/CHANGELOG.md",
                "package/package.json",
                "package/dist/sdk/index.js",
                "package/dist/sdk/index.d.ts",
                "package/dist/cli/main.js",
                "package/dist/provider/index.js",
                "package/dist/provider/index.d.ts",
            ]),
        );
        expect(packedFiles.filter((f) => /(^package\/test\/|\.test\.|^package\/examples\/)/.test(f))).toEqual([]);
        expect(packedFiles.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    });

    it("carries the Apache-2.0 licence text that package.json names", async () => {
        const packed = await runOk("tar", ["-xzOf", tarball, "package/LICENSE", "package/package.json"], scratch);
        expect(packed).toContain("Apache License\n                           Version 2.0, January 2004");
        expect(packed).toContain("END OF TERMS AND CONDITIONS");
        expect(packed).toContain('"license": "Apache-2.0"');
    });

    it("installs into a fresh project without any install script, type-checks and runs against the emulator", async () => {
        const consumer = path.join(scratch, "consumer");
        writeConsumer(consumer, `file:${tarball}`);
        const npmOutput = await installConsumer(consumer);
        const installed = path.join(consumer, "node_modules", "pulumi-appwrite-users");
        expect(installScriptsOf(installed)).toEqual([]);
        expect(npmOutput).not.toContain("pulumi-appwrite-users@");
        const bin = await runOk(path.join(consumer, "node_modules", ".bin", "appwrite-users"), ["drift", "--help"], consumer);
        expect(bin).toMatch(/^Usage: appwrite-users drift /);
        await expectProgramRuns(consumer, emulator);
        await expectCopiedQuickstartTypeChecks(consumer);
        await expectReadmeSnippetsTypeCheck(consumer, [
            "example-program",
            "seeded-users-program",
            "seeded-password-snippet",
            "user-bundle-program",
        ]);

        // The README's seed-file check, run as written in the project where the package is installed.
        const check = readmeBlock("seed-file-check");
        expect(check.lang).toBe("sh");
        expect(await run("sh", ["-c", check.code], consumer)).toEqual({ code: 0, output: "users.yaml is valid: 1 users\n" });
        const broken = path.join(consumer, "broken");
        fs.mkdirSync(broken);
        fs.copyFileSync(path.join(consumer, "bad-users.yaml"), path.join(broken, "users.yaml"));
        const refused = await run("sh", ["-c", check.code], broken);
        expect(refused.code).toBe(1);
        expect(refused.output).toMatch(
            /^users\.yaml: 2 problems in the seed file:\n {2}users\.yaml: users\[0\] .*field "id".*\n {2}users\.yaml: users\[0\] .*field "email"/,
        );
    }, 300_000);
});

describe("each example's package.json", () => {
    it("installs the package from the repository's git URL, as a copied example's would, with the same Pulumi and TypeScript", () => {
        const repo = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { repository: { url: string } };
        const manifests = fs
            .readdirSync(path.join(REPO_ROOT, "examples"))
            .filter((example) => fs.existsSync(path.join(REPO_ROOT, "examples", example, "package.json")))
            .map(
                (example) =>
                    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "examples", example, "package.json"), "utf8")) as {
                        dependencies: Record<string, string>;
                        devDependencies: Record<string, string>;
                    },
            );
        expect(manifests.length).toBeGreaterThanOrEqual(3);
        for (const manifest of manifests) {
            expect(manifest.dependencies["pulumi-appwrite-users"]).toBe(repo.repository.url);
            expect(manifest.dependencies["@pulumi/pulumi"]).toBe("^3.216.0");
            expect(manifest.devDependencies).toMatchObject({ "@types/node": "^22.20.5", typescript: "~5.9.3" });
        }
    });
});

describe("installing from a git URL", () => {
    let scratch: string;
    let repository: string;

    beforeAll(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "install-git-"));
        repository = path.join(scratch, "repository");
        await copySources(repository);
        const git = (...args: string[]) =>
            runOk("git", ["-c", "user.name=install-check", "-c", "user.email=install-check@example.com", ...args], repository);
        await git("init", "--quiet", "--initial-branch=main");
        await git("add", "--all");
        await git("commit", "--quiet", "--message", "sources");
    }, 60_000);

    afterAll(() => {
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("builds dist/ in the clone, installs into a fresh project, type-checks and runs against the emulator", async () => {
        const consumer = path.join(scratch, "consumer");
        writeConsumer(consumer, `git+file://${repository}#main`);
        await installConsumer(consumer);
        const installed = path.join(consumer, "node_modules", "pulumi-appwrite-users");
        expect(fs.existsSync(path.join(installed, "dist", "provider", "index.js"))).toBe(true);
        expect(fs.existsSync(path.join(installed, "LICENSE"))).toBe(true);
        expect(fs.existsSync(path.join(installed, "test"))).toBe(false);
        expect(fs.existsSync(path.join(installed, "provider"))).toBe(false);
        await expectProgramRuns(consumer, emulator);
    }, 300_000);
});
