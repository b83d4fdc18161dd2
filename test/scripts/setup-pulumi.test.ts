import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensurePulumiCli, pulumiCliDir } from "../../scripts/setup-pulumi";

let cache: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "setup-pulumi-"));
    // No Go anywhere: a build attempt fails at once instead of compiling for minutes.
    env = { PULUMI_APPWRITE_USERS_CACHE: cache, PATH: "", GOROOT: path.join(cache, "no-go") };
});
afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

/** What a finished build leaves in the cache folder. */
function finishBuild(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "pulumi"), "");
    fs.writeFileSync(path.join(dir, "pulumi-resource-pulumi-nodejs"), "");
}

function holdLock(dir: string, pid: number): string {
    const lock = `${dir}.lock`;
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, "pid"), String(pid));
    return lock;
}

describe("ensurePulumiCli with several callers on a cold cache", () => {
    it("waits for the process already building, then returns its build without building again", async () => {
        const dir = pulumiCliDir(env);
        const builder = spawn("sleep", ["30"]);
        const lock = holdLock(dir, builder.pid!);
        const logged: string[] = [];
        const waiting = ensurePulumiCli({ env, log: (line) => logged.push(line) });
        await new Promise((resolve) => setTimeout(resolve, 500));
        finishBuild(dir);
        fs.rmSync(lock, { recursive: true });
        builder.kill();

        await expect(waiting).resolves.toBe(dir);
        expect(logged).toEqual([`Waiting for process ${builder.pid}, which is building the Pulumi CLI into ${dir}`]);
        expect(fs.existsSync(lock)).toBe(false);
    });

    it("takes over the lock of a build whose process is gone, and builds itself", async () => {
        const dir = pulumiCliDir(env);
        const gone = spawn("true");
        await new Promise((resolve) => gone.on("exit", resolve));
        const lock = holdLock(dir, gone.pid!);

        // The takeover reaches the build, which needs Go: its error proves the lock no longer blocked it.
        await expect(ensurePulumiCli({ env, log: () => undefined })).rejects.toThrow(/needs Go/);
        expect(fs.existsSync(lock)).toBe(false);
    });
});
