import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PassphraseCrypter } from "./secrets";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const PACKAGE_NAME = "pulumi-appwrite-users";

export interface ProjectInfo {
    name: string;
    main: string;
}

/** Reads `Pulumi.yaml`: the project name and the program's entry file. */
export function readProject(projectDir: string): ProjectInfo {
    const doc = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name?: string; main?: string };
    if (!doc.name) throw new Error(`${projectDir}/Pulumi.yaml has no name`);
    const main = doc.main ?? "index.ts";
    const resolved = path.resolve(projectDir, main);
    return {
        name: doc.name,
        main: fs.existsSync(resolved) && fs.statSync(resolved).isDirectory() ? path.join(main, "index.ts") : main,
    };
}

export interface ConfigEntry {
    value: string;
    secret: boolean;
}

/** Reads `Pulumi.<stack>.yaml`, decrypting `secure:` values with the stack's `encryptionsalt` and passphrase. */
export function readStackConfig(projectDir: string, projectName: string, stack: string, passphrase: string): Record<string, ConfigEntry> {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) return {};
    const doc = parse(fs.readFileSync(file, "utf8")) as { encryptionsalt?: string; config?: Record<string, unknown> };
    const crypter = doc.encryptionsalt ? PassphraseCrypter.fromState(passphrase, doc.encryptionsalt) : undefined;
    const result: Record<string, ConfigEntry> = {};
    for (const [rawKey, raw] of Object.entries(doc.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${projectName}:${rawKey}`;
        if (typeof raw === "object" && raw !== null && "secure" in raw) {
            if (crypter === undefined) throw new Error(`${file} has a secure value but no encryptionsalt`);
            result[key] = { value: crypter.decrypt(String((raw as { secure: unknown }).secure)), secret: true };
        } else {
            result[key] = { value: typeof raw === "string" ? raw : JSON.stringify(raw), secret: false };
        }
    }
    return result;
}

/**
 * Makes `pulumi-appwrite-users` resolvable from the project directory, the way `npm install` of a
 * `"file:../.."` dependency does: a symlink in the project's `node_modules` to the repository root. Node resolves
 * the link to the repository, outside any `node_modules`, so the SDK stores the larger forwarder `__provider`
 * (sdk/provider-object.ts); tests of what users get install the packed package instead (test/support/installed-package.ts).
 */
export function linkPackage(projectDir: string): void {
    const link = path.join(projectDir, "node_modules", PACKAGE_NAME);
    if (fs.existsSync(path.join(link, "package.json"))) return;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    try {
        fs.symlinkSync(path.relative(path.dirname(link), REPO_ROOT), link, "dir");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
}

/** The provider host loads `dist/`: fail with the fix instead of a module-not-found deep in the host. */
export function assertBuilt(): void {
    const entry = path.join(REPO_ROOT, "dist", "provider", "index.js");
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
}

/**
 * Starts the program's node process. TypeScript is compiled on load with `transpileModule`, as ts-node does for
 * the Node.js language host in transpile-only mode; `.js` files (the built package) load untouched, so the
 * serialized `__provider` text is the one a real `pulumi up` produces.
 */
export function spawnProgram(projectDir: string, spec: object, env: Record<string, string>): Promise<{ code: number; output: string }> {
    const bootstrap = `
const fs = require("fs");
const ts = require(${JSON.stringify(require.resolve("typescript"))});
require.extensions[".ts"] = (module, filename) => {
    const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false, sourceMap: false },
    });
    module._compile(out.outputText, filename);
};
require(${JSON.stringify(path.join(__dirname, "program-runner.ts"))});
`;
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", bootstrap], {
            cwd: projectDir,
            env: { ...process.env, ...env, PULUMI_HARNESS_RUN: JSON.stringify(spec) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString("utf8")));
        child.stderr.on("data", (d: Buffer) => (output += d.toString("utf8")));
        child.once("error", reject);
        child.once("exit", (code) => resolve({ code: code ?? 1, output }));
    });
}
