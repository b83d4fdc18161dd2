import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, MessagingProviderType, Query, Users } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "./index";
import { clientFor, expectError } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "emulator-related-"));
const file = join(dir, "state.json");
let emu: Emulator;
let users: Users;

const identity = (id: string, userId: string, provider: string) => ({
    $id: id,
    $createdAt: "2026-01-01T00:00:00.000+00:00",
    $updatedAt: "2026-01-01T00:00:00.000+00:00",
    userId,
    userSeq: 0,
    provider,
    providerUid: `${provider}-${userId}`,
    providerEmail: `${userId}@${provider}.example`,
    providerAccessToken: "",
    providerAccessTokenExpiry: "",
    providerRefreshToken: "",
});
const log = (event: string, time: string) => ({
    event,
    resource: "user/ada",
    actorSeq: 0,
    userId: "ada",
    userName: "Ada",
    userEmail: "ada@example.org",
    userType: "user",
    mode: "default",
    userAgent: "Mozilla/5.0",
    time,
    ip: "203.0.113.9",
    osCode: "",
    osName: "",
    osVersion: "",
    clientType: "",
    clientCode: "",
    clientName: "",
    clientVersion: "",
    clientEngine: "",
    clientEngineVersion: "",
    deviceName: "",
    deviceBrand: "",
    deviceModel: "",
    countryCode: "",
});

/** Users made through the API, then identities, memberships and logs added to the state file, as a seed would. */
beforeAll(async () => {
    const first = await startEmulator({ stateFile: file });
    const seed = new Users(clientFor(first));
    await seed.create({ userId: "ada", email: "ada@example.org", name: "Ada" });
    await seed.create({ userId: "bob" });
    await first.stop();
    const state = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    state.identities = [identity("ida1", "ada", "github"), identity("ida2", "ada", "google"), identity("idb1", "bob", "github")];
    state.memberships = [
        {
            $id: "m1",
            $createdAt: "2026-01-02T00:00:00.000+00:00",
            $updatedAt: "2026-01-02T00:00:00.000+00:00",
            userId: "ada",
            userSeq: 0,
            teamId: "staff",
            teamName: "Staff",
            invited: "2026-01-02T00:00:00.000+00:00",
            joined: "2026-01-03T00:00:00.000+00:00",
            confirm: true,
            mfa: false,
            roles: ["owner"],
        },
    ];
    state.logs = [log("session.create", "2026-01-04T00:00:00.000+00:00"), log("account.update", "2026-01-05T00:00:00.000+00:00")];
    writeFileSync(file, JSON.stringify(state));
    emu = await startEmulator({ stateFile: file });
    users = new Users(clientFor(emu));
});

afterAll(async () => {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
});

describe("identities", () => {
    it("lists every identity of the project, filtered by queries or search", async () => {
        const all = await users.listIdentities();
        expect(all.total).toBe(3);
        expect(all.identities.map((i) => i.$id)).toEqual(["ida1", "ida2", "idb1"]);
        expect(all.identities[0]).toEqual({
            $id: "ida1",
            $createdAt: "2026-01-01T00:00:00.000+00:00",
            $updatedAt: "2026-01-01T00:00:00.000+00:00",
            userId: "ada",
            provider: "github",
            providerUid: "github-ada",
            providerEmail: "ada@github.example",
            providerAccessToken: "",
            providerAccessTokenExpiry: "",
            providerRefreshToken: "",
        });
        expect((await users.listIdentities({ queries: [Query.equal("userId", "bob")] })).identities.map((i) => i.$id)).toEqual(["idb1"]);
        expect((await users.listIdentities({ search: "google" })).identities.map((i) => i.$id)).toEqual(["ida2"]);
        await expectError(
            users.listIdentities({ queries: [Query.cursorAfter("gone")] }),
            400,
            "general_cursor_not_found",
            "User 'gone' for the 'cursor' value not found.",
        );
    });

    it("deletes an identity, answers 404 for an unknown one, and drops a deleted user's identities", async () => {
        await users.deleteIdentity({ identityId: "ida2" });
        await expectError(
            users.deleteIdentity({ identityId: "ida2" }),
            404,
            "user_identity_not_found",
            "The identity could not be found. Please sign in with OAuth provider to create identity first.",
        );
        await users.create({ userId: "carol" });
        emu.store.side.identities.set("idc1", { ...identity("idc1", "carol", "github"), userSeq: emu.store.user("carol")!.seq });
        await users.delete({ userId: "carol" });
        expect((await users.listIdentities()).identities.map((i) => i.$id)).toEqual(["ida1", "idb1"]);
    });
});

describe("memberships", () => {
    it("lists a user's memberships with the user's current name and email, and none for other users", async () => {
        const ada = await users.listMemberships({ userId: "ada" });
        expect(ada.total).toBe(1);
        expect(ada.memberships[0]).toMatchObject({
            $id: "m1",
            userId: "ada",
            userName: "Ada",
            userEmail: "ada@example.org",
            teamId: "staff",
            teamName: "Staff",
            confirm: true,
            roles: ["owner"],
        });
        expect((await users.listMemberships({ userId: "ada", queries: [Query.equal("teamId", "other")] })).total).toBe(0);
        expect(await users.listMemberships({ userId: "bob" })).toEqual({ total: 0, memberships: [] });
        await expectError(users.listMemberships({ userId: "nobody" }), 404, "user_not_found");
    });
});

describe("logs", () => {
    it("lists what the user did, newest first, paged by limit and offset only", async () => {
        const logs = await users.listLogs({ userId: "ada" });
        expect(logs.total).toBe(2);
        expect(logs.logs.map((l) => l.event)).toEqual(["account.update", "session.create"]);
        expect(logs.logs[0]).toMatchObject({
            userId: "ada",
            userName: "Ada",
            userEmail: "ada@example.org",
            mode: "default",
            userType: "user",
            ip: "203.0.113.9",
            countryCode: "--",
            countryName: "Unknown",
        });
        const second = await users.listLogs({ userId: "ada", queries: [Query.limit(1), Query.offset(1)] });
        expect(second.logs.map((l) => l.event)).toEqual(["session.create"]);
        expect(second.total).toBe(2);
        await expectError(users.listLogs({ userId: "ada", queries: [Query.equal("event", "x")] }), 400, "general_argument_invalid");
    });

    it("records a key's changes with the key as actor and mode `default`, so they are not in the user's logs", async () => {
        await users.updateName({ userId: "bob", name: "Bob" });
        const entry = emu.store.side.logs.at(-1)!;
        expect(entry).toMatchObject({
            event: "user.update",
            resource: "user/bob",
            actorSeq: null,
            userId: "",
            userType: "keyProject",
            mode: "default",
            userEmail: `app.${emu.projectId}@service.127.0.0.1`,
        });
        expect(await users.listLogs({ userId: "bob" })).toEqual({ total: 0, logs: [] });
    });

    it("records mode `admin` when the request says so, as the console does", async () => {
        const console = new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey);
        console.addHeader("X-Appwrite-Mode", "admin");
        await new Users(console).updateName({ userId: "bob", name: "Robert" });
        expect(emu.store.side.logs.at(-1)!.mode).toBe("admin");
    });

    it("records nothing for reads, failures, or a target create (whose audit label never renders)", async () => {
        const before = emu.store.side.logs.length;
        await users.get({ userId: "bob" });
        await users.createTarget({ userId: "bob", targetId: "bobpush", providerType: MessagingProviderType.Push, identifier: "tok" });
        await expectError(users.updateName({ userId: "nobody", name: "x" }), 404, "user_not_found");
        expect(emu.store.side.logs.length).toBe(before);
    });
});

describe("GET /v1/health/version", () => {
    const version = (headers: Record<string, string>) => fetch(`${emu.endpoint}/health/version`, { headers });

    it("answers the server version to a caller without a key, with or without a project", async () => {
        const plain = await version({});
        expect(plain.status).toBe(200);
        expect(await plain.json()).toEqual({ version: "1.9.6" });
        expect((await version({ "x-appwrite-project": emu.projectId })).status).toBe(200);
        // The Appwrite CLI checks an endpoint this way before it stores it.
        expect((await version({ "x-appwrite-project": "console" })).status).toBe(200);
        expect((await version({ "x-appwrite-project": "elsewhere" })).status).toBe(404);
    });

    it("refuses an API key, whose scopes never include `public`", async () => {
        const res = await version({ "x-appwrite-project": emu.projectId, "x-appwrite-key": emu.apiKey });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({
            type: "general_unauthorized_scope",
            message: `app.${emu.projectId}@service.127.0.0.1 (role: applications) missing scopes (["public"])`,
        });
    });
});
