import * as fs from "node:fs";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "..", "..");

/** Every Markdown file of the repository (not what npm installs or builds), by path from the repository's root. */
export function markdownFiles(dir: string = REPO): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory())
            return ["node_modules", "dist", "coverage", ".git", ".pulumi", ".state"].includes(entry.name) ? [] : markdownFiles(file);
        return entry.name.endsWith(".md") ? [path.relative(REPO, file)] : [];
    });
}

/** The pages a user reads: the README, CONTRIBUTING.md, docs/ and each example's README. Their marked blocks are tested. */
export function userDocs(): string[] {
    return markdownFiles().filter(
        (file) => ["README.md", "CONTRIBUTING.md"].includes(file) || file.startsWith("docs/") || /^examples\/[^/]+\/README\.md$/.test(file),
    );
}

export interface MarkedBlock {
    name: string;
    file: string;
    lang: string;
    code: string;
}

/** Every fenced code block right after a `<!-- readme-test: NAME -->` marker in the user docs. */
export function markedBlocks(): MarkedBlock[] {
    return userDocs().flatMap((file) => {
        const text = fs.readFileSync(path.join(REPO, file), "utf8");
        return [...text.matchAll(/<!-- readme-test: ([\w-]+) -->\n+```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
            name: m[1] ?? "",
            file,
            lang: m[2] ?? "",
            code: m[3] ?? "",
        }));
    });
}

/** The fenced code block right after `<!-- readme-test: NAME -->` in the user docs, so a test runs what the docs show. */
export function readmeBlock(name: string): { lang: string; code: string } {
    const found = markedBlocks().filter((block) => block.name === name);
    if (found.length === 0) throw new Error(`no page has a code block marked readme-test: ${name}`);
    if (found.length > 1)
        throw new Error(`readme-test: ${name} marks a block in ${found.map((b) => b.file).join(" and ")}; names must be unique`);
    const [block] = found;
    return { lang: block?.lang ?? "", code: block?.code ?? "" };
}
