import * as fs from "node:fs";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { RESOURCE_KINDS, type ResourceKind } from "../../provider/kinds";
import { inputNames } from "../../provider/parts/input-names";
import { INPUT_SCHEMAS } from "../../provider/resources/input-schemas";
import { markdownFiles, markedBlocks, REPO } from "../support/readme";

/**
 * What the docs can be held to by a test: the resource pages list exactly the inputs the provider accepts, every
 * relative link lands on a file (and heading) that exists, and every marked TypeScript block compiles against the
 * package's own types as a user's program would (commonjs, strict).
 */

const read = (file: string) => fs.readFileSync(path.join(REPO, file), "utf8");

/** The names in the first column of the table under `heading` (`| \`name\` | ...`), up to the next heading. */
function tableNames(page: string, heading: string): string[] {
    const start = page.indexOf(`\n${heading}\n`);
    if (start < 0) return [];
    const section = page.slice(start + heading.length + 2).split(/\n#{1,3} /)[0] ?? "";
    return [...section.matchAll(/^\|\s*`([\w]+)`\s*\|/gm)].map((m) => m[1] ?? "");
}

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const result = new Set<string>();
    const withoutCode = markdown.replace(/^```[\s\S]*?^```$/gm, "");
    for (const m of withoutCode.matchAll(/^#{1,6} (.+)$/gm)) {
        const base = (m[1] ?? "")
            .trim()
            .toLowerCase()
            .replace(/[^\p{L}\p{N} _-]/gu, "")
            .replace(/ /g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        result.add(n === 0 ? base : `${base}-${n}`);
    }
    return result;
}

type ZodDef = Record<string, unknown> & { shape?: Record<string, unknown>; options?: unknown[] };
const defOf = (schema: unknown): ZodDef | undefined => (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;

/** The schema of the input `name` of a kind's schema, found through zod's wrappers (optional, pipe, union). */
function inputSchema(schema: unknown, name: string): unknown {
    const def = defOf(schema);
    if (def === undefined) return undefined;
    if (def.shape !== undefined && name in def.shape) return def.shape[name];
    for (const inner of [def.in, def.innerType, def.left, def.right, ...(def.options ?? [])]) {
        const found = inputSchema(inner, name);
        if (found !== undefined) return found;
    }
    return undefined;
}

/** What a list (`element`) or a map (`valueType`) input holds, through `optional`. */
function itemSchema(schema: unknown): unknown {
    const def = defOf(schema);
    return def?.element ?? def?.valueType ?? (def?.innerType === undefined ? undefined : itemSchema(def.innerType));
}

describe("each resource kind's page", () => {
    const kinds = Object.entries(RESOURCE_KINDS) as [ResourceKind, string][];

    it.each(kinds)("documents exactly the inputs %s accepts", (kind, page) => {
        const file = `docs/resources/${page}.md`;
        expect(fs.existsSync(path.join(REPO, file)), file).toBe(true);
        expect(tableNames(read(file), "## Inputs").sort()).toEqual(inputNames(INPUT_SCHEMAS[kind]).sort());
    });

    it("documents every option of every passwordHash algorithm on the User page", () => {
        const passwordHash = inputSchema(INPUT_SCHEMAS.User, "passwordHash");
        expect(inputNames(passwordHash).length).toBeGreaterThan(5);
        expect(tableNames(read("docs/resources/user.md"), "### passwordHash").sort()).toEqual(inputNames(passwordHash).sort());
    });

    it("documents every input of a set's member on the UserSet page, userId (the member's key) among them", () => {
        const member = itemSchema(inputSchema(INPUT_SCHEMAS.UserSet, "users"));
        expect(inputNames(member)).toContain("labels");
        expect(tableNames(read("docs/resources/user-set.md"), "### Member inputs").sort()).toEqual(
            ["userId", ...inputNames(member)].sort(),
        );
    });

    it("documents every input of a bundle's target on the UserBundle page", () => {
        const target = itemSchema(inputSchema(INPUT_SCHEMAS.UserBundle, "targets"));
        expect(inputNames(target)).toContain("identifier");
        expect(tableNames(read("docs/resources/user-bundle.md"), "### Target inputs").sort()).toEqual(inputNames(target).sort());
    });
});

describe("the SDK's doc comments", () => {
    it("give every exported class a usage example", () => {
        const missing: string[] = [];
        let classes = 0;
        for (const file of fs.readdirSync(path.join(REPO, "sdk")).filter((f) => f.endsWith(".ts"))) {
            const source = read(`sdk/${file}`);
            for (const m of source.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)?\nexport class (\w+)/g)) {
                classes += 1;
                if (!(m[1] ?? "").includes("@example")) missing.push(`${file}: ${m[2]}`);
            }
        }
        expect(classes).toBeGreaterThanOrEqual(8);
        expect(missing).toEqual([]);
    });
});

describe("the Markdown files", () => {
    const files = markdownFiles();

    it("link only to files, and headings, that exist", () => {
        const broken: string[] = [];
        for (const file of files) {
            const text = read(file).replace(/^```[\s\S]*?^```$/gm, "");
            for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
                const target = m[1] ?? "";
                if (/^[a-z]+:/i.test(target)) continue;
                const [where = "", anchor] = target.split("#");
                const resolved = where === "" ? file : path.join(path.dirname(file), where);
                if (!fs.existsSync(path.join(REPO, resolved))) broken.push(`${file}: ${target}`);
                else if (anchor !== undefined && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor))
                    broken.push(`${file}: ${target} (no such heading)`);
            }
        }
        expect(files.length).toBeGreaterThan(15);
        expect(broken).toEqual([]);
    });

    it("keep the README a front door of at most 300 lines that links every page of docs/", () => {
        const readme = read("README.md");
        expect(readme.split("\n").length).toBeLessThanOrEqual(300);
        const pages = files.filter((file) => file.startsWith("docs/"));
        expect(pages.filter((page) => !readme.includes(`](${page})`))).toEqual([]);
    });
});

/** The examples' programs, compiled with the docs' blocks as their copies would be. */
function examplePrograms(): { name: string; file: string; code: string }[] {
    return fs
        .readdirSync(path.join(REPO, "examples"))
        .filter((example) => fs.existsSync(path.join(REPO, "examples", example, "index.ts")))
        .map((example) => ({
            name: `example-${example}`,
            file: `examples/${example}/index.ts`,
            code: read(`examples/${example}/index.ts`),
        }));
}

describe("the marked TypeScript blocks of the README, CONTRIBUTING.md, docs/ and the examples, and the examples' programs", () => {
    it("each compile as a program of their own against the package's types (commonjs, strict)", async () => {
        const blocks = [...markedBlocks().filter((block) => block.lang === "ts"), ...examplePrograms()];
        expect(blocks.length).toBeGreaterThanOrEqual(10);
        // Inside node_modules, so that @pulumi/pulumi and node-appwrite resolve as from a project that installed them.
        const dir = fs.mkdtempSync(path.join(REPO, "node_modules", ".docs-blocks-"));
        try {
            for (const block of blocks) fs.writeFileSync(path.join(dir, `${block.name}.ts`), `${block.code}\nexport {};\n`);
            const tsconfig = {
                compilerOptions: {
                    target: "ES2022",
                    module: "commonjs",
                    moduleResolution: "node10",
                    strict: true,
                    noEmit: true,
                    skipLibCheck: true,
                    types: ["node"],
                    paths: { "pulumi-appwrite-users": [path.join(REPO, "sdk", "index.ts")] },
                },
                files: blocks.map((block) => `${block.name}.ts`),
            };
            fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
            const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
            const result = await promisify(execFile)(process.execPath, [tsc, "-p", dir], { cwd: dir }).then(
                () => "",
                (error: { stdout?: string }) => error.stdout ?? String(error),
            );
            const named = result.replace(
                /^(\S+?)\.ts\(/gm,
                (_, name: string) => `${blocks.find((b) => b.name === name)?.file ?? "?"} [${name}](`,
            );
            expect(named).toBe("");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }, 240_000);
});
