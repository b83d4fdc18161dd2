import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

/** UserLabels with `exclusive: false`: the labels are shared with the application and other resources. */

let appwrite: EmulatedAppwrite;
const provider = () => appwrite.provider("UserLabels");

useEmulatedAppwrite((started) => (appwrite = started));

/** A user whose application has already set `appLabels`. */
async function userWith(appLabels: string[]): Promise<string> {
    const userId = uniqueId("shared-labels");
    await appwrite.users.create({ userId });
    await appwrite.users.updateLabels({ userId, labels: appLabels });
    appwrite.emulator.resetRequestCounts();
    return userId;
}

const liveLabels = async (userId: string) => (await appwrite.users.get({ userId })).labels;

describe("a non-exclusive UserLabels writes", () => {
    it("create adds the declared labels to the application's in one read and one write, and outputs only its own", async () => {
        const userId = await userWith(["beta", "legacy"]);
        const { id, outs } = await provider().create({ userId, labels: ["service", "ci", "service"], exclusive: false });
        expect(id).toBe(userId);
        expect(outs).toEqual({ userId, labels: ["service", "ci"], exclusive: false });
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users/:userId": 1, "PUT /v1/users/:userId/labels": 1 });
        expect(await liveLabels(userId)).toEqual(["beta", "legacy", "service", "ci"]);
    });

    it("create sends no write when the user already has every declared label", async () => {
        const userId = await userWith(["beta", "ci"]);
        const { outs } = await provider().create({ userId, labels: ["ci"], exclusive: false });
        expect(outs.labels).toEqual(["ci"]);
        expect(appwrite.emulator.writeRequests()).toBe(0);
    });

    it("update removes a label dropped from the program and adds a new one, leaving the application's alone", async () => {
        const userId = await userWith(["beta"]);
        const { outs } = await provider().create({ userId, labels: ["ci", "ops"], exclusive: false });
        await appwrite.users.updateLabels({ userId, labels: [...(await liveLabels(userId)), "vip"] });
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await provider().update(userId, outs, { userId, labels: ["ops", "oncall"], exclusive: false });
        expect(updated).toEqual({ userId, labels: ["ops", "oncall"], exclusive: false });
        expect(await liveLabels(userId)).toEqual(["beta", "ops", "vip", "oncall"]);
        expect(appwrite.emulator.writeRequests()).toBe(1);
    });

    it("delete removes only the labels it declared", async () => {
        const userId = await userWith(["beta"]);
        const { outs } = await provider().create({ userId, labels: ["ci"], exclusive: false });
        await provider().delete(userId, outs);
        expect(await liveLabels(userId)).toEqual(["beta"]);
    });

    it("delete succeeds when the user is already gone", async () => {
        const userId = await userWith([]);
        const { outs } = await provider().create({ userId, labels: ["ci"], exclusive: false });
        await appwrite.users.delete({ userId });
        await expect(provider().delete(userId, outs)).resolves.toBeUndefined();
    });

    it("create for a user that does not exist names the user and says to declare the User resource", async () => {
        await expect(provider().create({ userId: "no-such-shared-user", labels: ["a"], exclusive: false })).rejects.toThrow(
            /UserLabels create failed for user "no-such-shared-user".*user_not_found, HTTP 404.*declare the User resource/,
        );
    });
});

describe("a non-exclusive UserLabels reads", () => {
    it("read reports only the declared labels, so labels the application adds are not drift", async () => {
        const userId = await userWith([]);
        const declared = { userId, labels: ["ci"], exclusive: false };
        const { outs } = await provider().create(declared);
        await appwrite.users.updateLabels({ userId, labels: ["ci", "beta", "tester"] });
        const read = await provider().read(userId, outs);
        expect(read.inputs).toEqual({ userId, labels: ["ci"], exclusive: false });
        expect(read.props).toEqual(outs);
        expect((await provider().diff(userId, read.props, declared)).changes).toBe(false);
    });

    it("a declared label removed outside Pulumi is drift, and the update puts it back without the application's going", async () => {
        const userId = await userWith([]);
        const declared = { userId, labels: ["ci", "ops"], exclusive: false };
        const { outs } = await provider().create(declared);
        await appwrite.users.updateLabels({ userId, labels: ["ops", "beta"] });
        const read = await provider().read(userId, outs);
        expect(read.inputs).toEqual({ userId, labels: ["ops"], exclusive: false });
        expect((await provider().diff(userId, read.props, declared)).changes).toBe(true);
        await provider().update(userId, read.props, declared);
        expect(await liveLabels(userId)).toEqual(["ops", "beta", "ci"]);
    });
});

describe("switching exclusive", () => {
    it("is an in-place update; to non-exclusive it keeps every label, back to exclusive it removes the undeclared ones", async () => {
        const userId = await userWith([]);
        const { outs } = await provider().create({ userId, labels: ["ci"] });
        await appwrite.users.updateLabels({ userId, labels: ["ci", "beta"] });
        const shared = { userId, labels: ["ci"], exclusive: false };
        expect(await provider().diff(userId, outs, shared)).toEqual({ changes: true, deleteBeforeReplace: true });
        const { outs: sharedOuts } = await provider().update(userId, outs, shared);
        expect(await liveLabels(userId)).toEqual(["ci", "beta"]);
        const owned = { userId, labels: ["ci"] };
        expect(await provider().diff(userId, sharedOuts, owned)).toEqual({ changes: true, deleteBeforeReplace: true });
        await provider().update(userId, sharedOuts, owned);
        expect(await liveLabels(userId)).toEqual(["ci"]);
    });
});

describe("the label limit on the merged labels", () => {
    it("a merge that would give more than 1000 labels fails before writing, naming the user and the counts", async () => {
        const userId = await userWith(Array.from({ length: 999 }, (_, i) => `app${i}`));
        await expect(provider().create({ userId, labels: ["ci", "ops", "app1"], exclusive: false })).rejects.toThrow(
            new RegExp(
                `UserLabels create failed for user "${userId}": merging would give the user 1001 labels \\(999 kept from Appwrite, 2 added by this resource\\); Appwrite allows at most 1000`,
            ),
        );
        expect(appwrite.emulator.writeRequests()).toBe(0);
        expect(await liveLabels(userId)).toHaveLength(999);
    });
});

describe("two non-exclusive UserLabels for one user", () => {
    it("created at the same time against a slow Appwrite, both sets of labels and the application's end up on the user", async () => {
        const userId = await userWith(["beta"]);
        appwrite.emulator.setLatency(25);
        try {
            await Promise.all([
                provider().create({ userId, labels: ["ci", "ops"], exclusive: false }),
                provider().create({ userId, labels: ["oncall"], exclusive: false }),
                provider().create({ userId, labels: ["audit"], exclusive: false }),
            ]);
        } finally {
            appwrite.emulator.setLatency(0);
        }
        expect(new Set(await liveLabels(userId))).toEqual(new Set(["beta", "ci", "ops", "oncall", "audit"]));
        expect(appwrite.emulator.requestCounts()["PUT /v1/users/:userId/labels"]).toBe(3);
    });
});

describe("check of exclusive against non-exclusive", () => {
    const check = (news: Record<string, unknown>) => provider().check({}, news);

    it("refuses a non-exclusive UserLabels for a user that an exclusive one in the same program owns, naming the fix", async () => {
        const userId = uniqueId("mixed");
        expect((await check({ userId, labels: ["a"] })).failures).toBeUndefined();
        const { failures } = await check({ userId, labels: ["b"], exclusive: false });
        expect(failures).toEqual([
            {
                property: "exclusive",
                reason: expect.stringMatching(
                    new RegExp(
                        `^is false, but another UserLabels in this program for user "${userId}" has exclusive: true.*exclusive: false, or merge them`,
                    ),
                ),
            },
        ]);
    });

    it("accepts several non-exclusive UserLabels for one user, and the same resource checked twice", async () => {
        const userId = uniqueId("shared");
        for (const labels of [["a"], ["b"], ["b"]]) expect((await check({ userId, labels, exclusive: false })).failures).toBeUndefined();
    });

    it("does not mix kinds: an exclusive UserPrefs and a non-exclusive UserLabels for one user are fine", async () => {
        const userId = uniqueId("kinds");
        expect((await appwrite.provider("UserPrefs").check({}, { userId, prefs: {} })).failures).toBeUndefined();
        expect((await check({ userId, labels: ["a"], exclusive: false })).failures).toBeUndefined();
    });

    it("refuses exclusive given as something other than a boolean", async () => {
        const { failures } = await check({ userId: uniqueId("bad"), labels: [], exclusive: "no" });
        expect(failures).toEqual([{ property: "exclusive", reason: expect.stringMatching(/must be true or false/) }]);
    });
});
