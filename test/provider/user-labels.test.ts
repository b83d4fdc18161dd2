import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { registeredBy } from "../support/pulumi-mocks";
import { UserLabels } from "../../sdk";

import { UNKNOWN, UNKNOWN_ARRAY } from "../support/unknown";

let appwrite: EmulatedAppwrite;
const provider = () => appwrite.provider("UserLabels");

async function newUser(): Promise<string> {
    const userId = uniqueId("labels");
    await appwrite.users.create({ userId });
    return userId;
}

async function created(labels: string[]) {
    const userId = await newUser();
    const { id, outs } = await provider().create({ userId, labels });
    return { userId, id, outs };
}

useEmulatedAppwrite((started) => (appwrite = started));

describe("UserLabels create and read", () => {
    it("create sends the declared labels once each in a single request and returns them as outputs", async () => {
        const userId = await newUser();
        appwrite.emulator.resetRequestCounts();
        const { id, outs } = await provider().create({ userId, labels: ["vip", "beta", "vip"], __provider: "x" });
        expect(id).toBe(userId);
        expect(outs).toEqual({ userId, labels: ["vip", "beta"], exclusive: null });
        expect(appwrite.emulator.requestCounts()).toEqual({ "PUT /v1/users/:userId/labels": 1 });
        expect((await appwrite.users.get({ userId })).labels).toEqual(["vip", "beta"]);
    });

    it("read returns the live labels as outputs and as inputs", async () => {
        const { userId, outs } = await created(["admin"]);
        expect(await provider().read(userId, outs)).toEqual({ id: userId, props: outs, inputs: { userId, labels: outs.labels } });
    });

    it("create for a user that does not exist names the user and says to declare the User resource", async () => {
        await expect(provider().create({ userId: "no-such-user", labels: ["a"] })).rejects.toThrow(
            /UserLabels create failed for user "no-such-user".*user_not_found, HTTP 404.*declare the User resource/,
        );
    });
});

describe("UserLabels diff", () => {
    const olds = { userId: "u1", labels: ["a", "b"], __provider: "old" };

    it("diff ignores order, duplicates and __provider and sends no request", async () => {
        const result = await provider().diff("u1", olds, { userId: "u1", labels: ["b", "a", "b"], __provider: "new" });
        expect(result.changes).toBe(false);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("diff asks for delete-first even without a change, so a forced replace does not clear the labels it just set", async () => {
        expect(await provider().diff("u1", olds, { userId: "u1", labels: ["a", "b"] })).toEqual({
            changes: false,
            deleteBeforeReplace: true,
        });
    });

    it("diff reports a different label set as an in-place update", async () => {
        expect(await provider().diff("u1", olds, { userId: "u1", labels: ["a", "B"] })).toEqual({
            changes: true,
            deleteBeforeReplace: true,
        });
    });

    it("diff treats a label that differs only in case as a change, as Appwrite does", async () => {
        expect((await provider().diff("u1", olds, { userId: "u1", labels: ["A", "b"] })).changes).toBe(true);
    });

    it("diff replaces the resource when userId changes, without deleting first", async () => {
        expect(await provider().diff("u1", olds, { userId: "u2", labels: ["a", "b"] })).toEqual({
            changes: true,
            replaces: ["userId"],
            deleteBeforeReplace: false,
        });
    });

    it("diff replaces delete-first when the userId is not known yet, since it may be the same user", async () => {
        expect(await provider().diff("u1", olds, { userId: UNKNOWN, labels: ["a", "b"] })).toEqual({
            changes: true,
            replaces: ["userId"],
            deleteBeforeReplace: true,
        });
    });

    it("diff counts an unknown label list or an unknown label as a change", async () => {
        expect((await provider().diff("u1", olds, { userId: "u1", labels: UNKNOWN_ARRAY })).changes).toBe(true);
        expect((await provider().diff("u1", olds, { userId: "u1", labels: ["a", UNKNOWN] })).changes).toBe(true);
    });
});

describe("UserLabels update and drift", () => {
    it("update sends one request with the new labels and returns complete outputs", async () => {
        const { userId, outs } = await created(["a"]);
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await provider().update(userId, outs, { userId, labels: ["b", "c"] });
        expect(updated).toEqual({ userId, labels: ["b", "c"], exclusive: null });
        expect(appwrite.emulator.totalRequests()).toBe(1);
    });

    it("update with the same label set in another order sends nothing", async () => {
        const { userId, outs } = await created(["a", "b"]);
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await provider().update(userId, outs, { userId, labels: ["b", "a"] });
        expect(updated).toEqual({ userId, labels: ["a", "b"], exclusive: null });
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("labels changed directly in Appwrite show as drift and the next update puts the declared ones back", async () => {
        const { userId, outs } = await created(["a"]);
        await appwrite.users.updateLabels({ userId, labels: ["intruder"] });
        const read = await provider().read(userId, outs);
        expect(read.inputs).toEqual({ userId, labels: ["intruder"] });
        const declared = { userId, labels: ["a"] };
        expect((await provider().diff(userId, read.props, declared)).changes).toBe(true);
        await provider().update(userId, read.props, declared);
        expect((await appwrite.users.get({ userId })).labels).toEqual(["a"]);
    });
});

describe("UserLabels delete", () => {
    it("delete clears the labels and a second delete succeeds", async () => {
        const { userId, outs } = await created(["a", "b"]);
        await provider().delete(userId, outs);
        expect((await appwrite.users.get({ userId })).labels).toEqual([]);
        await expect(provider().delete(userId, outs)).resolves.toBeUndefined();
    });

    it("read returns an empty id and delete succeeds when the user was deleted outside Pulumi", async () => {
        const { userId, outs } = await created(["a"]);
        await appwrite.users.delete({ userId });
        expect(await provider().read(userId, outs)).toEqual({});
        await expect(provider().delete(userId, outs)).resolves.toBeUndefined();
    });
});

describe("UserLabels check", () => {
    const check = (news: Record<string, unknown>) => provider().check({}, news);

    it("check accepts valid labels and passes the inputs on unchanged", async () => {
        const news = { userId: "u1", labels: ["a", "B7"], __provider: "p" };
        expect(await check(news)).toEqual({ inputs: news });
    });

    it("check refuses an invalid userId, saying which characters are allowed", async () => {
        const { failures } = await check({ userId: "-bad", labels: [] });
        expect(failures).toEqual([{ property: "userId", reason: expect.stringMatching(/1 to 36 characters/) }]);
    });

    it("check refuses each label that is not 1 to 36 letters or digits", async () => {
        const { failures } = await check({ userId: "u1", labels: ["ok", "has-hyphen", "x".repeat(37), ""] });
        expect(failures?.map((f) => f.property)).toEqual(["labels[1]", "labels[2]", "labels[3]"]);
        expect(failures?.[0]?.reason).toMatch(/1 to 36 ASCII letters or digits/);
    });

    it("check refuses more than 1000 labels, naming the count and the limit", async () => {
        const labels = Array.from({ length: 1001 }, (_, i) => `l${i}`);
        const { failures } = await check({ userId: "u1", labels });
        expect(failures).toEqual([{ property: "labels", reason: "has 1001 distinct labels; at most 1000 are allowed" }]);
    });

    it("check counts the limit after duplicates are dropped, and create sends the 1000 distinct labels in one request", async () => {
        const labels = [...Array.from({ length: 1000 }, (_, i) => `l${i}`), "l7"];
        expect((await check({ userId: "u1", labels })).failures).toBeUndefined();
        const userId = await newUser();
        appwrite.emulator.resetRequestCounts();
        const { outs } = await provider().create({ userId, labels });
        expect(appwrite.emulator.requestCounts()).toEqual({ "PUT /v1/users/:userId/labels": 1 });
        expect(outs.labels).toHaveLength(1000);
    });

    it("check refuses an input UserLabels does not have, naming the closest one", async () => {
        const { failures } = await check({ userId: "u1", labels: ["a"], label: ["b"], __provider: "p" });
        expect(failures).toEqual([
            { property: "label", reason: expect.stringMatching(/^is not a known input of UserLabels; did you mean `labels`\?/) },
        ]);
    });

    it("check refuses missing labels and labels that are not a list", async () => {
        expect((await check({ userId: "u1" })).failures?.[0]?.property).toBe("labels");
        expect((await check({ userId: "u1", labels: "vip" })).failures?.[0]?.reason).toMatch(/must be a list of labels/);
    });

    it("check lets unknown values through", async () => {
        expect((await check({ userId: UNKNOWN, labels: UNKNOWN_ARRAY })).failures).toBeUndefined();
        expect((await check({ userId: "u1", labels: ["a", UNKNOWN] })).failures).toBeUndefined();
    });
});

describe("UserLabels SDK class", () => {
    it("registers the type pulumi-nodejs:dynamic/appwrite:UserLabels with the declared inputs", async () => {
        const { registered } = await registeredBy(() => new UserLabels("example", { userId: "ci-bot", labels: ["service", "ci"] }));
        expect(registered).toHaveLength(1);
        expect(registered[0]?.type).toBe("pulumi-nodejs:dynamic/appwrite:UserLabels");
        expect(registered[0]?.inputs).toMatchObject({ userId: "ci-bot", labels: ["service", "ci"] });
    });
});
