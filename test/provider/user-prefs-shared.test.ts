import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { UNKNOWN } from "../support/unknown";

/** UserPrefs with `exclusive: false`: the prefs object is shared with the application and other resources. */

let appwrite: EmulatedAppwrite;
const provider = () => appwrite.provider("UserPrefs");

useEmulatedAppwrite((started) => (appwrite = started));

/** A user whose application has already set `appPrefs`. */
async function userWith(appPrefs: Record<string, unknown>): Promise<string> {
    const userId = uniqueId("shared-prefs");
    await appwrite.users.create({ userId });
    await appwrite.users.updatePrefs({ userId, prefs: appPrefs });
    appwrite.emulator.resetRequestCounts();
    return userId;
}

const livePrefs = async (userId: string) => (await appwrite.users.getPrefs({ userId })) as Record<string, unknown>;

describe("a non-exclusive UserPrefs writes", () => {
    it("create sets its keys beside the application's in one read and one write, and outputs only its own", async () => {
        const userId = await userWith({ theme: "dark", seen: 3 });
        const { outs } = await provider().create({ userId, prefs: { locale: "en", seen: 4 }, exclusive: false });
        expect(outs).toEqual({ userId, prefs: { locale: "en", seen: 4 }, exclusive: false });
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users/:userId": 1, "PATCH /v1/users/:userId/prefs": 1 });
        expect(await livePrefs(userId)).toEqual({ theme: "dark", seen: 4, locale: "en" });
    });

    it("create sends no write when the user already has the declared values", async () => {
        const userId = await userWith({ theme: "dark", locale: "en" });
        await provider().create({ userId, prefs: { locale: "en" }, exclusive: false });
        expect(appwrite.emulator.writeRequests()).toBe(0);
    });

    it("update removes a key dropped from the program and sets the new ones, leaving the application's alone", async () => {
        const userId = await userWith({ theme: "dark" });
        const { outs } = await provider().create({ userId, prefs: { locale: "en", tier: "gold" }, exclusive: false });
        await appwrite.users.updatePrefs({ userId, prefs: { ...(await livePrefs(userId)), beta: true } });
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await provider().update(userId, outs, { userId, prefs: { tier: "silver", quota: 5 }, exclusive: false });
        expect(updated).toEqual({ userId, prefs: { tier: "silver", quota: 5 }, exclusive: false });
        expect(appwrite.emulator.writeRequests()).toBe(1);
        expect(await livePrefs(userId)).toEqual({ theme: "dark", tier: "silver", beta: true, quota: 5 });
    });

    it("delete removes only its keys", async () => {
        const userId = await userWith({ theme: "dark" });
        const { outs } = await provider().create({ userId, prefs: { locale: "en" }, exclusive: false });
        await provider().delete(userId, outs);
        expect(await livePrefs(userId)).toEqual({ theme: "dark" });
    });

    it("delete succeeds when the user is already gone", async () => {
        const userId = await userWith({});
        const { outs } = await provider().create({ userId, prefs: { locale: "en" }, exclusive: false });
        await appwrite.users.delete({ userId });
        await expect(provider().delete(userId, outs)).resolves.toBeUndefined();
    });
});

describe("a non-exclusive UserPrefs reads", () => {
    it("read reports only the declared keys, so keys the application changes are not drift", async () => {
        const userId = await userWith({});
        const declared = { userId, prefs: { locale: "en" }, exclusive: false };
        const { outs } = await provider().create(declared);
        await appwrite.users.updatePrefs({ userId, prefs: { locale: "en", theme: "light", seen: 12 } });
        const read = await provider().read(userId, outs);
        expect(read.inputs).toEqual({ userId, prefs: { locale: "en" }, exclusive: false });
        expect((await provider().diff(userId, read.props, declared)).changes).toBe(false);
    });

    it("a declared key changed or removed outside Pulumi is drift, and the update restores it without touching the rest", async () => {
        const userId = await userWith({});
        const declared = { userId, prefs: { locale: "en", tier: "gold" }, exclusive: false };
        const { outs } = await provider().create(declared);
        await appwrite.users.updatePrefs({ userId, prefs: { locale: "fr", theme: "light" } });
        const read = await provider().read(userId, outs);
        expect(read.inputs).toEqual({ userId, prefs: { locale: "fr" }, exclusive: false });
        expect((await provider().diff(userId, read.props, declared)).changes).toBe(true);
        await provider().update(userId, read.props, declared);
        expect(await livePrefs(userId)).toEqual({ locale: "en", theme: "light", tier: "gold" });
    });
});

describe("switching exclusive on UserPrefs", () => {
    it("is an in-place update; to non-exclusive it keeps the application's keys, back to exclusive it removes them", async () => {
        const userId = await userWith({});
        const { outs } = await provider().create({ userId, prefs: { locale: "en" } });
        await appwrite.users.updatePrefs({ userId, prefs: { locale: "en", theme: "dark" } });
        const shared = { userId, prefs: { locale: "en" }, exclusive: false };
        expect(await provider().diff(userId, outs, shared)).toEqual({ changes: true, deleteBeforeReplace: true });
        const { outs: sharedOuts } = await provider().update(userId, outs, shared);
        expect(await livePrefs(userId)).toEqual({ locale: "en", theme: "dark" });
        const owned = { userId, prefs: { locale: "en" } };
        expect(await provider().diff(userId, sharedOuts, owned)).toEqual({ changes: true, deleteBeforeReplace: true });
        await provider().update(userId, sharedOuts, owned);
        expect(await livePrefs(userId)).toEqual({ locale: "en" });
    });
});

describe("the size limit on the merged prefs", () => {
    it("a merge over 65535 bytes as Appwrite measures them fails before writing, naming the user and the sizes", async () => {
        // 65,000 bytes of the application's, measured as PHP's json_encode writes them: {"notes":"x…"}.
        const userId = await userWith({ notes: "x".repeat(65_000 - 12) });
        const error = await provider()
            .create({ userId, prefs: { bio: "/".repeat(300) }, exclusive: false })
            .then(
                () => undefined,
                (err: unknown) => err as Error,
            );
        // The 300 slashes are 600 bytes escaped; with the key, quotes and a comma the merge is 65,609 bytes.
        expect(error?.message).toMatch(
            new RegExp(
                `^UserPrefs create failed for user "${userId}": merging would give the user prefs of 65609 bytes as Appwrite measures them \\(this resource's keys 610 bytes, the 1 other keys the rest\\); Appwrite allows at most 65535, so nothing was written`,
            ),
        );
        expect(appwrite.emulator.writeRequests()).toBe(0);
    });
});

describe("two non-exclusive UserPrefs for one user", () => {
    it("created at the same time against a slow Appwrite, both sets of keys and the application's end up on the user", async () => {
        const userId = await userWith({ theme: "dark" });
        appwrite.emulator.setLatency(25);
        try {
            await Promise.all([
                provider().create({ userId, prefs: { locale: "en" }, exclusive: false }),
                provider().create({ userId, prefs: { tier: "gold", quota: 5 }, exclusive: false }),
            ]);
        } finally {
            appwrite.emulator.setLatency(0);
        }
        expect(await livePrefs(userId)).toEqual({ theme: "dark", locale: "en", tier: "gold", quota: 5 });
    });
});

describe("check of exclusive UserPrefs against non-exclusive", () => {
    it("refuses an exclusive UserPrefs for a user that a non-exclusive one in the same program shares", async () => {
        const userId = uniqueId("mixed-prefs");
        expect((await provider().check({}, { userId, prefs: { a: 1 }, exclusive: false })).failures).toBeUndefined();
        const { failures } = await provider().check({}, { userId, prefs: { b: 1 } });
        expect(failures).toEqual([
            {
                property: "exclusive",
                reason: expect.stringMatching(
                    new RegExp(`^is true, but another UserPrefs in this program for user "${userId}" has exclusive: false`),
                ),
            },
        ]);
    });

    it("lets a still unknown userId through, since it cannot tell the user", async () => {
        expect((await provider().check({}, { userId: UNKNOWN, prefs: {} })).failures).toBeUndefined();
        expect((await provider().check({}, { userId: UNKNOWN, prefs: {}, exclusive: false })).failures).toBeUndefined();
    });
});
