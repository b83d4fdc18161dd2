import { Query, Users } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertUsers } from "./fixtures";
import { clientFor, expectError } from "./helpers";
import { type Emulator, startEmulator } from "./index";

let emu: Emulator;
let users: Users;

beforeAll(async () => {
    emu = await startEmulator();
    users = new Users(clientFor(emu));
    // u00000 … u09999; every tenth is blocked, every third has the label "vip", 0–4 also "beta".
    insertUsers(emu.store, 10_000, "u", (i) => ({
        status: i % 10 !== 0,
        labels: [...(i % 3 === 0 ? ["vip"] : []), ...(i < 5 ? ["beta"] : [])],
        phone: i < 3 ? `+1415555${String(i).padStart(4, "0")}` : null,
        name: i === 42 ? "Cristiano Ronaldo" : `User ${i}`,
        email: i === 42 ? "cristiano.ronaldo@manchester-united.co.uk" : `u${i}@example.org`,
    }));
});
afterAll(async () => {
    await emu.stop();
});

const ids = (list: { users: Array<{ $id: string }> }): string[] => list.users.map((u) => u.$id);

describe("listing users", () => {
    it("answers 25 users in creation order by default, with the total capped at 5000", async () => {
        const list = await users.list();
        expect(list.total).toBe(5000);
        expect(ids(list)).toEqual(Array.from({ length: 25 }, (_, i) => `u${String(i).padStart(5, "0")}`));
    });

    it("answers total 0 without counting when total is false", async () => {
        const list = await users.list({ queries: [Query.limit(1)], total: false });
        expect(list.total).toBe(0);
        expect(list.users).toHaveLength(1);
    });

    it("pages with limit and offset, and has no maximum limit", async () => {
        expect(ids(await users.list({ queries: [Query.limit(2), Query.offset(9998)] }))).toEqual(["u09998", "u09999"]);
        expect((await users.list({ queries: [Query.limit(10_000)] })).users).toHaveLength(10_000);
    });

    it("walks all 10,000 users with cursorAfter pages and sees each once", async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (;;) {
            const queries = [Query.limit(1000), ...(cursor ? [Query.cursorAfter(cursor)] : [])];
            const page = await users.list({ queries, total: false });
            if (page.users.length === 0) break;
            seen.push(...ids(page));
            cursor = page.users[page.users.length - 1]!.$id;
        }
        expect(seen).toHaveLength(10_000);
        expect(new Set(seen).size).toBe(10_000);
    });

    it("filters with equal, notEqual and contains on labels", async () => {
        expect(ids(await users.list({ queries: [Query.equal("$id", ["u00007", "u00003"])] }))).toEqual(["u00003", "u00007"]);
        expect((await users.list({ queries: [Query.equal("status", false)] })).total).toBe(1000);
        expect((await users.list({ queries: [Query.contains("labels", "beta")] })).total).toBe(5);
        expect(ids(await users.list({ queries: [Query.contains("labels", ["beta"]), Query.notEqual("$id", "u00000")] }))).toEqual([
            "u00001",
            "u00002",
            "u00003",
            "u00004",
        ]);
        expect(ids(await users.list({ queries: [Query.equal("email", "u17@example.org")] }))).toEqual(["u00017"]);
        expect(ids(await users.list({ queries: [Query.equal("name", "Cristiano Ronaldo")] }))).toEqual(["u00042"]);
    });

    it("treats NULL like SQL: notEqual never matches a user without a phone", async () => {
        const list = await users.list({ queries: [Query.notEqual("phone", "+14155550000")] });
        expect(ids(list)).toEqual(["u00001", "u00002"]);
        expect((await users.list({ queries: [Query.isNull("phone")] })).total).toBe(5000);
    });

    it("orders by an attribute, ascending or descending, with creation order breaking ties", async () => {
        expect(ids(await users.list({ queries: [Query.orderDesc("$id"), Query.limit(3)] }))).toEqual(["u09999", "u09998", "u09997"]);
        expect(ids(await users.list({ queries: [Query.orderAsc("status"), Query.limit(3)] }))).toEqual(["u00000", "u00010", "u00020"]);
        expect(ids(await users.list({ queries: [Query.orderDesc("registration"), Query.limit(2)] }))).toEqual(["u09999", "u09998"]);
        expect(ids(await users.list({ queries: [Query.orderAsc("email"), Query.limit(2)] }))).toEqual(["u00042", "u00000"]);
    });

    it("continues an ordered listing after a cursor", async () => {
        const page = await users.list({ queries: [Query.orderDesc("$id"), Query.cursorAfter("u00002")] });
        expect(ids(page)).toEqual(["u00001", "u00000"]);
        const before = await users.list({ queries: [Query.cursorBefore("u00003"), Query.limit(2)] });
        expect(ids(before)).toEqual(["u00001", "u00002"]);
    });

    it("answers cursor errors: a bad ID format, a missing user, a null order attribute", async () => {
        await expectError(
            users.list({ queries: [Query.cursorAfter("_bad")] }),
            400,
            "general_argument_invalid",
            "Invalid `queries` param: Invalid query: Invalid cursor: UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore",
        );
        await expectError(
            users.list({ queries: [Query.cursorAfter("nobody")] }),
            400,
            "general_cursor_not_found",
            "User 'nobody' for the 'cursor' value not found.",
        );
        await expectError(
            users.list({ queries: [Query.orderAsc("phone"), Query.cursorAfter("u00009")] }),
            400,
            "database_query_order_null",
        );
    });

    it("searches $id, email, name, phone and labels by word prefix", async () => {
        for (const term of [
            "Ronaldo",
            "cristiano.ronaldo@manchester-united.co.uk",
            "cristiano.ronaldo",
            "manchester",
            "united.co.uk",
            "u00042",
        ]) {
            expect(ids(await users.list({ search: term })), term).toEqual(["u00042"]);
        }
        expect((await users.list({ search: ">" })).total).toBe(0);
        expect(ids(await users.list({ search: "beta", queries: [Query.limit(10)] }))).toEqual([
            "u00000",
            "u00001",
            "u00002",
            "u00003",
            "u00004",
        ]);
    });

    it("combines and/or filters and range comparisons", async () => {
        const list = await users.list({
            queries: [Query.or([Query.equal("$id", "u00005"), Query.equal("$id", "u00006")]), Query.greaterThan("$id", "u00005")],
        });
        expect(ids(list)).toEqual(["u00006"]);
        expect((await users.list({ queries: [Query.between("$id", "u00010", "u00019")] })).total).toBe(10);
        expect((await users.list({ queries: [Query.startsWith("email", "u9999@")] })).total).toBe(1);
    });

    it("lists with the user's targets included and counts the request once", async () => {
        emu.resetRequestCounts();
        await users.list({ queries: [Query.limit(1)] });
        expect(emu.requestCounts()).toEqual({ "GET /v1/users": 1 });
    });
});
