/**
 * Real install layouts of the packed package, each holding one small Pulumi program (one `User`) in the folder
 * the CLI runs it from. npm and pnpm install the tarball `npm pack` makes, from the registry's cache where they
 * can. (A symlinked checkout, `npm link`, is test/e2e/upgrade.test.ts's linked project.)
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { packedPackage, packedTarball, PACKAGE_NAME, REPO_ROOT } from "../support/installed-package";

const repoManifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
};
const PULUMI_SDK_VERSION = repoManifest.devDependencies["@pulumi/pulumi"] as string;
/** The oldest `@pulumi/pulumi` the peer range accepts (`^3.216.0` gives 3.216.0): the tests must prove it. */
const OLDEST_PULUMI_SDK = (repoManifest.peerDependencies["@pulumi/pulumi"] as string).replace(/^\^/, "");
const PNPM = path.join(REPO_ROOT, "node_modules", ".bin", "pnpm");
const NPM_INSTALL = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier"];

/** Runs an installer without the npm_* variables of an enclosing `npm test`, which would point it at this repository. */
function runOk(command: string, args: string[], cwd: string): Promise<string> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")));
    return new Promise((resolve, reject) => {
        execFile(command, args, { cwd, env, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
            if (error) reject(new Error(`${command} ${args.join(" ")} failed in ${cwd}: ${error.message}\n${stdout}${stderr}`));
            else resolve(stdout);
        });
    });
}

export const LAYOUT_USER = { userId: "layout-user", email: "layout-user@example.com", name: "Layout user" };

const PROGRAM = `import { User } from "${PACKAGE_NAME}";

export const userId = new User("layout-user", ${JSON.stringify(LAYOUT_USER)}).userId;
`;

export interface Layout {
    name: string;
    /** Installs into `scratch` and returns the program's folder. */
    install(scratch: string): Promise<string>;
}

function writeProgram(dir: string, dependencies: Record<string, string>): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: install-layout\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    fs.writeFileSync(
        path.join(dir, "package.json"),
        `${JSON.stringify({ name: "infra", version: "1.0.0", private: true, dependencies }, null, 2)}\n`,
    );
}

function writeJson(file: string, value: unknown): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The packed package again as an older release a second workspace pins: another version, whose package.json
 * has no `exports` (as releases before subpath exports had), so that a resolution from the root that finds
 * it cannot map the entry file back to a subpath.
 */
async function otherVersionTarball(scratch: string): Promise<string> {
    const copy = path.join(scratch, "other-version", "package");
    fs.cpSync(packedPackage(), copy, { recursive: true });
    const {
        exports: _exports,
        typesVersions: _typesVersions,
        ...manifest
    } = JSON.parse(fs.readFileSync(path.join(copy, "package.json"), "utf8")) as Record<string, unknown>;
    writeJson(path.join(copy, "package.json"), { ...manifest, version: "0.0.9" });
    const tarball = path.join(scratch, "other-version", "other.tgz");
    await runOk("tar", ["-czf", tarball, "-C", path.dirname(copy), "package"], scratch);
    return tarball;
}

/** `npm install` of the package and `@pulumi/pulumi` side by side in the program's `node_modules`. */
function flatNpmInstall(name: string, pulumiVersion: string): Layout {
    return {
        name,
        async install(scratch) {
            const program = path.join(scratch, "infra");
            writeProgram(program, { [PACKAGE_NAME]: `file:${packedTarball()}`, "@pulumi/pulumi": pulumiVersion });
            await runOk("npm", NPM_INSTALL, program);
            return program;
        },
    };
}

export const LAYOUTS: Layout[] = [
    // The other layouts and every other test run the newest @pulumi/pulumi; this one proves the peer range's floor.
    flatNpmInstall("a flat npm install, with the oldest @pulumi/pulumi the peer range accepts", OLDEST_PULUMI_SDK),
    {
        // npm nests a package in the workspace's own node_modules when another workspace needs another
        // version at the root; @pulumi/pulumi, needed once, is hoisted to the root.
        name: "an npm-workspaces monorepo with @pulumi/pulumi at the root and the package in the program's folder",
        async install(scratch) {
            writeJson(path.join(scratch, "package.json"), { name: "monorepo", private: true, workspaces: ["admin", "infra"] });
            writeJson(path.join(scratch, "admin", "package.json"), {
                name: "admin",
                version: "1.0.0",
                private: true,
                dependencies: { [PACKAGE_NAME]: `file:${await otherVersionTarball(scratch)}` },
            });
            const program = path.join(scratch, "infra");
            writeProgram(program, { [PACKAGE_NAME]: `file:${packedTarball()}`, "@pulumi/pulumi": PULUMI_SDK_VERSION });
            await runOk("npm", NPM_INSTALL, scratch);
            return program;
        },
    },
    {
        name: "pnpm's default isolated layout",
        async install(scratch) {
            const program = path.join(scratch, "infra");
            writeProgram(program, { [PACKAGE_NAME]: `file:${packedTarball()}`, "@pulumi/pulumi": PULUMI_SDK_VERSION });
            // pnpm refuses to install while a dependency's build script is neither allowed nor denied; what
            // @pulumi/pulumi pulls in runs fine without protobufjs's postinstall, so deny it, as a user would.
            fs.writeFileSync(path.join(program, "pnpm-workspace.yaml"), "allowBuilds:\n  protobufjs: false\n");
            await runOk(PNPM, ["install", "--prefer-offline", "--config.confirm-modules-purge=false"], program);
            return program;
        },
    },
];

/**
 * Where Node finds the package and @pulumi/pulumi from the program's folder, relative to `scratch`, as real
 * paths. Found by walking the `node_modules` folders up from the program, as Node does: `require.resolve`
 * from this repository would answer the package's own name with the repository itself (a self-reference).
 */
export function resolvedFrom(program: string, scratch: string): { package: string; pulumi: string } {
    const find = (name: string) => {
        for (let dir = program; ; dir = path.dirname(dir)) {
            const candidate = path.join(dir, "node_modules", name, "package.json");
            if (fs.existsSync(candidate)) return path.relative(fs.realpathSync(scratch), path.dirname(fs.realpathSync(candidate)));
            if (path.dirname(dir) === dir) throw new Error(`${name} is not installed for ${program}`);
        }
    };
    return { package: find(PACKAGE_NAME), pulumi: find(path.join("@pulumi", "pulumi")) };
}
