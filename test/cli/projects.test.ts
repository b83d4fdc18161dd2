import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, Users } from "node-appwrite";
import { startEmulator, type Emulator } from "../emulator";
import { insertUsers } from "../emulator/fixtures";
import { formatDate } from "../emulator/store";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { appwriteUsers, emulatorEnv } from "./run";

/** The default project, and a named project "eu" on an emulator of its own with its own project ID and key. */
let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));
let eu: Emulator;
const euUsers = () => new Users(new Client().setEndpoint(eu.endpoint).setProject(eu.projectId).setKey(eu.apiKey));

beforeAll(async () => {
    eu = await startEmulator({ projectId: "shop-eu" });
});
afterAll(async () => {
    await eu.stop();
});

/** The job's environment: the default project's settings and APPWRITE_PROJECTS naming "eu". */
const env = (): NodeJS.ProcessEnv => ({
    ...emulatorEnv(appwrite),
    APPWRITE_PROJECTS: JSON.stringify({ eu: { endpoint: eu.endpoint, projectId: eu.projectId, apiKey: eu.apiKey } }),
});

/** The same user ID in both projects, labelled `label`, registered `hoursAgo` hours ago. */
function inBoth(label: string, hoursAgo = 0): string {
    const at = formatDate(Date.now() - hoursAgo * 3600_000);
    const [user] = insertUsers(eu.store, 1, label, () => ({ registration: at, $createdAt: at, labels: [label], name: "in eu" }));
    const userId = (user as { $id: string }).$id;
    insertUsers(appwrite.emulator.store, 1, label, () => ({ registration: at, $createdAt: at, labels: [label], name: "in main" }));
    return userId;
}

describe("appwrite-users --project", () => {
    it("generate reads the named project only and declares it on every resource it writes", async () => {
        const label = uniqueId("gen").replace(/-/g, "").slice(0, 20);
        const userId = inBoth(label);
        const { code, stdout } = await appwriteUsers(["generate", "--project", "eu", "--label", label], env());
        expect(code).toBe(0);
        expect(stdout).toContain(`from project "shop-eu" at ${eu.endpoint} (appwrite:projects entry "eu")`);
        const args = JSON.parse(/new UserBundle\("[^"]+", (\{[\s\S]*\})\),\n\};/.exec(stdout)![1]!) as Record<string, unknown>;
        expect(args).toMatchObject({ userId, name: "in eu", labels: [label], project: "eu", adopt: true });
    });

    it("generate without it declares no project, reading the default one", async () => {
        const label = uniqueId("gen").replace(/-/g, "").slice(0, 20);
        inBoth(label);
        const { stdout } = await appwriteUsers(["generate", "--label", label], env());
        expect(stdout).toContain('"name": "in main"');
        expect(stdout).not.toContain('"project"');
    });

    it("sweep deletes in the named project only, sparing the users the stack manages there", async () => {
        const label = uniqueId("sw").replace(/-/g, "").slice(0, 20);
        const swept = inBoth(label, 5);
        const managed = inBoth(`${label}m`, 5);
        // The stack manages `managed` in eu, and `swept` only in the default project.
        const urn = (type: string, name: string) => `urn:pulumi:dev::users::pulumi-nodejs:dynamic/appwrite:${type}::${name}`;
        const resources = [
            {
                urn: urn("User", "in-eu"),
                custom: true,
                id: managed,
                type: "pulumi-nodejs:dynamic/appwrite:User",
                inputs: { userId: managed, project: "eu" },
                outputs: { userId: managed, project: "eu" },
            },
            {
                urn: urn("User", "in-main"),
                custom: true,
                id: swept,
                type: "pulumi-nodejs:dynamic/appwrite:User",
                inputs: { userId: swept },
                outputs: { userId: swept },
            },
        ];
        const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sweep-projects-")), "state.json");
        fs.writeFileSync(state, JSON.stringify({ version: 3, deployment: { resources } }));
        for (const swept of [label, `${label}m`]) {
            const run = await appwriteUsers(
                ["sweep", "--project", "eu", "--state", state, "--label", swept, "--older-than", "1h", "--yes"],
                env(),
            );
            expect(run.code).toBe(0);
        }
        await expect(euUsers().get({ userId: swept })).rejects.toThrow();
        await expect(euUsers().get({ userId: managed })).resolves.toMatchObject({ name: "in eu" });
        for (const userId of [swept, managed]) await expect(appwrite.users.get({ userId })).resolves.toMatchObject({ name: "in main" });
    });

    it("session create makes the session for the user of the named project, not its namesake in the default one", async () => {
        const userId = inBoth(uniqueId("ses").replace(/-/g, "").slice(0, 20));
        const { code, stdout } = await appwriteUsers(["session", "create", "--project", "eu", "--user", userId, "--format", "json"], env());
        expect(code).toBe(0);
        const made = JSON.parse(stdout) as { sessionId: string };
        expect((await euUsers().listSessions({ userId })).sessions.map((s) => s.$id)).toEqual([made.sessionId]);
        expect((await appwrite.users.listSessions({ userId })).sessions).toEqual([]);
    });

    it("refuses a name that is not configured, listing the configured ones, before any request", async () => {
        appwrite.emulator.resetRequestCounts();
        const { code, stderr } = await appwriteUsers(["generate", "--project", "asia"], env());
        expect(code).toBe(1);
        expect(stderr).toContain('the Appwrite project "asia" is not configured (configured: "eu")');
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });
});
