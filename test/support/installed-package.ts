/**
 * The package as users get it: `npm pack` of this checkout, unpacked under a consumer project's
 * `node_modules/pulumi-appwrite-users`. Pulumi's closure serializer writes a provider that is the exports of
 * a module under node_modules as a `require` of the package's subpath, so only an installed copy shows the
 * `__provider` text users store. The dependencies are the checkout's own (linked, not fetched), and
 * `@pulumi/pulumi` is linked at the project's top, where the program and the dynamic-provider plugin find it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const PACKAGE_NAME = "pulumi-appwrite-users";

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) hashTree(hash, full);
        else hash.update(entry.name).update(fs.readFileSync(full));
    }
}

/** The tarball `npm pack` makes of the built checkout, made once per content of dist/ and package.json. */
export function packedTarball(): string {
    const dist = path.join(REPO_ROOT, "dist");
    if (!fs.existsSync(path.join(dist, "provider"))) throw new Error(`${dist} is missing: run \`npm run build\` first`);
    const hash = createHash("sha256").update(fs.readFileSync(path.join(REPO_ROOT, "package.json")));
    hashTree(hash, dist);
    const cache = path.join(os.tmpdir(), `${PACKAGE_NAME}-pack-${hash.digest("hex").slice(0, 16)}`);
    const done = path.join(cache, "tarball");
    if (fs.existsSync(done)) return fs.readFileSync(done, "utf8");
    fs.mkdirSync(cache, { recursive: true });
    // --ignore-scripts: dist/ is already built, and the build is not what is under test here.
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", cache], { cwd: REPO_ROOT, encoding: "utf8" });
    const [packed] = JSON.parse(out) as { filename: string }[];
    if (packed === undefined) throw new Error(`npm pack printed no tarball: ${out}`);
    const tarball = path.join(cache, packed.filename);
    fs.writeFileSync(done, tarball);
    return tarball;
}

/** Installs the packed package into `projectDir/node_modules`, with the checkout's dependencies linked. */
export function installPackage(projectDir: string): string {
    const modules = path.join(projectDir, "node_modules");
    const target = path.join(modules, PACKAGE_NAME);
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xzf", packedTarball(), "-C", target, "--strip-components=1"]);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(target, "node_modules"), "dir");
    const pulumiLink = path.join(modules, "@pulumi");
    if (!fs.existsSync(pulumiLink)) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), pulumiLink, "dir");
    return target;
}
