import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { copySources, expectProgramRuns, installConsumer, runOk, writeConsumer } from "./consumer";

/**
 * The git route of the README's Install section: `npm install git+<url>`, here from a local repository
 * holding the current sources in one commit. npm clones it, installs its dependencies, runs `prepare` to
 * build dist/, and installs what `npm pack` of the clone would hold.
 */

let scratch: string;
let repository: string;
let emulator: Emulator;

beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "install-git-"));
    repository = path.join(scratch, "repository");
    await copySources(repository);
    const git = (...args: string[]) =>
        runOk("git", ["-c", "user.name=install-check", "-c", "user.email=install-check@example.com", ...args], repository);
    await git("init", "--quiet", "--initial-branch=main");
    await git("add", "--all");
    await git("commit", "--quiet", "--message", "sources");
    emulator = await startEmulator();
}, 60_000);

afterAll(async () => {
    await emulator?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe("installing from a git URL", () => {
    it("builds dist/ in the clone, installs into a fresh project, type-checks and runs against the emulator", async () => {
        const consumer = path.join(scratch, "consumer");
        writeConsumer(consumer, `git+file://${repository}#main`);
        await installConsumer(consumer);
        const installed = path.join(consumer, "node_modules", "pulumi-appwrite-users");
        expect(fs.existsSync(path.join(installed, "dist", "provider", "index.js"))).toBe(true);
        expect(fs.existsSync(path.join(installed, "LICENSE"))).toBe(true);
        expect(fs.existsSync(path.join(installed, "test"))).toBe(false);
        expect(fs.existsSync(path.join(installed, "provider"))).toBe(false);
        await expectProgramRuns(consumer, emulator);
    }, 300_000);
});
