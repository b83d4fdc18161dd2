import * as fs from "node:fs";
import * as path from "node:path";

export const README = path.resolve(__dirname, "..", "..", "README.md");

/** The fenced code block right after `<!-- readme-test: NAME -->` in the README, so a test runs what the README shows. */
export function readmeBlock(name: string): { lang: string; code: string } {
    const text = fs.readFileSync(README, "utf8");
    const marker = `<!-- readme-test: ${name} -->\n`;
    const at = text.indexOf(marker);
    if (at < 0) throw new Error(`README.md has no block marked ${name}`);
    const match = /^```(\w*)\n([\s\S]*?)^```$/m.exec(text.slice(at + marker.length));
    if (match === null || match.index !== 0) throw new Error(`README.md: the marker ${name} is not followed by a code block`);
    return { lang: match[1] ?? "", code: match[2] ?? "" };
}
