import * as fs from "node:fs";

/** The highest resident memory each process reached, by the role it plays in a CLI run. */
export type PeakMemory = Record<string, number>;

interface ProcInfo {
    ppid: number;
    role: string;
    hwmBytes: number;
}

/** The processes of a CLI run; others (tsx's esbuild service) are not part of what users run. */
const ROLES = ["pulumi CLI", "provider host"];

function readProc(pid: number): ProcInfo | undefined {
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
        const hwmKb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
        return { ppid, role: roleOf(cmdline), hwmBytes: hwmKb * 1024 };
    } catch {
        return undefined; // gone between the listing and the read
    }
}

/** Names a process of a CLI run by what it runs: the CLI itself, the dynamic-provider host, or something else. */
function roleOf(cmdline: string[]): string {
    const text = cmdline.join(" ");
    if (/pulumi-resource-pulumi-nodejs|dynamic[/\\]provider/.test(text)) return "provider host";
    const exe = (cmdline[0] ?? "").split("/").pop() ?? "";
    if (exe === "pulumi") return "pulumi CLI";
    if (exe === "node" && text.includes("dynamic")) return "provider host";
    return exe;
}

/**
 * Samples `/proc` for the descendants of this process while `run` runs, keeping each one's VmHWM (the peak
 * its kernel recorded, so a sample late in its life still sees an early peak). Processes are grouped by role,
 * the largest of a role kept. The program runs inline in this process, so its memory is this process's
 * own peak (`maxRSS`), which also holds the emulator's.
 */
export async function sampleDescendantMemory<T>(run: () => Promise<T>, everyMs = 200): Promise<{ value: T; peaks: PeakMemory }> {
    const peaks: PeakMemory = {};
    const sample = () => {
        const infos = new Map<number, ProcInfo>();
        for (const entry of fs.readdirSync("/proc")) {
            const pid = Number(entry);
            if (!Number.isInteger(pid)) continue;
            const info = readProc(pid);
            if (info !== undefined) infos.set(pid, info);
        }
        const ours = new Set([process.pid]);
        let grew = true;
        while (grew) {
            grew = false;
            for (const [pid, info] of infos) {
                if (!ours.has(pid) && ours.has(info.ppid)) {
                    ours.add(pid);
                    grew = true;
                }
            }
        }
        for (const pid of ours) {
            if (pid === process.pid) continue;
            const info = infos.get(pid);
            if (info !== undefined && ROLES.includes(info.role) && info.hwmBytes > (peaks[info.role] ?? 0))
                peaks[info.role] = info.hwmBytes;
        }
    };
    const timer = setInterval(sample, everyMs);
    try {
        const value = await run();
        return { value, peaks: { ...peaks, "bench process (inline program, emulator)": process.resourceUsage().maxRSS * 1024 } };
    } finally {
        clearInterval(timer);
    }
}
