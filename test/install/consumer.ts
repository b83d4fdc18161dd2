/**
 * A fresh consumer project in a temporary directory, as a user makes one: it depends on the package by an
 * install route (a tarball or a git URL), installs with npm from the registry or local files only,
 * type-checks its program with its own TypeScript, and runs it against the emulator.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import type { Emulator } from "../emulator";
import { plaintextMatches } from "../emulator/hashing";
import { seededUserPassword } from "../../sdk/seed-password";
import { readmeBlock } from "../support/readme";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const PACKAGE_NAME = "pulumi-appwrite-users";
const repoManifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
};

export interface RunResult {
    code: number;
    output: string;
}

/**
 * Runs a command with the test's Node on PATH. The npm_* variables of an enclosing `npm test` are dropped, so
 * a nested npm sees the consumer project, not this repository.
 */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")));
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString("utf8")));
        child.stderr.on("data", (d: Buffer) => (output += d.toString("utf8")));
        child.once("error", reject);
        child.once("exit", (code) => resolve({ code: code ?? 1, output }));
    });
}

/** Runs a command and fails the test with its output when it exits non-zero. */
export async function runOk(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
    const result = await run(command, args, cwd, env);
    if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code} in ${cwd}:\n${result.output}`);
    return result.output;
}

/**
 * Copies the repository's files as a fresh clone has them (tracked and new files, nothing git ignores: no
 * node_modules, no dist/) to `dest`, so packing and cloning see the sources as they are now.
 */
export async function copySources(dest: string): Promise<void> {
    const listing = await runOk("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO_ROOT);
    for (const file of listing.split("\0").filter((f) => f !== "")) {
        const from = path.join(REPO_ROOT, file);
        if (!fs.existsSync(from)) continue; // deleted in the work tree, not yet in the index
        fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
        fs.copyFileSync(from, path.join(dest, file));
    }
}

const SEED_SECRET = "install-check-seed-secret-0123456789";
const SEED_USER = { id: "install-check", email: "install-check@example.com", name: "Install check" };

/** The consumer's program: the SDK's pure functions, and a user created and read through the installed provider. */
const PROGRAM = `import { loadSeedFile, SeedFileError, seededUserPassword } from "${PACKAGE_NAME}";
import { providers } from "${PACKAGE_NAME}/provider";

async function main(): Promise<void> {
    const secret = process.env.SEED_PASSWORD_SECRET;
    if (secret === undefined) throw new Error("set SEED_PASSWORD_SECRET");
    const [seed] = loadSeedFile("users.yaml");
    if (seed === undefined) throw new Error("users.yaml has no users");

    let problems: string[] = [];
    try {
        loadSeedFile("bad-users.yaml");
    } catch (error) {
        if (!(error instanceof SeedFileError)) throw error;
        problems = error.problems;
    }

    const user = providers.User;
    if (user.check === undefined || user.read === undefined) throw new Error("the User provider lacks check or read");
    const inputs = { userId: seed.id, email: seed.email, name: seed.name, password: seededUserPassword(secret, seed.id) };
    const checked = await user.check({}, inputs);
    if (checked.failures !== undefined && checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
    const created = await user.create(checked.inputs);
    const read = await user.read(created.id, created.outs);
    console.log(JSON.stringify({ id: created.id, email: read.props?.email, name: read.props?.name, problems }));
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
`;

/** Writes the consumer project: package.json naming the package by `spec`, a strict tsconfig, the program and its seed files. */
export function writeConsumer(dir: string, spec: string): void {
    const manifest = {
        name: "install-check",
        private: true,
        dependencies: { [PACKAGE_NAME]: spec, "@pulumi/pulumi": repoManifest.devDependencies["@pulumi/pulumi"] },
        devDependencies: {
            typescript: repoManifest.devDependencies.typescript,
            "@types/node": repoManifest.devDependencies["@types/node"],
        },
    };
    const tsconfig = {
        compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node10", strict: true, types: ["node"], outDir: "out" },
        files: ["index.ts"],
    };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    fs.writeFileSync(
        path.join(dir, "users.yaml"),
        `users:\n  - { id: ${SEED_USER.id}, email: ${SEED_USER.email}, name: ${SEED_USER.name} }\n`,
    );
    fs.writeFileSync(path.join(dir, "bad-users.yaml"), "users:\n  - { id: -bad, email: not-an-email }\n");
}

/** `npm install` in the consumer, preferring the local cache; returns npm's output. */
export function installConsumer(dir: string): Promise<string> {
    return runOk("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier"], dir);
}

/**
 * Type-checks and compiles the program with the consumer's TypeScript against the installed typings, runs it
 * against the emulator, and checks what it printed and what Appwrite now holds.
 */
export async function expectProgramRuns(dir: string, emulator: Emulator): Promise<void> {
    await runOk(path.join(dir, "node_modules", ".bin", "tsc"), ["-p", "."], dir);
    emulator.resetRequestCounts();
    const output = await runOk(process.execPath, [path.join("out", "index.js")], dir, {
        APPWRITE_ENDPOINT: emulator.endpoint,
        APPWRITE_PROJECT_ID: emulator.projectId,
        APPWRITE_API_KEY: emulator.apiKey,
        SEED_PASSWORD_SECRET: SEED_SECRET,
    });
    const printed = JSON.parse(output.trim().split("\n").pop() ?? "") as { id: string; email: string; name: string; problems: string[] };
    expect(printed).toMatchObject({ id: SEED_USER.id, email: SEED_USER.email, name: SEED_USER.name });
    expect(printed.problems.join("\n")).toMatch(/users\[0\].*field "id"/);
    expect(printed.problems.join("\n")).toMatch(/users\[0\].*field "email"/);
    const stored = emulator.store.users.get(SEED_USER.id);
    expect(stored?.email).toBe(SEED_USER.email);
    expect(plaintextMatches(String(stored?.password), seededUserPassword(SEED_SECRET, SEED_USER.id))).toBe(true);
    expect(emulator.requestCounts()["POST /v1/users"]).toBe(1);
}

/** The lifecycle scripts npm would run, or list for approval, when installing a package. */
export function installScriptsOf(installedDir: string): string[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(installedDir, "package.json"), "utf8")) as { scripts?: Record<string, string> };
    return ["preinstall", "install", "postinstall", "prepare"].filter((name) => manifest.scripts?.[name] !== undefined);
}

/** Type-checks `examples/quickstart` copied into the consumer as it is, against the installed package. */
export async function expectCopiedQuickstartTypeChecks(dir: string): Promise<void> {
    const copy = path.join(dir, "quickstart");
    fs.mkdirSync(copy, { recursive: true });
    for (const file of ["index.ts", "tsconfig.json"])
        fs.copyFileSync(path.join(REPO_ROOT, "examples", "quickstart", file), path.join(copy, file));
    await runOk(path.join(dir, "node_modules", ".bin", "tsc"), ["-p", "quickstart", "--noEmit"], dir);
}

/** Type-checks the README's TypeScript blocks of these names, each as a file of its own, against the installed package under `strict`. */
export async function expectReadmeSnippetsTypeCheck(dir: string, names: string[]): Promise<void> {
    const snippets = path.join(dir, "readme");
    fs.mkdirSync(snippets, { recursive: true });
    for (const name of names) {
        const block = readmeBlock(name);
        expect(block.lang, name).toBe("ts");
        fs.writeFileSync(path.join(snippets, `${name}.ts`), block.code);
    }
    const tsconfig = {
        compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node10", strict: true, types: ["node"], noEmit: true },
        files: names.map((name) => `${name}.ts`),
    };
    fs.writeFileSync(path.join(snippets, "tsconfig.json"), JSON.stringify(tsconfig));
    await runOk(path.join(dir, "node_modules", ".bin", "tsc"), ["-p", "readme"], dir);
}
