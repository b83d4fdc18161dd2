import { afterEach, describe, expect, it } from "vitest";
import { insertUsers } from "../emulator/fixtures";
import { configureReadBatching, forgetUser, getUser } from "../../provider/appwrite/users";
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

/** Each user's five reads in turn. */
function userByUser(ids: readonly string[]): string[] {
    return ids.flatMap((id) => Array.from({ length: KINDS_PER_USER }, () => id));
}

/**
 * The order in which the real engine refreshes a seeded stack (its state order): every user's `User`, then the
 * other four resources of each user in turn, since those were created once their `User` was. Creates finish
 * out of order with eight in flight, so within every 24 reads the order is shuffled (the same way every run).
 */
function stateOrderOfASeed(ids: readonly string[]): string[] {
    const inOrder = [...ids, ...ids.flatMap((id) => Array.from({ length: KINDS_PER_USER - 1 }, () => id))];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const shuffled: string[] = [];
    for (let start = 0; start < inOrder.length; start += 24) {
        const block = inOrder.slice(start, start + 24);
        for (let i = block.length - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [block[i], block[j]] = [block[j] as string, block[i] as string];
        }
        shuffled.push(...block);
    }
    return shuffled;
}

/**
 * Reads the users in the given order with `PARALLEL` reads in flight; `engineMs` is what each read costs the
 * engine besides the provider (the real CLI's own cost per read). The engine's workers do not start at once:
 * the first reads reach the provider a few ms apart, as the real CLI's do. Returns what each read answered.
 */
async function refreshLike(reads: readonly string[], engineMs = 0): Promise<(string | undefined)[]> {
    const answers: (string | undefined)[] = new Array(reads.length);
    let next = 0;
    let started = 0;
    const worker = async () => {
        await new Promise((resolve) => setTimeout(resolve, 3 * started++));
        while (next < reads.length) {
            const at = next++;
            if (engineMs > 0) await new Promise((resolve) => setTimeout(resolve, engineMs));
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
    it("answers a refresh of 1,000 users with contiguous IDs × 5 resources, in the engine's state order, with at most 20 requests", async () => {
        const ids = seed("contig", 1000);
        appwrite.emulator.setLatency(25);
        appwrite.emulator.resetRequestCounts();
        const reads = stateOrderOfASeed(ids);
        // 8 reads in flight, each costing the engine 10 ms of its own: 800 reads a second at most, the real CLI's pace or faster.
        expect(await refreshLike(reads, 10)).toEqual(reads);
        const counts = appwrite.emulator.requestCounts();
        // Lists, and at most the lone GET of the very first read, which arrived alone.
        expect(counts["GET /v1/users/:userId"] ?? 0).toBeLessThanOrEqual(1);
        expect(requests()).toBeLessThanOrEqual(20);
    });

    it("grows the next page while its users are read fast, so 1,000 users read in order cost fewer requests than pages of 100", async () => {
        const ids = seed("fast", 1000);
        appwrite.emulator.setLatency(5);
        appwrite.emulator.resetRequestCounts();
        const reads = userByUser(ids);
        expect(await refreshLike(reads)).toEqual(reads);
        const counts = appwrite.emulator.requestCounts();
        // The first users' reads may each come alone (five of one user in a row) and take a GET; on a busy machine
        // the first reads reach the provider further apart, so a few more do; the pages that follow serve the rest.
        expect(counts["GET /v1/users/:userId"] ?? 0).toBeLessThanOrEqual(10);
        // Pages of 100 would take ten requests; at this pace the next pages reach the 500-user maximum.
        expect(counts["GET /v1/users"]).toBeLessThanOrEqual(5);
    });

    it("sizes a next page by the pace its users are read at, so that slow reads get pages they read before the pages age", async () => {
        const ids = seed("slow", 100);
        configureReadBatching({ pageSize: 10, maxAgeMs: 1_000 });
        appwrite.emulator.setLatency(5);
        appwrite.emulator.resetRequestCounts();
        // 8 in flight at 40 ms each: 200 reads, 40 users a second; half the maximum age holds about 20 users.
        const reads = userByUser(ids);
        expect(await refreshLike(reads, 40)).toEqual(reads);
        const counts = appwrite.emulator.requestCounts();
        // The first two users' reads each came alone (five of one user, then of the next) and took a GET each;
        // every later read was answered from a page, in pages near 16 users: not pages of 100 that would age.
        expect(counts["GET /v1/users/:userId"] ?? 0).toBeLessThanOrEqual(2);
        expect(counts["GET /v1/users"]).toBeGreaterThanOrEqual(4);
        expect(counts["GET /v1/users"]).toBeLessThanOrEqual(9);
    });

    it("lets a read of a user after a page on its way wait for that page instead of sending a request of its own", async () => {
        const ids = seed("waits", 10);
        appwrite.emulator.setLatency(50);
        appwrite.emulator.resetRequestCounts();
        const leading = Promise.all([getUser(ids[0] as string), getUser(ids[1] as string)]);
        await new Promise((resolve) => setTimeout(resolve, 15));
        expect((await getUser(ids[6] as string))?.$id).toBe(ids[6]);
        await leading;
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
    });

    it("costs no more requests than batching alone when managed users are interleaved with many unmanaged ones, and stops", async () => {
        const all = seed("mixed", 2000);
        const managed = all.filter((_, i) => i % 40 === 0);
        appwrite.emulator.setLatency(5);
        // Pages are judged when half their age: a short age lets the test see read-ahead stop.
        configureReadBatching({ maxAgeMs: 100 });

        configureReadBatching({ readAhead: false });
        appwrite.emulator.resetRequestCounts();
        await refreshLike(userByUser(managed));
        const batchedOnly = requests();

        appwrite.configure();
        configureReadBatching({ readAhead: true });
        appwrite.emulator.resetRequestCounts();
        const answers = await refreshLike(userByUser(managed));
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

    it("once a page has paid, leads a small batch's page from its first ID, so the users between the batch's IDs, read a moment later, send nothing", async () => {
        const ids = seed("dense", 100);
        configureReadBatching({ pageSize: 20 });
        await Promise.all([getUser(ids[0] as string), getUser(ids[1] as string)]);
        // Eight of the 18 users its page read ahead are read: the page has paid, and the IDs are dense.
        await refreshLike(ids.slice(2, 10));
        appwrite.emulator.resetRequestCounts();
        // The engine reads a little out of order: a batch of two IDs, then the users between them.
        await Promise.all([ids[50], ids[55]].map((id) => getUser(id as string)));
        const between = ids.slice(51, 55);
        expect((await Promise.all(between.map((id) => getUser(id)))).map((u) => u?.$id)).toEqual(between);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
    });

    it("judges a page only by the users it read ahead that were not read a moment before it came, so those do not stop read-ahead", async () => {
        const ids = seed("justread", 40);
        configureReadBatching({ pageSize: 20, maxPageSize: 20, maxAgeMs: 1_000 });
        // Before any page, a read alone is a GET of its own.
        for (const id of ids.slice(2, 16)) await getUser(id);
        // Its page holds ids[0..19]: of the 18 users it lists beyond the batch, 14 were just read, and the other 4 are read next.
        await Promise.all([getUser(ids[0] as string), getUser(ids[1] as string)]);
        appwrite.emulator.resetRequestCounts();
        await refreshLike(ids.slice(16, 20));
        // Half a page's age later, the pages the reads have moved past are judged.
        await new Promise((resolve) => setTimeout(resolve, 600));
        const later = ids.slice(20, 29);
        expect(await refreshLike(later)).toEqual(later);
        // Only the next page, sent once half of those 4 were read. Judged on all 18, the page would not have paid: read-ahead
        // would have stopped, and the later reads gone out in batches of their own.
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
    });

    it("goes on reading ahead after a read far ahead of its pages, since a page is judged only at half its age or when it ages", async () => {
        const ids = seed("outlier", 300);
        configureReadBatching({ pageSize: 20, maxPageSize: 20 });
        await Promise.all([getUser(ids[0] as string), getUser(ids[1] as string)]);
        await refreshLike(ids.slice(2, 6));
        // Only 4 of the 18 users the first page read ahead have been read when the read far ahead of it comes.
        await getUser(ids[250] as string);
        appwrite.emulator.resetRequestCounts();
        const inOrder = ids.slice(6, 29);
        expect(await refreshLike(inOrder)).toEqual(inOrder);
        // Only the first page's next page: read-ahead did not stop, and no later read went out in a batch of its own.
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 1 });
    });

    it("keeps the chain of next pages going past a page led by a read far ahead of it", async () => {
        const ids = seed("chain", 300);
        configureReadBatching({ pageSize: 20, maxPageSize: 100 });
        await Promise.all([getUser(ids[0] as string), getUser(ids[1] as string)]);
        await getUser(ids[250] as string);
        appwrite.emulator.resetRequestCounts();
        const inOrder = ids.slice(2, 151);
        expect(await refreshLike(inOrder)).toEqual(inOrder);
        // Read this fast, the next pages after the first page's 20 hold 100 users each: ids[20..119] and ids[120..219].
        // Had the far read's page stopped the chain, the reads past the first page would have led a page of 20 first.
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
