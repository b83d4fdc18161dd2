import { describe, expect, it, vi } from "vitest";
import { configureReadBatching, forgetUser, getUser, listUsersByIds } from "../../provider/appwrite/users";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;

useEmulatedAppwrite((started) => (appwrite = started));

describe("getUser", () => {
    it("shares one request among concurrent reads of the same user", async () => {
        const userId = uniqueId("coalesce");
        await appwrite.users.create({ userId, name: "Shared" });
        appwrite.emulator.resetRequestCounts();
        const reads = await Promise.all(Array.from({ length: 5 }, () => getUser(userId)));
        expect(reads.map((u) => u?.name)).toEqual(["Shared", "Shared", "Shared", "Shared", "Shared"]);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users/:userId": 1 });
    });

    it("sends a fresh request for a read that starts after the previous one finished, so it sees later changes", async () => {
        const userId = uniqueId("fresh");
        await appwrite.users.create({ userId, name: "Before" });
        expect((await getUser(userId))?.name).toBe("Before");
        await appwrite.users.updateName({ userId, name: "After" });
        expect((await getUser(userId))?.name).toBe("After");
    });

    it("answers undefined for a user that does not exist", async () => {
        await expect(getUser(uniqueId("absent"))).resolves.toBeUndefined();
    });
});

describe("getUser batching reads of different users", () => {
    async function createUsers(prefix: string, count: number): Promise<string[]> {
        const ids = Array.from({ length: count }, () => uniqueId(prefix));
        for (const userId of ids) await appwrite.users.create({ userId, name: `Name of ${userId}` });
        appwrite.emulator.resetRequestCounts();
        return ids;
    }

    it("sends one list request for concurrent reads of 10 distinct users, and no GET of any one of them", async () => {
        const ids = await createUsers("batch10", 10);
        const reads = await Promise.all(ids.map((id) => getUser(id)));
        expect(reads.map((u) => u?.$id)).toEqual(ids);
        expect(reads.map((u) => u?.name)).toEqual(ids.map((id) => `Name of ${id}`));
        expect(appwrite.emulator.requestCounts()["GET /v1/users"]).toBe(1);
        expect(appwrite.emulator.requestCounts()["GET /v1/users/:userId"]).toBeUndefined();
    });

    it("still sends a single GET for a lone read", async () => {
        const [userId] = await createUsers("lone", 1);
        expect((await getUser(userId as string))?.$id).toBe(userId);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users/:userId": 1 });
    });

    it("reads a user missing from the list answer as not found, like a 404 to a GET", async () => {
        const ids = await createUsers("listed", 2);
        const absent = uniqueId("unlisted");
        const [first, second, missing] = await Promise.all([...ids, absent].map((id) => getUser(id)));
        expect([first?.$id, second?.$id]).toEqual(ids);
        expect(missing).toBeUndefined();
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
    });

    it("shares one read among reads of the same user in the window, alongside other users", async () => {
        const ids = await createUsers("mixed", 3);
        const reads = await Promise.all([...ids, ...ids, ...ids].map((id) => getUser(id)));
        expect(reads.map((u) => u?.$id)).toEqual([...ids, ...ids, ...ids]);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
    });

    it("lists at most 100 users per request; reads after a full batch join the next one, whatever their IDs, rather than wait for a page the full batch fills", async () => {
        // 100 reads fill the first batch; of the 50 after them, half sort after its IDs (the first of them) and
        // half before, and each request takes longer than a batch waits for more reads.
        const full = await createUsers("over100-b", 100);
        const before = await createUsers("over100-a", 25);
        const after = await createUsers("over100-c", 25);
        const ids = [...full, ...after.flatMap((id, i) => [id, before[i] as string])];
        appwrite.emulator.setLatency(50);
        try {
            const reads = await Promise.all(ids.map((id) => getUser(id)));
            expect(reads.map((u) => u?.$id)).toEqual(ids);
        } finally {
            appwrite.emulator.setLatency(0);
        }
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 2 });
    });

    it("repeats a list request that met a server error, like any other read", async () => {
        const ids = await createUsers("retried", 3);
        appwrite.emulator.injectFault({ route: "GET /v1/users", count: 1, kind: "503" });
        const reads = await Promise.all(ids.map((id) => getUser(id)));
        expect(reads.map((u) => u?.$id)).toEqual(ids);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 2 });
    });

    it("fails every resource read that shared a failed list request, each error naming its own user", async () => {
        const ids = await createUsers("refused", 3);
        appwrite.configure({ "appwrite:apiKey": "not-the-key" });
        const labels = appwrite.provider("UserLabels");
        const results = await Promise.allSettled(ids.map((id) => labels.read(id, { userId: id, labels: [] })));
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
        results.forEach((result, i) => {
            expect(result.status).toBe("rejected");
            const reason = (result as PromiseRejectedResult).reason as Error;
            expect(reason.message).toContain(`UserLabels read failed for user "${ids[i] as string}"`);
            expect(reason.message).toContain("user_unauthorized, HTTP 401");
        });
    });

    it("batches only reads arriving within the window, which tests can widen", async () => {
        const ids = await createUsers("window", 2);
        const previous = configureReadBatching({ windowMs: 200 });
        try {
            const first = getUser(ids[0] as string);
            await new Promise((resolve) => setImmediate(resolve));
            const second = getUser(ids[1] as string);
            expect([(await first)?.$id, (await second)?.$id]).toEqual(ids);
            expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
        } finally {
            configureReadBatching(previous);
        }
    });
});

describe("getUser freshness around writes", () => {
    it("lets a read after forgetUser join a batch that has not been sent yet, since its request still starts later", async () => {
        const userId = uniqueId("unsent");
        await appwrite.users.create({ userId, name: "Unsent" });
        appwrite.emulator.resetRequestCounts();
        const before = getUser(userId);
        forgetUser(userId);
        const after = getUser(userId);
        expect([(await before)?.name, (await after)?.name]).toEqual(["Unsent", "Unsent"]);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users/:userId": 1 });
    });

    it("sends a new request for a read after forgetUser while the earlier one is in flight, so it sees the write", async () => {
        const userId = uniqueId("inflight");
        await appwrite.users.create({ userId, name: "Before" });
        appwrite.emulator.resetRequestCounts();
        appwrite.emulator.setLatency(100);
        try {
            const before = getUser(userId);
            await vi.waitFor(() => expect(appwrite.emulator.requestCounts()["GET /v1/users/:userId"]).toBe(1));
            forgetUser(userId);
            appwrite.emulator.setLatency(0);
            await appwrite.users.updateName({ userId, name: "After" });
            expect((await getUser(userId))?.name).toBe("After");
            await before;
            expect(appwrite.emulator.requestCounts()["GET /v1/users/:userId"]).toBe(2);
        } finally {
            appwrite.emulator.setLatency(0);
        }
    });
});

describe("listUsersByIds", () => {
    it("fetches many users in batches of 100 and leaves out IDs that do not exist", async () => {
        const ids = Array.from({ length: 150 }, (_, i) => `batch-${i}`);
        for (const userId of ids) await appwrite.users.create({ userId });
        appwrite.emulator.resetRequestCounts();
        const found = await listUsersByIds([...ids, "batch-missing", "batch-0"]);
        expect(found.size).toBe(150);
        expect(found.get("batch-149")?.$id).toBe("batch-149");
        expect(found.has("batch-missing")).toBe(false);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 2 });
    });

    it("sends no request for an empty list", async () => {
        expect((await listUsersByIds([])).size).toBe(0);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });
});
