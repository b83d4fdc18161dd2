import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { Stack } from "../engine";
import { linkSelf, ROOT } from "../../scripts/stack";

/**
 * The repository's own Pulumi.yaml, which `npm run up` runs: it must run the quickstart, with the
 * package loaded the way the script arranges it (a link on NODE_PATH, no node_modules of its own).
 */

let emulator: Emulator;
let scratch: string;

beforeAll(async () => {
    emulator = await startEmulator({ projectId: "quickstart", apiKey: "quickstart-dev-key" });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "root-project-"));
});
afterAll(async () => {
    await emulator.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
});

function rootStack(): Stack {
    const { NODE_PATH } = linkSelf({}, scratch);
    return new Stack({
        projectDir: ROOT,
        stackName: "dev",
        packageInstall: "none",
        useStackConfigFile: false,
        passphrase: "appwrite-users-dev",
        stateFile: path.join(scratch, "state.json"),
        env: { NODE_PATH: NODE_PATH as string },
        config: {
            "appwrite:endpoint": emulator.endpoint,
            "appwrite:projectId": emulator.projectId,
            "appwrite:apiKey": { value: emulator.apiKey, secret: true },
            ciBotPassword: { value: "Root-project-ci-bot-1", secret: true },
        },
    });
}

describe("the root Pulumi project", () => {
    it("is the quickstart", () => {
        const root = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
        const quickstart = fs.readFileSync(path.join(ROOT, "examples", "quickstart", "Pulumi.yaml"), "utf8");
        expect(root).toMatch(/^main: examples\/quickstart$/m);
        expect(root.match(/^name: .*$/m)?.[0]).toBe(quickstart.match(/^name: .*$/m)?.[0]);
    });

    it("up creates the quickstart's users, a second up changes nothing, destroy removes them", async () => {
        const stack = rootStack();
        await stack.up();
        expect([...emulator.store.users.keys()].sort()).toEqual(["ci-bot", "test-alice", "test-bob"]);
        expect(stack.outputs()).toMatchObject({ serviceAccountId: "ci-bot", testUserIds: ["test-alice", "test-bob"] });

        emulator.resetRequestCounts();
        const again = await rootStack().up();
        expect(again.steps.filter((s) => s.op !== "same")).toEqual([]);
        expect(emulator.totalRequests()).toBe(0);

        await rootStack().destroy();
        expect(emulator.store.users.size).toBe(0);
    });
});
