import { Client, Users, type Models } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { actorOf, lastChanges } from "../../cli/drift-changes";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

const usersWithKey = (key: string) => new Users(new Client().setEndpoint(appwrite.endpoint).setProject(appwrite.projectId).setKey(key));

async function newUsers(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => uniqueId("changes"));
    for (const userId of ids) await appwrite.users.create({ userId, email: `${userId}@example.com` });
    return ids;
}

describe("the drift report's last change per user", () => {
    it("is unknown for every user, said once and with the scope, when the key cannot read logs; it asks only once", async () => {
        const ids = await newUsers(3);
        appwrite.emulator.addKey("standard_write_only", ["users.write"]);
        appwrite.emulator.resetRequestCounts();
        const changes = await lastChanges(usersWithKey("standard_write_only"), ids);
        expect([...changes.byUser.values()]).toEqual([null, null, null]);
        expect(changes.note).toBe("the API key lacks the users.read scope that users.listLogs needs, so who changed what is unknown.");
        expect(appwrite.emulator.requestCounts()["GET /v1/users/:userId/logs"]).toBe(1);
    });

    it("is unknown, not an error, when Appwrite keeps failing to answer", async () => {
        const [userId] = await newUsers(1);
        appwrite.emulator.injectFault({ route: "GET /v1/users/:userId/logs", kind: "500", count: 4 });
        const changes = await lastChanges(appwrite.users, [userId!]);
        expect(changes.byUser.get(userId!)).toBeNull();
        expect(changes.note).toMatch(/^reading the user logs failed \(.*\), so who changed what is unknown\.$/);
    });

    it("names an API key by its name and a console user by email", () => {
        const log = (fields: Partial<Models.Log>) =>
            ({ userId: "", userEmail: "", userName: "", mode: "default", userType: "user", ...fields }) as Models.Log;
        expect(actorOf(log({ userType: "keyProject", userName: "CI key", userEmail: "app.p@service.host" }))).toBe('API key "CI key"');
        expect(actorOf(log({ userType: "admin", mode: "admin", userEmail: "ops@example.com" }))).toBe("console user ops@example.com");
        expect(actorOf(log({ userType: "user", userEmail: "ada@example.com", userId: "ada" }))).toBe("ada@example.com (user)");
    });
});
