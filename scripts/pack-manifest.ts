/**
 * Keeps `prepare` out of the packed package.json. Git installs run `prepare` to build `dist/`, so the
 * repository needs it; a tarball already carries `dist/`, yet npm 11 lists the `prepare` of any package
 * not installed from the registry among the install scripts its consumer must approve. `npm pack` and
 * `npm publish` run `prepack`, pack the package.json on disk, then run `postpack`: `strip` (from
 * `prepack`) takes `prepare` out and `restore` (from `postpack`) puts it back where it was, after `build`.
 * A pack that fails in between leaves it out; the next `npm pack` restores it.
 */
import * as fs from "fs";
import * as path from "path";

const MANIFEST = path.resolve(__dirname, "..", "package.json");
const PREPARE = "npm run build";

type Manifest = { scripts?: Record<string, string> } & Record<string, unknown>;

function write(manifest: Manifest): void {
    fs.writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}

function strip(manifest: Manifest): void {
    const { prepare, ...scripts } = manifest.scripts ?? {};
    if (prepare === undefined) return;
    if (prepare !== PREPARE) {
        throw new Error(
            `package.json: scripts.prepare is "${prepare}", expected "${PREPARE}"; update ${path.basename(__filename)} with it`,
        );
    }
    write({ ...manifest, scripts });
}

function restore(manifest: Manifest): void {
    const scripts = manifest.scripts ?? {};
    if (scripts.prepare !== undefined) return;
    const restored: Record<string, string> = {};
    for (const [name, command] of Object.entries(scripts)) {
        restored[name] = command;
        if (name === "build") restored.prepare = PREPARE;
    }
    if (restored.prepare === undefined) restored.prepare = PREPARE;
    write({ ...manifest, scripts: restored });
}

const actions: Record<string, (manifest: Manifest) => void> = { strip, restore };
const action = actions[process.argv[2] ?? ""];
if (action === undefined) {
    process.stderr.write("Usage: tsx scripts/pack-manifest.ts strip|restore\n");
    process.exit(2);
}
action(JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as Manifest);
