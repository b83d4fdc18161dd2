import { afterEach } from "vitest";
/**
 * The processes the real CLI starts for one test project, found through /proc by the PULUMI_HOME their
 * environment carries (each project has its own), and raw CLI commands run without blocking this process,
 * which serves the emulator and the inline program.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliProject } from "./support";

export interface ProjectProcess {
    pid: number;
    /** The command line, arguments joined by spaces. */
    command: string;
}

/** The live processes whose environment has this project's PULUMI_HOME: the CLI and the plugins it started. */
export function projectProcesses(project: CliProject): ProjectProcess[] {
    const marker = `PULUMI_HOME=${project.cliEnv().PULUMI_HOME}`;
    const found: ProjectProcess[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || pid === process.pid) continue;
        try {
            if (!fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker)) continue;
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
            found.push({ pid, command: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim() });
        } catch {
            // The process ended while we looked.
        }
    }
    return found;
}

/** The `pulumi up` process of this project. */
export function cliUpProcess(project: CliProject): ProjectProcess | undefined {
    const cli = path.join(project.cliDir, "pulumi");
    return projectProcesses(project).find((p) => p.command.startsWith(`${cli} up `));
}

/** Sends SIGKILL to each given process that is still there. */
export function killAll(processes: ProjectProcess[]): void {
    for (const { pid } of processes) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // Already gone.
        }
    }
}

export async function until(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

export interface CliRun {
    status: number | null;
    /** stdout and stderr as the terminal would show them. */
    output: string;
}

/** `pulumi ARGS` in the project, as a user types it, without blocking the emulator in this process. */
export function runCli(project: CliProject, args: string[]): Promise<CliRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(path.join(project.cliDir, "pulumi"), args, { cwd: project.workDir, env: project.cliEnv() });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("error", reject);
        child.on("exit", (status) => resolve({ status, output }));
    });
}

/**
 * Projects a test file's tests make, each torn down after its test: every process the project started is killed
 * (a test may have interrupted the CLI and left its plugins running) and its folder removed. Returns the function
 * that hands a project over.
 */
export function disposedAfterEach(): (project: CliProject) => CliProject {
    let projects: CliProject[] = [];
    afterEach(async () => {
        for (const project of projects) {
            killAll(projectProcesses(project));
            await project.dispose();
        }
        projects = [];
    });
    return (project) => {
        projects.push(project);
        return project;
    };
}
