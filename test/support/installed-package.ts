/**
 * The package as users get it: `npm pack` of the built repository, unpacked into a project's `node_modules`
 * next to a real (hard-linked) copy of `@pulumi/pulumi`, as `npm install` lays them out. Pulumi's closure
 * serializer only writes a provider object as `require("pulumi-appwrite-users/provider/<kind>")` when its file
 * lies under `node_modules` and the package's `package.json` resolves from `@pulumi/pulumi`'s own files; a
 * symlinked checkout resolves to the repository instead and gets another, larger `__provider`. Tests and
 * benchmarks that look at `__provider`, or run what users run, install the package with this.
 *
 * `installedProject` gives tests such a project, copied from one of the repository's programs.
 *
 * The pack is made once per content of `dist/`, `package.json` and the other packed files (cached in the
 * system's temporary directory by their hash); installing into a project whose copy has that hash does nothing.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const PACKAGE_NAME = "pulumi-appwrite-users";
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const REPO_MODULES = path.join(REPO_ROOT, "node_modules");
const PACK_CACHE = path.join(os.tmpdir(), `${PACKAGE_NAME}-packed`);
/** Records, in a project's `node_modules`, the hash of the pack installed there. */
const INSTALLED_MARK = `.${PACKAGE_NAME}.installed`;

/** The hash of everything `npm pack` puts in the tarball: package.json, dist/ and the documents it lists. */
function packageHash(): string {
    const hash = createHash("sha256");
    const add = (file: string) => {
        hash.update(path.relative(REPO_ROOT, file)).update("\0").update(fs.readFileSync(file)).update("\0");
    };
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else add(full);
        }
    };
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "provider", "index.js"))) {
        throw new Error(`${path.join(REPO_ROOT, "dist")} is missing: run \`npm run build\` first`);
    }
    for (const doc of ["package.json", "README.md", "CHANGELOG.md", "LICENSE"]) {
        const file = path.join(REPO_ROOT, doc);
        if (fs.existsSync(file)) add(file);
    }
    walk(path.join(REPO_ROOT, "dist"));
    return hash.digest("hex").slice(0, 16);
}

/** The tarball `npm pack` made of the current build, for tests that install it with `npm install <file>`. */
export function packedTarball(hash = packageHash()): string {
    packedPackage(hash);
    return path.join(PACK_CACHE, hash, `${PACKAGE_NAME}.tgz`);
}

/** The unpacked tarball of the current build (its `package/` directory), packed on first use. */
export function packedPackage(hash = packageHash()): string {
    const unpacked = path.join(PACK_CACHE, hash, "package");
    if (fs.existsSync(path.join(unpacked, "package.json"))) return unpacked;
    fs.mkdirSync(PACK_CACHE, { recursive: true });
    return withLock(PACK_CACHE, () => {
        if (fs.existsSync(path.join(unpacked, "package.json"))) return unpacked;
        const work = fs.mkdtempSync(path.join(PACK_CACHE, "pack-"));
        // --ignore-scripts: `prepare` would rebuild dist/ under the feet of the tests that are running.
        const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], REPO_ROOT);
        const [info] = JSON.parse(pack) as { filename: string }[];
        if (info === undefined) throw new Error(`npm pack printed no file: ${pack}`);
        run("tar", ["-xzf", path.join(work, path.basename(info.filename)), "-C", work], REPO_ROOT);
        fs.mkdirSync(path.dirname(unpacked), { recursive: true });
        fs.renameSync(path.join(work, path.basename(info.filename)), path.join(path.dirname(unpacked), `${PACKAGE_NAME}.tgz`));
        fs.renameSync(path.join(work, "package"), unpacked);
        fs.rmSync(work, { recursive: true, force: true });
        return unpacked;
    });
}

/**
 * Installs the packed package into `projectDir/node_modules` as `npm install` of its tarball would: the package's
 * files (no symlink), a real directory for `@pulumi/pulumi` (hard links to the repository's copy), and links to
 * the repository's other packages for everything they require. Returns the installed package's directory.
 */
export function installPackage(projectDir: string): string {
    const hash = packageHash();
    const modules = path.join(projectDir, "node_modules");
    const target = path.join(modules, PACKAGE_NAME);
    const mark = path.join(modules, INSTALLED_MARK);
    const current = () => readIfExists(mark) === hash && isRealDir(target) && isRealDir(path.join(modules, "@pulumi", "pulumi"));
    if (current()) return target;
    const source = packedPackage(hash);
    fs.mkdirSync(modules, { recursive: true });
    return withLock(modules, () => {
        if (current()) return target;
        replaceWithCopy(target, (into) => fs.cpSync(source, into, { recursive: true }));
        const pulumi = path.join(modules, "@pulumi", "pulumi");
        if (!isRealDir(pulumi)) {
            const scope = path.join(modules, "@pulumi");
            if (isSymlink(scope)) fs.unlinkSync(scope);
            fs.mkdirSync(scope, { recursive: true });
            replaceWithCopy(pulumi, (into) => hardLinkTree(path.join(REPO_MODULES, "@pulumi", "pulumi"), into));
        }
        linkOtherPackages(modules);
        fs.writeFileSync(mark, hash);
        return target;
    });
}

/**
 * A copy of the Pulumi project in `projectDir` (its files, without `node_modules`) in a scratch directory of this
 * process, with the packed package installed: a consumer project as users have it. The repository's own
 * directories are left alone, so a run that resolves packages from the repository root (`npm run up`) never
 * meets a second copy of `@pulumi/pulumi` in an example's `node_modules`. The copy is refreshed on every call.
 */
export function installedProject(projectDir: string): string {
    const key = createHash("sha256").update(path.resolve(projectDir)).digest("hex").slice(0, 12);
    const copy = path.join(scratchOfThisProcess(), key, path.basename(projectDir));
    copyChanged(projectDir, copy);
    installPackage(copy);
    return copy;
}

let scratch: string | undefined;

/**
 * This process's directory of project copies, removed when the process exits; those of processes that are
 * gone (test workers are often stopped without an exit event) are removed on first use.
 */
function scratchOfThisProcess(): string {
    if (scratch === undefined) {
        const parent = path.join(os.tmpdir(), `${PACKAGE_NAME}-projects`);
        for (const pid of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
            if (!isRunning(Number(pid))) fs.rmSync(path.join(parent, pid), { recursive: true, force: true });
        }
        const dir = path.join(parent, String(process.pid));
        process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
        scratch = dir;
    }
    return scratch;
}

function isRunning(pid: number): boolean {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Copies what differs only, so that a program already running from the copy never reads a half-written file. */
function copyChanged(from: string, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        if (entry.name === "node_modules") continue;
        const src = path.join(from, entry.name);
        const dst = path.join(to, entry.name);
        if (entry.isDirectory()) copyChanged(src, dst);
        else if (readIfExists(dst) !== fs.readFileSync(src, "utf8")) fs.copyFileSync(src, dst);
    }
}

/** Fills a fresh sibling directory, then swaps it in for `target` (a symlink or a stale copy). */
function replaceWithCopy(target: string, fill: (into: string) => void): void {
    const fresh = `${target}.installing-${process.pid}`;
    fs.rmSync(fresh, { recursive: true, force: true });
    fill(fresh);
    if (isSymlink(target)) fs.unlinkSync(target);
    else fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(fresh, target);
}

function hardLinkTree(from: string, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        const src = path.join(from, entry.name);
        const dst = path.join(to, entry.name);
        if (entry.isDirectory()) hardLinkTree(src, dst);
        else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
        else {
            try {
                fs.linkSync(src, dst);
            } catch {
                fs.copyFileSync(src, dst);
            }
        }
    }
}

/** Everything else in the repository's `node_modules`, linked, so the installed packages find their dependencies. */
function linkOtherPackages(modules: string): void {
    const link = (name: string) => {
        const at = path.join(modules, name);
        if (fs.existsSync(at) || isSymlink(at)) return;
        fs.symlinkSync(path.join(REPO_MODULES, name), at, "dir");
    };
    for (const entry of fs.readdirSync(REPO_MODULES)) {
        if (entry.startsWith(".") || entry === PACKAGE_NAME) continue;
        if (!entry.startsWith("@")) {
            link(entry);
            continue;
        }
        fs.mkdirSync(path.join(modules, entry), { recursive: true });
        for (const member of fs.readdirSync(path.join(REPO_MODULES, entry))) link(path.join(entry, member));
    }
}

/** Runs `f` while holding a lock directory in `dir`, so that test files running at once install one at a time. */
function withLock<T>(dir: string, f: () => T): T {
    const lock = path.join(dir, ".install-lock");
    const started = Date.now();
    for (;;) {
        try {
            fs.mkdirSync(lock);
            break;
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            // A lock older than a minute was left by a killed process.
            const held = fs.statSync(lock, { throwIfNoEntry: false });
            if (held !== undefined && Date.now() - held.mtimeMs > 60_000) fs.rmSync(lock, { recursive: true, force: true });
            if (Date.now() - started > 120_000) throw new Error(`timed out waiting for ${lock}`);
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        }
    }
    try {
        return f();
    } finally {
        fs.rmSync(lock, { recursive: true, force: true });
    }
}

function run(command: string, args: string[], cwd: string): string {
    const result = spawnSync(command, args, { cwd, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.error?.message ?? ""}${result.stderr}`);
    return result.stdout;
}

function readIfExists(file: string): string | undefined {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

function isSymlink(p: string): boolean {
    return fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
}

function isRealDir(p: string): boolean {
    return fs.lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
