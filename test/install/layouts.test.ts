import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStack } from "../../scripts/pulumi-stack";
import { ensurePulumiCli } from "../../scripts/setup-pulumi";
import { startEmulator, type Emulator } from "../emulator";
import { providerTextOf } from "../support/provider-text";
import { LAYOUT_USER, LAYOUTS, resolvedFrom, type Layout } from "./layouts";

/**
 * The packed package in each real install layout, under the real CLI: the `__provider` Pulumi's closure
 * serializer stores must load in the provider host (it evaluates the text with `require` resolving from the
 * program's folder) for `up` and `destroy`, and a state holding the raw subpath text, which the serializer
 * writes when `@pulumi/pulumi` cannot resolve the package from its own folder, loads and refreshes too.
 */

const SHORT_TEXT = providerTextOf("pulumi-appwrite-users/provider/user");
const RAW_SUBPATH_TEXT = providerTextOf("pulumi-appwrite-users/dist/provider/entry/user.js");

/** What each layout stores, and where Node finds the package and @pulumi/pulumi from the program. */
const EXPECTED: Record<string, { stored: string; package: string; pulumi: string }> = {
    "a flat npm install, with the oldest @pulumi/pulumi the peer range accepts": {
        stored: SHORT_TEXT,
        package: "infra/node_modules/pulumi-appwrite-users",
        pulumi: "infra/node_modules/@pulumi/pulumi",
    },
    "an npm-workspaces monorepo with @pulumi/pulumi at the root and the package in the program's folder": {
        // From the root, @pulumi/pulumi finds the other workspace's older release, whose package.json has no
        // `exports` to map the file back to a subpath: the serializer writes the raw subpath, which loads
        // from the program's folder through this release's `exports`.
        stored: RAW_SUBPATH_TEXT,
        package: "infra/node_modules/pulumi-appwrite-users",
        pulumi: "node_modules/@pulumi/pulumi",
    },
    // The store lies inside the program's node_modules, so @pulumi/pulumi finds the package walking up.
    "pnpm's default isolated layout": {
        stored: SHORT_TEXT,
        package: "PNPM_STORE/pulumi-appwrite-users",
        pulumi: "PNPM_STORE/@pulumi/pulumi",
    },
};

/** An endpoint nothing listens on, as a shell left over from another project would have it. */
const STALE_ENDPOINT = "http://127.0.0.1:9/v1";

let cliDir: string;
let emulator: Emulator;

beforeAll(async () => {
    cliDir = await ensurePulumiCli();
    emulator = await startEmulator();
}, 900_000);

afterAll(async () => {
    await emulator?.stop();
});

function storedProviders(deployment: { resources?: { type: string; inputs?: Record<string, unknown> }[] }): string[] {
    return (deployment.resources ?? [])
        .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))
        .map((r) => String(r.inputs?.["__provider"]));
}

describe.each(LAYOUTS)("$name", { timeout: 300_000 }, (layout: Layout) => {
    let scratch: string;
    let program: string;
    let stack: Stack;
    const expected = EXPECTED[layout.name]!;

    beforeAll(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "install-layout-"));
        program = await layout.install(scratch);
        stack = await openStack({
            workDir: program,
            stackName: "layout",
            cliDir,
            backendDir: path.join(scratch, "backend"),
            passphrase: "layout-passphrase",
        });
        await stack.setAllConfig({
            "appwrite:endpoint": { value: emulator.endpoint },
            "appwrite:projectId": { value: emulator.projectId },
            "appwrite:apiKey": { value: emulator.apiKey, secret: true },
        });
        emulator.store.users.clear();
    }, 600_000);

    afterAll(() => {
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("puts the package and @pulumi/pulumi where this layout puts them", () => {
        const found = resolvedFrom(program, scratch);
        const where = (p: string) => p.replace(/^infra\/node_modules\/\.pnpm\/[^/]+\/node_modules/, "PNPM_STORE");
        expect({ package: where(found.package), pulumi: where(found.pulumi) }).toEqual({
            package: expected.package,
            pulumi: expected.pulumi,
        });
    });

    it("creates the user with up, storing a __provider the provider host loads; the stack config beats a stale APPWRITE_ENDPOINT, with a warning", async () => {
        // The program runs in this process (an inline program), so its environment is this one's.
        process.env.APPWRITE_ENDPOINT = STALE_ENDPOINT;
        const up = await stack.up().finally(() => delete process.env.APPWRITE_ENDPOINT);
        expect(up.summary.resourceChanges).toEqual({ create: 2 });
        expect(up.stdout).toContain(
            `appwrite:endpoint in the stack config is "${emulator.endpoint}" and APPWRITE_ENDPOINT in the environment is "${STALE_ENDPOINT}"`,
        );
        expect(emulator.store.users.get(LAYOUT_USER.userId)?.email).toBe(LAYOUT_USER.email);
        const [stored, ...others] = storedProviders((await stack.exportStack()).deployment);
        expect(others).toEqual([]);
        expect(stored).toBe(expected.stored);
        expect(Buffer.byteLength(stored!)).toBeLessThanOrEqual(512);
    });

    it("loads a state whose __provider names the entry file by its raw subpath, and refreshes it", async () => {
        const state = await stack.exportStack();
        for (const resource of state.deployment.resources ?? []) {
            if (String(resource.type).startsWith("pulumi-nodejs:dynamic")) {
                resource.inputs["__provider"] = RAW_SUBPATH_TEXT;
                resource.outputs["__provider"] = RAW_SUBPATH_TEXT;
            }
        }
        await stack.importStack(state);
        emulator.store.users.get(LAYOUT_USER.userId)!.name = "Renamed outside Pulumi";
        const refresh = await stack.refresh();
        expect(refresh.summary.resourceChanges).toEqual({ same: 1, update: 1 });
        expect(storedProviders((await stack.exportStack()).deployment)).toEqual([RAW_SUBPATH_TEXT]);
    });

    it("destroys the user", async () => {
        const destroy = await stack.destroy();
        expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
        expect(emulator.store.users.has(LAYOUT_USER.userId)).toBe(false);
    });
});
