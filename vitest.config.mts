import * as path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Folders whose files run the real pulumi CLI, installers or provider hosts: tens of seconds each. */
const SLOW_FOLDERS = ["test/e2e/", "test/install/", "test/engine/", "test/scripts/"];

/**
 * Starts the slow files first. With no earlier results (a clean clone, as in CI) vitest orders files by size,
 * which started a 50-second install test last and left the other worker idle while it ran. Earlier results,
 * where there are some, still order the files within each group.
 */
class SlowFilesFirst extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
        const sorted = await super.sort(files);
        const slow = (spec: TestSpecification) =>
            SLOW_FOLDERS.some((folder) => path.relative(process.cwd(), spec.moduleId).startsWith(folder));
        return [...sorted.filter(slow), ...sorted.filter((spec) => !slow(spec))];
    }
}

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        testTimeout: 60_000,
        hookTimeout: 60_000,
        // Two cores: engine-harness tests spawn provider hosts, so keep the worker count small.
        maxWorkers: 2,
        sequence: { sequencer: SlowFilesFirst },
        // Removes the package links that tests running Pulumi programs leave in the programs' node_modules.
        globalSetup: ["test/support/global-setup.ts"],
    },
});
