import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        testTimeout: 60_000,
        hookTimeout: 60_000,
        // Two cores: engine-harness tests spawn provider hosts, so keep the worker count small.
        maxWorkers: 2,
        // Removes the package links that tests running Pulumi programs leave in the programs' node_modules.
        globalSetup: ["test/support/global-setup.ts"],
    },
});
