/**
 * Tests that run a Pulumi program link the package into the program's directory (`node_modules/pulumi-appwrite-users`
 * pointing at the repository, as npm does for a `file:` dependency). The links are git-ignored but would stay
 * behind in the work tree, so after the run this removes each such link that is alone in its `node_modules`,
 * and the `node_modules` with it. One made by `npm install` in an example stays: npm writes
 * `node_modules/.package-lock.json` and the dependencies beside it.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const PACKAGE_NAME = "pulumi-appwrite-users";

/** Directories holding a Pulumi program, under examples/ and test/. */
function programDirs(dir: string, depth: number): string[] {
    if (depth < 0 || !fs.existsSync(dir)) return [];
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    const here = entries.some((e) => e.isFile() && e.name === "Pulumi.yaml") ? [dir] : [];
    const below = entries
        .filter((e) => e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith("."))
        .flatMap((e) => programDirs(path.join(dir, e.name), depth - 1));
    return [...here, ...below];
}

/** Removes the test-made package links to `root` in its programs; returns the directories it cleaned. */
export function removeTestLinks(root: string = ROOT): string[] {
    const cleaned: string[] = [];
    for (const dir of ["examples", "test"].flatMap((top) => programDirs(path.join(root, top), 4))) {
        const nodeModules = path.join(dir, "node_modules");
        const link = path.join(nodeModules, PACKAGE_NAME);
        const isLink = fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
        if (!isLink || fs.realpathSync(link) !== fs.realpathSync(root)) continue;
        if (fs.readdirSync(nodeModules).length !== 1) continue;
        fs.unlinkSync(link);
        fs.rmdirSync(nodeModules);
        cleaned.push(dir);
    }
    return cleaned;
}

export default function setup(): () => void {
    return () => void removeTestLinks();
}
