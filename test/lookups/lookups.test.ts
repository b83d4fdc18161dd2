import * as pulumi from "@pulumi/pulumi";
import { ID, Query } from "node-appwrite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getUser, getUserOutput, listUsers, listUsersOutput } from "../../sdk/lookups";
import { insertUsers } from "../emulator/fixtures";
import { useEmulatedAppwrite, uniqueId, uniquePhone, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

const ENV_KEYS = ["APPWRITE_ENDPOINT", "APPWRITE_PROJECT_ID", "APPWRITE_API_KEY"] as const;

/** Outside a Pulumi program the lookups take their settings from the environment. */
beforeEach(() => {
    process.env.APPWRITE_ENDPOINT = appwrite.endpoint;
    process.env.APPWRITE_PROJECT_ID = appwrite.projectId;
    process.env.APPWRITE_API_KEY = appwrite.apiKey;
});

afterEach(() => {
    for (const key of ENV_KEYS) delete process.env[key];
    pulumi.runtime.setAllConfig({});
});

const listRequests = () => appwrite.emulator.requestCounts()["GET /v1/users"] ?? 0;

describe("getUser", () => {
    it("returns the user as plain JSON data without the password hash, hash or hashOptions", async () => {
        const userId = uniqueId("lookup");
        await appwrite.users.create({ userId, email: "Lookup.Me@Example.com", password: "a long password 1", name: "Look Up" });
        await appwrite.users.updateLabels({ userId, labels: ["qa"] });
        await appwrite.users.updatePrefs({ userId, prefs: { locale: "de" } });

        const user = await getUser({ userId });

        expect(JSON.parse(JSON.stringify(user))).toEqual(user);
        expect(user).toMatchObject({
            userId,
            name: "Look Up",
            email: "lookup.me@example.com",
            phone: null,
            labels: ["qa"],
            prefs: { locale: "de" },
            status: true,
            mfa: false,
        });
        expect(user.passwordUpdate).toEqual(expect.any(String));
        expect(user.targets).toEqual([
            expect.objectContaining({ providerType: "email", identifier: "lookup.me@example.com", providerId: null }),
        ]);
        for (const secret of ["password", "hash", "hashOptions"]) expect(user).not.toHaveProperty(secret);
        expect(JSON.stringify(user)).not.toContain("argon2");
    });

    it("finds a user by email in any letter case, as Appwrite stores emails lower-cased", async () => {
        const userId = uniqueId("by-email");
        await appwrite.users.create({ userId, email: `${userId}@example.com` });
        expect((await getUser({ email: `${userId.toUpperCase()}@EXAMPLE.com` })).userId).toBe(userId);
    });

    it("finds a user by phone", async () => {
        const userId = uniqueId("by-phone");
        const phone = uniquePhone();
        await appwrite.users.create({ userId, phone });
        expect((await getUser({ phone })).userId).toBe(userId);
    });

    it("reports whether the user may impersonate others", async () => {
        const userId = uniqueId("impersonator");
        await appwrite.users.create({ userId });
        expect((await getUser({ userId })).impersonator).toBe(false);
        await appwrite.users.updateImpersonator({ userId, impersonator: true });
        expect((await getUser({ userId })).impersonator).toBe(true);
    });

    it("refuses two keys at once, which could name two users, before sending any request", async () => {
        const requests = () => Object.values(appwrite.emulator.requestCounts()).reduce((sum, n) => sum + n, 0);
        const before = requests();
        const twoKeys = { userId: "someone", email: "someone.else@example.com" } as unknown as Parameters<typeof getUser>[0];
        await expect(getUser(twoKeys)).rejects.toThrow(
            "getUser: give exactly one of `userId`, `email` or `phone` to look a user up by, not `userId` and `email`",
        );
        await expect(getUser({} as Parameters<typeof getUser>[0])).rejects.toThrow("not none of them");
        expect(requests()).toBe(before);
    });

    it("fails naming what it looked for when no user matches", async () => {
        await expect(getUser({ email: "nobody@example.com" })).rejects.toThrow(
            'getUser looking up email "nobody@example.com": no Appwrite user has email "nobody@example.com" in this project',
        );
        await expect(getUser({ userId: "no-such-user" })).rejects.toThrow('no Appwrite user has userId "no-such-user"');
    });

    it("adds the MFA factors only when asked", async () => {
        const userId = uniqueId("mfa");
        await appwrite.users.create({ userId, email: `${userId}@example.com`, password: "a long password 1" });
        expect(await getUser({ userId })).not.toHaveProperty("mfaFactors");
        const user = await getUser({ userId, mfaFactors: true });
        expect(user.mfaFactors).toEqual({ totp: false, phone: false, email: false, recoveryCode: false });
    });

    it("names the missing scope when the key cannot read users", async () => {
        appwrite.emulator.addKey("standard_writeonly", ["users.write"]);
        process.env.APPWRITE_API_KEY = "standard_writeonly";
        await expect(getUser({ userId: "anyone" })).rejects.toThrow(/lacks the scope for this: give it `users\.read`/);
    });
});

describe("listUsers", () => {
    it("pages with cursors, 100 users a request, until every match is read", async () => {
        insertUsers(appwrite.emulator.store, 250, "paged", () => ({ labels: ["paged"] }));
        appwrite.emulator.resetRequestCounts();
        const users = await listUsers({ labels: ["paged"] });
        expect(users).toHaveLength(250);
        expect(new Set(users.map((u) => u.userId)).size).toBe(250);
        expect(listRequests()).toBe(3);
    });

    it("stops at `limit`, asking only for what it needs", async () => {
        insertUsers(appwrite.emulator.store, 150, "limited", () => ({ labels: ["limited"] }));
        appwrite.emulator.resetRequestCounts();
        expect(await listUsers({ labels: ["limited"], limit: 120 })).toHaveLength(120);
        expect(listRequests()).toBe(2);
    });

    it("keeps only users matching every filter", async () => {
        const ids = [uniqueId("filter-a"), uniqueId("filter-b"), uniqueId("filter-c")];
        for (const userId of ids)
            await appwrite.users.create({ userId, email: `${userId}@example.com`, name: userId === ids[1] ? "Zebediah Quill" : "Filter" });
        await appwrite.users.updateLabels({ userId: ids[0]!, labels: ["team", "ci"] });
        await appwrite.users.updateLabels({ userId: ids[1]!, labels: ["team"] });
        await appwrite.users.updateLabels({ userId: ids[2]!, labels: ["team", "ci"] });
        await appwrite.users.updateStatus({ userId: ids[2]!, status: false });

        expect((await listUsers({ labels: ["team", "ci"], status: true })).map((u) => u.userId)).toEqual([ids[0]]);
        expect((await listUsers({ labels: ["team"], queries: [Query.equal("$id", [ids[1]!])] })).map((u) => u.userId)).toEqual([ids[1]]);
        expect((await listUsers({ search: "Zebediah" })).map((u) => u.userId)).toEqual([ids[1]]);
    });

    it("refuses paging queries and a limit that is not a positive integer", async () => {
        await expect(listUsers({ queries: [Query.limit(5)] })).rejects.toThrow("queries must not page (limit); use the `limit` option");
        await expect(listUsers({ limit: 0 })).rejects.toThrow("limit must be a positive integer, not 0");
    });

    it("never returns password hashes, though Appwrite's list carries them", async () => {
        const userId = uniqueId("list-plain");
        await appwrite.users.create({ userId, email: `${userId}@example.com`, password: "a long password 1" });
        const [user] = await listUsers({ queries: [Query.equal("$id", [userId])] });
        expect(user).toBeDefined();
        expect(Object.keys(user!)).not.toEqual(expect.arrayContaining(["password"]));
        expect(JSON.stringify(user)).not.toMatch(/hash|argon2/i);
    });
});

describe("settings of the lookups", () => {
    it("takes the stack config in a program over the environment", async () => {
        const userId = uniqueId("config");
        await appwrite.users.create({ userId, name: "From config" });
        process.env.APPWRITE_ENDPOINT = "http://127.0.0.1:1/v1";
        process.env.APPWRITE_API_KEY = "standard_wrong";
        pulumi.runtime.setAllConfig(
            { "appwrite:endpoint": appwrite.endpoint, "appwrite:projectId": appwrite.projectId, "appwrite:apiKey": appwrite.apiKey },
            ["appwrite:apiKey"],
        );
        expect((await getUser({ userId })).name).toBe("From config");
    });

    it("says which setting to set when none is there", async () => {
        delete process.env.APPWRITE_API_KEY;
        await expect(getUser({ userId: "anyone" })).rejects.toThrow("`appwrite:apiKey` is not set");
    });
});

describe("getUserOutput and listUsersOutput", () => {
    it("resolve Inputs to the users, with no API key in the Output", async () => {
        pulumi.runtime.setMocks(
            { newResource: (args) => ({ id: args.name, state: args.inputs }), call: () => ({}) },
            "project",
            "stack",
            false,
        );
        const userId = uniqueId("output");
        await appwrite.users.create({ userId: ID.custom(userId), name: "Output" });
        const unwrap = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

        const one = await unwrap(getUserOutput({ userId: pulumi.output(Promise.resolve(userId)) }));
        const many = await unwrap(listUsersOutput({ queries: [Query.equal("$id", [userId])] }));

        expect(one.name).toBe("Output");
        expect(many.map((u) => u.userId)).toEqual([userId]);
        expect(JSON.stringify([one, many])).not.toContain(appwrite.apiKey);
    });
});
