import { Client, Users } from "node-appwrite";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getUser, listUsers } from "../../sdk/lookups";
import { withUserSession } from "../../sdk/user-session";
import { startEmulator, type Emulator } from "../emulator";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

/** The default project, and "eu" on an emulator of its own, both given by the environment form alone. */
let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));
let eu: Emulator;
const euUsers = () => new Users(new Client().setEndpoint(eu.endpoint).setProject(eu.projectId).setKey(eu.apiKey));

const ENV_KEYS = ["APPWRITE_ENDPOINT", "APPWRITE_PROJECT_ID", "APPWRITE_API_KEY", "APPWRITE_PROJECTS"] as const;

beforeAll(async () => {
    eu = await startEmulator({ projectId: "shop-eu" });
});
afterAll(async () => {
    await eu.stop();
});
beforeEach(() => {
    process.env.APPWRITE_ENDPOINT = appwrite.endpoint;
    process.env.APPWRITE_PROJECT_ID = appwrite.projectId;
    process.env.APPWRITE_API_KEY = appwrite.apiKey;
    process.env.APPWRITE_PROJECTS = JSON.stringify({ eu: { endpoint: eu.endpoint, projectId: eu.projectId, apiKey: eu.apiKey } });
});
afterEach(() => {
    for (const key of ENV_KEYS) delete process.env[key];
});

/** The same user ID in both projects, told apart by name. */
async function inBoth(prefix: string): Promise<string> {
    const userId = uniqueId(prefix);
    await appwrite.users.create({ userId, email: `${userId}@example.com`, name: "in main" });
    await euUsers().create({ userId, email: `${userId}@example.com`, name: "in eu" });
    return userId;
}

describe("lookups and sessions in a named project, set by APPWRITE_PROJECTS outside a program", () => {
    it("getUser reads the user of the project it names, by ID or by email", async () => {
        const userId = await inBoth("lookup");
        expect((await getUser({ project: "eu", userId })).name).toBe("in eu");
        expect((await getUser({ project: "eu", email: `${userId}@example.com` })).name).toBe("in eu");
        expect((await getUser({ userId })).name).toBe("in main");
    });

    it("listUsers lists the project it names", async () => {
        const userId = await inBoth("list");
        const listed = await listUsers({ project: "eu", search: userId });
        expect(listed.map((u) => [u.userId, u.name])).toEqual([[userId, "in eu"]]);
    });

    it("withUserSession makes and deletes the session in the user's project", async () => {
        const userId = await inBoth("session");
        await withUserSession({ userId, project: "eu" }, async (session) => {
            expect((await euUsers().listSessions({ userId })).sessions.map((s) => s.$id)).toEqual([session.sessionId]);
            expect((await appwrite.users.listSessions({ userId })).sessions).toEqual([]);
        });
        expect((await euUsers().listSessions({ userId })).sessions).toEqual([]);
    });

    it("fail for a name that is not configured, naming the lookup and listing the configured names", async () => {
        await expect(getUser({ project: "asia", userId: "anyone" })).rejects.toThrow(
            /getUser looking up userId "anyone" in project "asia".*the Appwrite project "asia" is not configured \(configured: "eu"\)/,
        );
        await expect(getUser({ project: "eu", userId: "no-such-user" })).rejects.toThrow(
            'no Appwrite user has userId "no-such-user" in that project',
        );
    });
});
