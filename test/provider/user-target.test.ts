import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { registeredBy } from "../support/pulumi-mocks";
import { UserTarget } from "../../sdk";

import { UNKNOWN } from "../support/unknown";
const CREATE_ROUTE = "POST /v1/users/:userId/targets";
const UPDATE_ROUTE = "PATCH /v1/users/:userId/targets/:targetId";

let appwrite: EmulatedAppwrite;
const provider = () => appwrite.provider("UserTarget");

async function newUser(fields: { email?: string; phone?: string } = {}): Promise<string> {
    const userId = uniqueId("target");
    await appwrite.users.create({ userId, ...fields });
    return userId;
}

async function created(fields: Record<string, unknown> = {}) {
    const userId = await newUser();
    const targetId = uniqueId("t");
    const inputs = { userId, targetId, providerType: "push", identifier: uniqueId("token"), name: "Laptop", ...fields };
    const { id, outs } = await provider().create(inputs);
    return { userId, targetId, inputs, id, outs };
}

const liveTargets = async (userId: string) => (await appwrite.users.listTargets({ userId })).targets;

useEmulatedAppwrite((started) => (appwrite = started));

describe("UserTarget create and read", () => {
    it("create makes the target in a single request and returns every field as outputs", async () => {
        const userId = await newUser();
        appwrite.emulator.resetRequestCounts();
        const { id, outs } = await provider().create({
            userId,
            targetId: "laptop",
            providerType: "push",
            identifier: "tok-1",
            name: "Laptop",
            __provider: "p",
        });
        expect(id).toBe(`${userId}/laptop`);
        expect(outs).toEqual({
            userId,
            targetId: "laptop",
            providerType: "push",
            identifier: "tok-1",
            providerId: null,
            name: "Laptop",
            appwriteTargetId: "laptop",
            takenOver: false,
            expired: false,
        });
        expect(appwrite.emulator.requestCounts()).toEqual({ [CREATE_ROUTE]: 1 });
    });

    it("read returns the live target as outputs and its declared fields as inputs", async () => {
        const { id, outs, inputs } = await created();
        expect(await provider().read(id, outs)).toEqual({ id, props: outs, inputs });
    });

    it("create whose answer was lost finds the target it made instead of failing with already exists", async () => {
        const userId = await newUser();
        appwrite.emulator.injectFault({ route: CREATE_ROUTE, kind: "drop-after" });
        const { id, outs } = await provider().create({ userId, targetId: "lost", providerType: "push", identifier: uniqueId("tok") });
        expect(id).toBe(`${userId}/lost`);
        expect(outs.takenOver).toBe(false);
        expect(await liveTargets(userId)).toHaveLength(1);
    });

    it("create with a messaging provider Appwrite does not know records the target and fails naming the provider", async () => {
        const userId = await newUser();
        const failure = provider().create({
            userId,
            targetId: "t1",
            providerType: "push",
            identifier: uniqueId("tok"),
            providerId: "no-provider",
        });
        await expect(failure).rejects.toThrow(/UserTarget create failed for user ".*" target "t1".*no provider with ID "no-provider"/);
        await expect(failure).rejects.toMatchObject({ id: `${userId}/t1`, properties: { providerId: null } });
    });
});

describe("UserTarget takeover of the targets Appwrite makes", () => {
    it("a target declaring the user's own email takes over Appwrite's email target instead of failing", async () => {
        const userId = await newUser({ email: "Ada@Example.org" });
        const [auto] = await liveTargets(userId);
        appwrite.emulator.resetRequestCounts();
        const { id, outs } = await provider().create({
            userId,
            targetId: "ada-mail",
            providerType: "email",
            identifier: "ada@example.org",
            name: "Ada",
        });
        expect(id).toBe(`${userId}/${auto?.$id}`);
        expect(outs).toMatchObject({ targetId: "ada-mail", appwriteTargetId: auto?.$id, takenOver: true, name: "Ada" });
        expect(await liveTargets(userId)).toHaveLength(1);
        expect(appwrite.emulator.writeRequests()).toBe(2);
    });

    it("a target declaring the user's mixed-case email as written takes over Appwrite's lower-cased email target", async () => {
        const tag = uniqueId("mixed");
        const userId = await newUser({ email: `Ada.${tag}@Example.org` });
        const [auto] = await liveTargets(userId);
        const identifier = `Ada.${tag}@Example.org`;
        const { id, outs } = await provider().create({ userId, targetId: "ada-mail", providerType: "email", identifier });
        expect(id).toBe(`${userId}/${auto?.$id}`);
        expect(outs).toMatchObject({ takenOver: true, identifier: identifier.toLowerCase() });
        expect((await liveTargets(userId)).map((t) => t.identifier)).toEqual([identifier.toLowerCase()]);
        expect((await provider().diff(id, outs, { userId, targetId: "ada-mail", providerType: "email", identifier })).changes).toBe(false);
    });

    it("a push token another of the user's targets holds in another case is a conflict naming that target, as Appwrite's index ignores case", async () => {
        const { userId, targetId, inputs } = await created({ identifier: "Token-ABC" });
        await expect(provider().create({ userId, targetId: "second", providerType: "push", identifier: "token-abc" })).rejects.toThrow(
            new RegExp(
                `user_target_already_exists, HTTP 409\\)\\. This user's target "${targetId}" \\(push\\) already has identifier "token-abc"`,
            ),
        );
        expect((await liveTargets(userId)).map((t) => t.identifier)).toEqual([inputs.identifier]);
    });

    it("a target declaring the user's own phone takes over Appwrite's sms target", async () => {
        const userId = await newUser({ phone: "+14155550123" });
        const { outs } = await provider().create({ userId, targetId: "ada-sms", providerType: "sms", identifier: "+14155550123" });
        expect(outs.takenOver).toBe(true);
        expect(appwrite.emulator.requestCounts()[UPDATE_ROUTE]).toBeUndefined();
    });

    it("deleting a taken-over target leaves Appwrite's target in place", async () => {
        const userId = await newUser({ email: "grace@example.org" });
        const { id, outs } = await provider().create({ userId, targetId: "g", providerType: "email", identifier: "grace@example.org" });
        appwrite.emulator.resetRequestCounts();
        await provider().delete(id, outs);
        expect(appwrite.emulator.totalRequests()).toBe(0);
        expect((await liveTargets(userId)).map((t) => t.identifier)).toEqual(["grace@example.org"]);
    });

    it("read of a taken-over target keeps it marked as taken over under the declared targetId", async () => {
        const userId = await newUser({ email: "kay@example.org" });
        const { id, outs } = await provider().create({ userId, targetId: "kay", providerType: "email", identifier: "kay@example.org" });
        const read = await provider().read(id, outs);
        expect(read).toMatchObject({ id, props: { targetId: "kay", takenOver: true, appwriteTargetId: outs.appwriteTargetId } });
        expect(read.inputs).toEqual({ userId, targetId: "kay", providerType: "email", identifier: "kay@example.org" });
    });

    it("a takeover whose provider cannot be set is still recorded as taken over, so the next up makes no second target", async () => {
        const userId = await newUser({ email: "lee@example.org" });
        const [auto] = await liveTargets(userId);
        const failure = provider().create({
            userId,
            targetId: "lee",
            providerType: "email",
            identifier: "lee@example.org",
            providerId: "missing",
        });
        await expect(failure).rejects.toThrow(/while setting the declared name and provider: .*provider_not_found, HTTP 404/);
        await expect(failure).rejects.toMatchObject({ id: `${userId}/${auto?.$id}`, properties: { takenOver: true, providerId: null } });
    });

    it("a new identifier on a taken-over target replaces the resource instead of moving Appwrite's target", async () => {
        const olds = {
            userId: "u",
            targetId: "m",
            providerType: "email",
            identifier: "a@example.org",
            appwriteTargetId: "auto1",
            takenOver: true,
        };
        expect(
            await provider().diff("u/auto1", olds, { userId: "u", targetId: "m", providerType: "email", identifier: "b@example.org" }),
        ).toEqual({
            changes: true,
            replaces: ["identifier"],
            deleteBeforeReplace: false,
        });
    });

    it("another user's identifier is a conflict that says identifiers are unique across the project", async () => {
        await newUser({ email: "taken@example.org" });
        const userId = await newUser();
        await expect(provider().create({ userId, targetId: "t", providerType: "email", identifier: "taken@example.org" })).rejects.toThrow(
            /UserTarget create failed .*user_target_already_exists, HTTP 409\)\. Another user's target already has .*unique across the project/,
        );
    });

    it("a target ID the user already uses for another identifier is a conflict that says to choose another targetId", async () => {
        const { userId, targetId } = await created();
        await expect(provider().create({ userId, targetId, providerType: "push", identifier: uniqueId("other") })).rejects.toThrow(
            /already has a target ".*" \(push .*\); choose another targetId/,
        );
    });
});

describe("UserTarget diff", () => {
    const olds = {
        userId: "u",
        targetId: "t",
        providerType: "email",
        identifier: "a@example.org",
        providerId: null,
        name: "A",
        appwriteTargetId: "t",
        takenOver: false,
        expired: false,
        __provider: "old",
    };
    const news = { userId: "u", targetId: "t", providerType: "email", identifier: "a@example.org", __provider: "new" };

    it("diff ignores undeclared name and provider, computed outputs and __provider, and sends no request", async () => {
        expect((await provider().diff("u/t", olds, news)).changes).toBe(false);
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });

    it("diff compares email identifiers without regard to case", async () => {
        expect((await provider().diff("u/t", olds, { ...news, identifier: "A@Example.ORG" })).changes).toBe(false);
    });

    it("diff updates identifier, name and provider in place", async () => {
        for (const change of [{ identifier: "b@example.org" }, { name: "B" }, { providerId: "p1" }]) {
            expect(await provider().diff("u/t", olds, { ...news, ...change })).toEqual({ changes: true, deleteBeforeReplace: true });
        }
    });

    it("diff replaces on userId, targetId and providerType", async () => {
        const replaced = async (change: Record<string, unknown>) => (await provider().diff("u/t", olds, { ...news, ...change })).replaces;
        expect(await replaced({ userId: "v" })).toEqual(["userId"]);
        expect(await replaced({ targetId: "t2" })).toEqual(["targetId"]);
        expect(await replaced({ providerType: "push" })).toEqual(["providerType"]);
    });

    it("diff deletes first when the replacement keeps the target ID or the identifier, both unique in the project", async () => {
        const dbr = async (change: Record<string, unknown>) =>
            (await provider().diff("u/t", olds, { ...news, ...change })).deleteBeforeReplace;
        expect(await dbr({ userId: "v" })).toBe(true);
        expect(await dbr({ userId: "v", identifier: "b@example.org" })).toBe(true);
        expect(await dbr({ targetId: "t2" })).toBe(true);
        expect(await dbr({ targetId: "t2", identifier: "b@example.org" })).toBe(false);
        expect(await dbr({ targetId: "t2", identifier: UNKNOWN })).toBe(true);
    });

    it("diff deletes first when a replacement keeps a push token in another case, which Appwrite's unique index counts as the same", async () => {
        const push = { ...olds, providerType: "push", identifier: "Token-ABC" };
        const result = await provider().diff("u/t", push, { ...news, providerType: "push", targetId: "t2", identifier: "token-abc" });
        expect(result).toEqual({ changes: true, replaces: ["targetId"], deleteBeforeReplace: true });
    });
});

describe("UserTarget update and drift", () => {
    it("update of the name sends exactly one request and returns complete outputs", async () => {
        const { id, outs, inputs } = await created();
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await provider().update(id, outs, { ...inputs, name: "Desktop" });
        expect(updated).toEqual({ ...outs, name: "Desktop" });
        expect(appwrite.emulator.totalRequests()).toBe(1);
    });

    it("update of the identifier sends one request: the write", async () => {
        const { id, outs, inputs } = await created();
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await provider().update(id, outs, { ...inputs, identifier: "tok-new" });
        expect(updated).toEqual({ ...outs, identifier: "tok-new" });
        expect(appwrite.emulator.totalRequests()).toBe(1);
        expect(appwrite.emulator.requestCounts()[UPDATE_ROUTE]).toBe(1);
    });

    it("update to an identifier another target of the user has names that target, without repeating Appwrite's 500", async () => {
        const userId = await newUser({ email: "lin@example.org" });
        const { id, outs } = await provider().create({ userId, targetId: "lin", providerType: "email", identifier: "lin2@example.org" });
        appwrite.emulator.resetRequestCounts();
        await expect(
            provider().update(id, outs, { userId, targetId: "lin", providerType: "email", identifier: "lin@example.org" }),
        ).rejects.toThrow(
            /UserTarget update failed for user ".*" target "lin": .*general_unknown, HTTP 500\)\. The user's target ".*" \(email\) already has identifier "lin@example.org"/,
        );
        expect(appwrite.emulator.writeRequests()).toBe(1);
    });

    it("update to an identifier another user's target has explains Appwrite's bare server error", async () => {
        const other = await created();
        const { id, outs, inputs } = await created();
        await expect(provider().update(id, outs, { ...inputs, identifier: other.inputs.identifier })).rejects.toThrow(
            /general_unknown, HTTP 500\)\. Appwrite answers this way when another target in the project already has the identifier/,
        );
    });

    it("update of the provider names the messaging provider Appwrite cannot find", async () => {
        const { id, outs, inputs } = await created();
        await expect(provider().update(id, outs, { ...inputs, providerId: "missing" })).rejects.toThrow(/provider_not_found, HTTP 404/);
    });

    it("an identifier and a name changed directly in Appwrite show as drift and the next update puts them back", async () => {
        const { userId, targetId, id, outs, inputs } = await created();
        await appwrite.users.updateTarget({ userId, targetId, identifier: "changed-outside", name: "Renamed" });
        const read = await provider().read(id, outs);
        expect(read.inputs).toEqual({ ...inputs, identifier: "changed-outside", name: "Renamed" });
        expect((await provider().diff(id, read.props, inputs)).changes).toBe(true);
        await provider().update(id, read.props, inputs);
        expect(await appwrite.users.getTarget({ userId, targetId })).toMatchObject({ identifier: inputs.identifier, name: "Laptop" });
    });
});

describe("UserTarget delete", () => {
    it("delete removes the target and a second delete succeeds", async () => {
        const { userId, id, outs } = await created();
        await provider().delete(id, outs);
        expect(await liveTargets(userId)).toEqual([]);
        await expect(provider().delete(id, outs)).resolves.toBeUndefined();
    });

    it("read returns an empty id when the target was deleted outside Pulumi", async () => {
        const { userId, targetId, id, outs } = await created();
        await appwrite.users.deleteTarget({ userId, targetId });
        expect(await provider().read(id, outs)).toEqual({});
    });

    it("read returns an empty id and delete succeeds when the user was deleted outside Pulumi", async () => {
        const { userId, id, outs } = await created();
        await appwrite.users.delete({ userId });
        expect(await provider().read(id, outs)).toEqual({});
        await expect(provider().delete(id, outs)).resolves.toBeUndefined();
    });
});

describe("UserTarget check", () => {
    const valid = { userId: "u1", targetId: "t1", providerType: "email", identifier: "a@example.org" };
    const failures = async (change: Record<string, unknown>) => (await provider().check({}, { ...valid, ...change })).failures;

    it("check accepts valid inputs and passes them on unchanged", async () => {
        const news = { ...valid, name: "Work", providerId: "mailgun", __provider: "p" };
        expect(await provider().check({}, news)).toEqual({ inputs: news });
    });

    it("check returns one failure per bad field, each saying what is allowed", async () => {
        const result = await failures({ userId: "_u", targetId: "t".repeat(37), providerType: "EMAIL", providerId: "a b", name: "" });
        expect(result?.map((f) => f.property)).toEqual(["userId", "targetId", "providerType", "providerId", "name"]);
        expect(result?.find((f) => f.property === "providerType")?.reason).toBe("must be email, sms or push, in lower case");
        expect(result?.find((f) => f.property === "name")?.reason).toMatch(/1 to 128 characters/);
    });

    it("check validates the identifier by provider type", async () => {
        expect(await failures({ identifier: "user@localhost" })).toEqual([
            { property: "identifier", reason: expect.stringMatching(/valid email address.*for an email target/) },
        ]);
        expect(await failures({ providerType: "sms", identifier: "+923001234567" })).toEqual([
            { property: "identifier", reason: expect.stringMatching(/E\.164.*for an sms target/) },
        ]);
        expect(await failures({ providerType: "sms", identifier: "+14155550123" })).toBeUndefined();
        expect(await failures({ providerType: "push", identifier: "any token at all" })).toBeUndefined();
        expect(await failures({ providerType: "push", identifier: "x".repeat(256) })).toEqual([
            { property: "identifier", reason: expect.stringMatching(/1 to 255 characters/) },
        ]);
    });

    it("check refuses `provider`, pointing to providerId, and `email`, which belongs to User", async () => {
        expect(await failures({ provider: "mailgun", email: "a@example.org", __provider: "p" })).toEqual([
            { property: "provider", reason: expect.stringMatching(/^is not a known input of UserTarget; did you mean `providerId`\?/) },
            { property: "email", reason: expect.stringMatching(/^is not an input of UserTarget: it belongs to User;/) },
        ]);
    });

    it("check refuses a name longer than 128 characters", async () => {
        expect((await failures({ name: "n".repeat(129) }))?.[0]?.property).toBe("name");
    });

    it("check lets unknown values through", async () => {
        expect(await failures({ userId: UNKNOWN, targetId: UNKNOWN, identifier: UNKNOWN })).toBeUndefined();
        expect(await failures({ providerType: UNKNOWN, identifier: "not an email" })).toBeUndefined();
    });
});

describe("UserTarget SDK class", () => {
    it("registers the type pulumi-nodejs:dynamic/appwrite:UserTarget with the declared inputs", async () => {
        const { resource, registered } = await registeredBy(
            () =>
                new UserTarget("example", {
                    userId: "ci-bot",
                    targetId: "ci-bot-mail",
                    providerType: "email",
                    identifier: "ci-alerts@example.com",
                }),
        );
        expect(registered).toHaveLength(1);
        expect(registered[0]?.type).toBe("pulumi-nodejs:dynamic/appwrite:UserTarget");
        for (const output of [resource.appwriteTargetId, resource.takenOver, resource.expired, resource.providerId, resource.name]) {
            expect(pulumi.Output.isInstance(output)).toBe(true);
        }
        expect(registered[0]?.inputs).toMatchObject({
            userId: "ci-bot",
            targetId: "ci-bot-mail",
            providerType: "email",
            identifier: "ci-alerts@example.com",
        });
    });
});
