import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { registeredBy } from "../support/pulumi-mocks";
import { UserPrefs } from "../../sdk";

import { UNKNOWN, UNKNOWN_OBJECT } from "../support/unknown";

let appwrite: EmulatedAppwrite;
const provider = () => appwrite.provider("UserPrefs");

async function newUser(): Promise<string> {
    const userId = uniqueId("prefs");
    await appwrite.users.create({ userId });
    return userId;
}

async function created(prefs: Record<string, unknown>) {
    const userId = await newUser();
    const { id, outs } = await provider().create({ userId, prefs });
    return { userId, id, outs };
}

useEmulatedAppwrite((started) => (appwrite = started));

describe("UserPrefs create and read", () => {
    it("create replaces the prefs in a single request and returns them as outputs", async () => {
        const userId = await newUser();
        await appwrite.users.updatePrefs({ userId, prefs: { old: true } });
        appwrite.emulator.resetRequestCounts();
        const { id, outs } = await provider().create({ userId, prefs: { locale: "en", limits: { daily: 5 } }, __provider: "p" });
        expect(id).toBe(userId);
        expect(outs).toEqual({ userId, prefs: { locale: "en", limits: { daily: 5 } }, exclusive: null });
        expect(appwrite.emulator.requestCounts()).toEqual({ "PATCH /v1/users/:userId/prefs": 1 });
        expect(await appwrite.users.getPrefs({ userId })).toEqual({ locale: "en", limits: { daily: 5 } });
    });

    it("read returns the live prefs as outputs and as inputs", async () => {
        const { userId, outs } = await created({ theme: "dark" });
        expect(await provider().read(userId, outs)).toEqual({ id: userId, props: outs, inputs: { userId, prefs: outs.prefs } });
    });

    it("a nested empty object, which Appwrite hands back as a list, does not show as drift", async () => {
        const declared = { userId: "", prefs: { theme: "dark", layout: {}, panes: { left: {} } } };
        const { userId } = await created(declared.prefs);
        const read = await provider().read(userId, {});
        expect(read.props?.prefs).toEqual({ theme: "dark", layout: [], panes: { left: [] } });
        expect((await provider().diff(userId, read.props, { ...declared, userId })).changes).toBe(false);
    });

    it("create for a user that does not exist names the user and says to declare the User resource", async () => {
        await expect(provider().create({ userId: "no-such-user", prefs: {} })).rejects.toThrow(
            /UserPrefs create failed for user "no-such-user".*user_not_found, HTTP 404.*declare the User resource/,
        );
    });
});

describe("UserPrefs diff", () => {
    const olds = { userId: "u1", prefs: { a: 1, b: { c: [1, 2] } }, __provider: "old" };

    it("diff compares prefs by value, ignoring key order and __provider, and sends no request", async () => {
        const result = await provider().diff("u1", olds, { userId: "u1", prefs: { b: { c: [1, 2] }, a: 1 }, __provider: "new" });
        expect(result.changes).toBe(false);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("diff reports a changed value deep inside the prefs as an in-place update", async () => {
        expect(await provider().diff("u1", olds, { userId: "u1", prefs: { a: 1, b: { c: [1, 3] } } })).toEqual({
            changes: true,
            deleteBeforeReplace: true,
        });
    });

    it("diff replaces the resource when userId changes, without deleting first", async () => {
        expect(await provider().diff("u1", olds, { userId: "u2", prefs: olds.prefs })).toEqual({
            changes: true,
            replaces: ["userId"],
            deleteBeforeReplace: false,
        });
    });

    it("diff counts unknown prefs, or an unknown value inside them, as a change", async () => {
        expect((await provider().diff("u1", olds, { userId: "u1", prefs: UNKNOWN_OBJECT })).changes).toBe(true);
        expect((await provider().diff("u1", olds, { userId: "u1", prefs: { a: UNKNOWN, b: { c: [1, 2] } } })).changes).toBe(true);
    });
});

describe("UserPrefs update and drift", () => {
    it("update sends one request with the new prefs and returns complete outputs", async () => {
        const { userId, outs } = await created({ a: 1 });
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await provider().update(userId, outs, { userId, prefs: { a: 2 } });
        expect(updated).toEqual({ userId, prefs: { a: 2 }, exclusive: null });
        expect(appwrite.emulator.totalRequests()).toBe(1);
    });

    it("update with prefs equal by value sends nothing and keeps the outputs", async () => {
        const { userId, outs } = await created({ a: 1, b: 2 });
        appwrite.emulator.resetRequestCounts();
        expect((await provider().update(userId, outs, { userId, prefs: { b: 2, a: 1 } })).outs).toEqual(outs);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("prefs an app wrote directly show as drift and the next update overwrites them", async () => {
        const { userId, outs } = await created({ locale: "en" });
        await appwrite.users.updatePrefs({ userId, prefs: { locale: "de", seen: true } });
        const read = await provider().read(userId, outs);
        expect(read.inputs).toEqual({ userId, prefs: { locale: "de", seen: true } });
        const declared = { userId, prefs: { locale: "en" } };
        expect((await provider().diff(userId, read.props, declared)).changes).toBe(true);
        await provider().update(userId, read.props, declared);
        expect(await appwrite.users.getPrefs({ userId })).toEqual({ locale: "en" });
    });
});

describe("UserPrefs delete", () => {
    it("delete resets the prefs to an empty object and a second delete succeeds", async () => {
        const { userId, outs } = await created({ a: 1 });
        await provider().delete(userId, outs);
        expect(await appwrite.users.getPrefs({ userId })).toEqual({});
        await expect(provider().delete(userId, outs)).resolves.toBeUndefined();
    });

    it("read returns an empty id and delete succeeds when the user was deleted outside Pulumi", async () => {
        const { userId, outs } = await created({ a: 1 });
        await appwrite.users.delete({ userId });
        expect(await provider().read(userId, outs)).toEqual({});
        await expect(provider().delete(userId, outs)).resolves.toBeUndefined();
    });
});

describe("UserPrefs check", () => {
    const check = (prefs: unknown, userId: unknown = "u1") => provider().check({}, { userId, prefs });
    /** `{"kk":"///..."}` is 9 bytes plus 2 per slash once PHP escapes each `/` as `\/`. */
    const slashes = (n: number) => ({ kk: "/".repeat(n) });

    it("check accepts prefs of exactly 65535 bytes as Appwrite measures them, and Appwrite stores them", async () => {
        expect((await check(slashes(32763))).failures).toBeUndefined();
        const { outs } = await created(slashes(32763));
        expect(outs.prefs).toEqual(slashes(32763));
    });

    it("check refuses prefs one escaped character over the limit, naming the size and the limit", async () => {
        expect((await check(slashes(32764))).failures).toEqual([
            {
                property: "prefs",
                reason: expect.stringMatching(/^is 65537 bytes as Appwrite measures it .*at most 65535 bytes are allowed$/),
            },
        ]);
    });

    it("check measures each non-ASCII character as a six-byte \\u escape, not as UTF-8", async () => {
        const reason = (await check({ text: "é".repeat(11000) })).failures?.[0]?.reason;
        expect(reason).toMatch(/^is 66011 bytes/);
    });

    it("check refuses prefs that are not a JSON object", async () => {
        for (const prefs of [["a"], "dark", 3, undefined]) {
            expect((await check(prefs)).failures).toEqual([{ property: "prefs", reason: expect.stringMatching(/JSON object/) }]);
        }
    });

    it("check refuses an object keyed 0, 1, 2 ..., which Appwrite would receive as a list", async () => {
        expect((await check({ 0: "a", 1: "b" })).failures?.[0]?.reason).toMatch(/must have named keys/);
    });

    it("check refuses each value JSON cannot hold, naming its path, before anything measures the prefs", async () => {
        const prefs = {
            big: 1n,
            theme: { colors: ["red", undefined, NaN], onChange: () => "x" },
            limit: -Infinity,
            tag: Symbol("t"),
            gone: undefined,
        };
        expect((await check(prefs)).failures).toEqual([
            { property: "prefs.big", reason: expect.stringMatching(/^is a BigInt, which JSON cannot hold/) },
            { property: "prefs.theme.colors[1]", reason: expect.stringMatching(/^is undefined inside a list/) },
            { property: "prefs.theme.colors[2]", reason: expect.stringMatching(/^is NaN, which JSON cannot hold/) },
            { property: "prefs.theme.onChange", reason: expect.stringMatching(/^is a function/) },
            { property: "prefs.limit", reason: expect.stringMatching(/^is -Infinity/) },
            { property: "prefs.tag", reason: expect.stringMatching(/^is a symbol/) },
        ]);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("check refuses an input UserPrefs does not have, and one that belongs to UserLabels", async () => {
        const { failures } = await provider().check({}, { userId: "u1", prefs: {}, pref: {}, labels: ["a"], __provider: "p" });
        expect(failures).toEqual([
            { property: "pref", reason: expect.stringMatching(/^is not a known input of UserPrefs; did you mean `prefs`\?/) },
            {
                property: "labels",
                reason: expect.stringMatching(/^is not an input of UserPrefs: it belongs to UserLabels; set it on a UserLabels resource/),
            },
        ]);
    });

    it("check refuses an invalid userId", async () => {
        expect((await check({}, "a b")).failures).toEqual([{ property: "userId", reason: expect.stringMatching(/1 to 36 characters/) }]);
    });

    it("check lets unknown values through", async () => {
        expect((await check(UNKNOWN_OBJECT, UNKNOWN)).failures).toBeUndefined();
        expect((await check({ a: UNKNOWN })).failures).toBeUndefined();
    });
});

describe("UserPrefs SDK class", () => {
    it("registers the type pulumi-nodejs:dynamic/appwrite:UserPrefs with the declared inputs", async () => {
        const { registered } = await registeredBy(() => new UserPrefs("example", { userId: "ci-bot", prefs: { locale: "en" } }));
        expect(registered).toHaveLength(1);
        expect(registered[0]?.type).toBe("pulumi-nodejs:dynamic/appwrite:UserPrefs");
        expect(registered[0]?.inputs).toMatchObject({ userId: "ci-bot", prefs: { locale: "en" } });
    });
});
