import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { markedBlocks, REPO, userDocs } from "../support/readme";

/**
 * The commands of the README, CONTRIBUTING.md and docs/, as far as a test can follow them without a Pulumi CLI or
 * an Appwrite: what their shell blocks run must exist, the files they name must be there, and each block marked
 * `readme-test` is run as written by the test that reads it (the seed-file check in test/install, the emulator
 * start in test/emulator), or, for TypeScript, compiled by test/docs/docs.test.ts. The examples' READMEs run the
 * examples' own scripts and name their own files, so only their marked blocks are held here.
 */

const ROOT = REPO;
const repoDocs = userDocs().filter((file) => !file.startsWith("examples/"));
const readme = repoDocs.map((file) => fs.readFileSync(path.join(ROOT, file), "utf8")).join("\n");
const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const shellBlocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");

function testSources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const file = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : testSources(file);
        return e.name.endsWith(".ts") ? [fs.readFileSync(file, "utf8")] : [];
    });
}

describe("the README, CONTRIBUTING.md and docs/", () => {
    it("runs only npm scripts that package.json has", () => {
        const named = shellBlocks.flatMap((block) => [...block.matchAll(/\bnpm run (?:-s )?([\w:-]+)/g)].map((m) => m[1] ?? ""));
        expect(named.length).toBeGreaterThan(0);
        expect(named.filter((name) => scripts[name] === undefined)).toEqual([]);
    });

    it("names only repository files and folders that exist", () => {
        const named = [...readme.matchAll(/`((?:examples|test|scripts|sdk|provider|\.ci)\/[^`\s]*)`/g)].map((m) => m[1] ?? "");
        expect(named.length).toBeGreaterThan(10);
        // A path with a placeholder (`provider/resources/<name>/`) names a file to add: the folder it goes in must exist.
        const existing = (file: string) => (file.includes("<") ? file.slice(0, file.lastIndexOf("/", file.indexOf("<")) + 1) : file);
        expect([...new Set(named)].filter((file) => !fs.existsSync(path.join(ROOT, existing(file))))).toEqual([]);
    });

    it("have each block they or the examples mark as tested read by a test, under a name no other block has", () => {
        const blocks = markedBlocks();
        const names = blocks.map((block) => block.name);
        expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
        const marked = blocks.filter((block) => block.lang !== "ts").map((block) => block.name);
        expect(marked.length).toBeGreaterThanOrEqual(3);
        const readers = testSources(path.join(ROOT, "test")).filter(
            (source) => /\breadmeBlock\(/.test(source) && !source.includes("export function readmeBlock"),
        );
        expect(marked.filter((name) => !readers.some((source) => source.includes(`"${name}"`)))).toEqual([]);
    });
});
