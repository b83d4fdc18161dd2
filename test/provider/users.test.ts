import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getUser, listUsersByIds } from "../../provider/users";
import type { Emulator } from "../emulator";
import { startEmulatedAppwrite, uniqueId, type TestAppwrite } from "../support/appwrite";

let appwrite: TestAppwrite & { emulator: Emulator };

beforeAll(async () => {
    appwrite = await startEmulatedAppwrite();
});
afterAll(() => appwrite.stop());
beforeEach(() => {
    appwrite.configure();
    appwrite.emulator.resetRequestCounts();
});

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
