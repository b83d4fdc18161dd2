import { afterEach, describe, expect, it } from "vitest";
import { insertUsers } from "../emulator/fixtures";
import { configureReadBatching, forgetUser, getUser } from "../../provider/users";
import { useEmulatedAppwrite, type EmulatedAppwrite } from "../support/appwrite";

/**
 * Read-ahead in ID order, seen the way a refresh drives the provider: eight reads in flight at a time (Pulumi's
 * default parallelism on two CPUs), in state order, which for a seeded stack is each user's five resources in turn.
 * Reads go through getUser, the one place every resource kind reads its user; requests are counted by route.
 */

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((started) => (appwrite = started));

const PARALLEL = 8;
const KINDS_PER_USER = 5;
const shipped = configureReadBatching({});

afterEach(() => {
    configureReadBatching(shipped);
    appwrite.emulator.setLatency(0);
});

/** Seeds `count` users `<prefix>00000`, … straight into the emulator's store, and returns their IDs. */
function seed(prefix: string, count: number): string[] {
    return insertUsers(appwrite.emulator.store, count, prefix).map((u) => u.$id);
}

/** Reads each user five times, `PARALLEL` reads in flight, in the given order; returns what each read answered. */
async function refreshLike(ids: readonly string[]): Promise<(string | undefined)[]> {
    const reads = ids.flatMap((id) => Array.from({ length: KINDS_PER_USER }, () => id));
    const answers: (string | undefined)[] = new Array(reads.length);
    let next = 0;
    const worker = async () => {
        while (next < reads.length) {
            const at = next++;
            answers[at] = (await getUser(reads[at] as string))?.$id;
        }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    return answers;
}

function requests(): number {
    return Object.values(appwrite.emulator.requestCounts()).reduce((a, b) => a + b, 0);
}

describe("read-ahead of users in ID order", () => {
    it("answers a refresh of 1,000 users with contiguous IDs × 5 resources with at most 20 list requests", async () => {
        const ids = seed("contig", 1000);
        appwrite.emulator.setLatency(5);
        appwrite.emulator.resetRequestCounts();
        const answers = await refreshLike(ids);
        expect(answers).toEqual(ids.flatMap((id) => Array.from({ length: KINDS_PER_USER }, () => id)));
        const counts = appwrite.emulator.requestCounts();
        expect(Object.keys(counts)).toEqual(["GET /v1/users"]);
        // A page is 100 users: ten pages hold 1,000 users, and the read-ahead after the last page, which finds no
        // more users, may or may not have reached the emulator when the last read is answered.
        expect(counts["GET /v1/users"]).toBeGreaterThanOrEqual(10);
        expect(counts["GET /v1/users"]).toBeLessThanOrEqual(11);
    });

    it("costs no more requests than batching alone when managed users are interleaved with many unmanaged ones, and stops", async () => {
        const all = seed("mixed", 2000);
        const managed = all.filter((_, i) => i % 40 === 0);
        appwrite.emulator.setLatency(5);

        configureReadBatching({ readAhead: false });
        appwrite.emulator.resetRequestCounts();
        await refreshLike(managed);
        const batchedOnly = requests();

        appwrite.configure();
        configureReadBatching({ readAhead: true });
        appwrite.emulator.resetRequestCounts();
        const answers = await refreshLike(managed);
        expect(answers.filter((id) => id !== undefined)).toHaveLength(managed.length * KINDS_PER_USER);
        expect(requests()).toBeLessThanOrEqual(batchedOnly);
        // Read-ahead stopped after its first page: what follows is plain batching, one request per batch.
        expect(requests()).toBeGreaterThan(batchedOnly / 2);
    });

    it("answers every read of the leading batch, absent users included, with that one request when the page is not full", async () => {
        // The last IDs in the project: the page ends before it is full, so it holds every user after the batch.
        const ids = seed("zz-last", 10);
        appwrite.emulator.resetRequestCounts();
        const answers = await Promise.all([ids[0], "zz-last-absent", ids[5]].map((id) => getUser(id as string)));
        expect(answers.map((u) => u?.$id)).toEqual([ids[0], undefined, ids[5]]);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
        // The users after the batch came with it: reading them sends nothing.
        appwrite.emulator.resetRequestCounts();
        expect((await getUser(ids[9] as string))?.$id).toBe(ids[9]);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("asks once more for a batch user missing from a full page, since Appwrite's ID order may differ from JavaScript's", async () => {
        const ids = seed("full", 10);
        configureReadBatching({ pageSize: 5 });
        appwrite.emulator.resetRequestCounts();
        const answers = await Promise.all([ids[0], "full-absent", ids[1]].map((id) => getUser(id as string)));
        expect(answers.map((u) => u?.$id)).toEqual([ids[0], undefined, ids[1]]);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 2 });
    });
});

describe("what read-ahead never answers", () => {
    it("a read of a user this process writes, which gets a request of its own and sees the write", async () => {
        const ids = seed("written", 10);
        await Promise.all([getUser(ids[0] as string), getUser(ids[1] as string)]);
        forgetUser(ids[5] as string);
        await appwrite.users.updateName({ userId: ids[5] as string, name: "Written" });
        appwrite.emulator.resetRequestCounts();
        expect((await getUser(ids[5] as string))?.name).toBe("Written");
        expect(appwrite.emulator.totalRequests()).toBe(1);
    });

    it("a read once the page is older than its maximum age, which sees changes made since", async () => {
        configureReadBatching({ maxAgeMs: 30 });
        const ids = seed("aged", 10);
        await Promise.all([getUser(ids[0] as string), getUser(ids[1] as string)]);
        await appwrite.users.updateName({ userId: ids[5] as string, name: "Changed outside" });
        await new Promise((resolve) => setTimeout(resolve, 60));
        appwrite.emulator.resetRequestCounts();
        expect((await getUser(ids[5] as string))?.name).toBe("Changed outside");
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users/:userId": 1 });
    });

    it("a read of a user its page does not hold, even one inside the page's range", async () => {
        const ids = seed("gap", 10);
        await Promise.all([getUser(ids[0] as string), getUser(ids[1] as string)]);
        await appwrite.users.create({ userId: `${ids[4] as string}a`, name: "Came later" });
        appwrite.emulator.resetRequestCounts();
        expect((await getUser(`${ids[4] as string}a`))?.name).toBe("Came later");
        expect(appwrite.emulator.totalRequests()).toBe(1);
    });

    it("a lone read out of the blue, which stays one GET rather than a page", async () => {
        const ids = seed("lone", 10);
        appwrite.emulator.resetRequestCounts();
        expect((await getUser(ids[3] as string))?.$id).toBe(ids[3]);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users/:userId": 1 });
    });
});
