import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliProject } from "../e2e/support";
import { PACKAGE_NAME } from "../support/installed-package";

/** What `pulumi stack export` holds for the stack's resources of this package. */
export interface StateFigures {
    exportBytes: number;
    /** The stack's file in the file:// backend, which the CLI rewrites whole at every checkpoint. */
    checkpointBytes: number;
    resources: number;
    bytesPerResource: number;
    /** The longest `__provider` text of each kind (User, UserLabels, ...). */
    providerBytesByKind: Record<string, number>;
}

export function stateFigures(project: CliProject): StateFigures {
    const text = project.exportText();
    const resources = project.exportDeployment().resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    const providerBytesByKind: Record<string, number> = {};
    for (const r of resources) {
        const kind = r.type.slice(r.type.lastIndexOf(":") + 1);
        const provider = r.inputs?.["__provider"];
        const bytes = typeof provider === "string" ? Buffer.byteLength(provider) : 0;
        providerBytesByKind[kind] = Math.max(providerBytesByKind[kind] ?? 0, bytes);
    }
    const exportBytes = Buffer.byteLength(text);
    const stacks = path.join(project.backendDir, ".pulumi", "stacks");
    const checkpointBytes = fs
        .readdirSync(stacks, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(`${project.stack.name}.json`))
        .reduce((n, f) => n + fs.statSync(path.join(stacks, f)).size, 0);
    return {
        exportBytes,
        checkpointBytes,
        resources: resources.length,
        bytesPerResource: resources.length > 0 ? exportBytes / resources.length : 0,
        providerBytesByKind,
    };
}

/**
 * `appwrite-users drift --stack NAME --format json`, the installed package's command as a user runs it in the
 * project, with the CLI's environment. Asynchronous: the emulator answers from this process.
 */
export function driftCommand(project: CliProject): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const bin = path.join(project.workDir, "node_modules", PACKAGE_NAME, "dist", "cli", "main.js");
    const args = [bin, "drift", "--stack", project.stack.name, "--cwd", project.workDir, "--format", "json"];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: project.workDir, env: project.cliEnv() });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
