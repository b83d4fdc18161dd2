import { describe, expect, it } from "vitest";
import { expectError, rejection, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();
const headers = () => ({ "x-appwrite-project": h.emu.projectId, "x-appwrite-key": h.emu.apiKey, "content-type": "application/json" });
const admin = (path: string) => h.emu.endpoint.replace(/\/v1$/, `/__emulator/${path}`);

describe("HTTP responses", () => {
    it("answers deletes with 204, an empty body and no content type", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        const res = await fetch(`${h.emu.endpoint}/users/${userId}`, { method: "DELETE", headers: headers(), body: "{}" });
        expect(res.status).toBe(204);
        expect(res.headers.get("content-type")).toBeNull();
        expect(await res.text()).toBe("");
    });

    it("answers JSON with Appwrite's content type and no rate-limit headers", async () => {
        const res = await fetch(`${h.emu.endpoint}/users`, { headers: headers() });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("application/json; charset=UTF-8");
        expect([...res.headers.keys()].filter((k) => k.startsWith("x-ratelimit"))).toEqual([]);
        expect(Object.keys((await res.json()) as object)).toEqual(["total", "users"]);
    });

    it("answers errors as {message, code, type, version} with no-cache headers", async () => {
        const res = await fetch(`${h.emu.endpoint}/users/nobody`, { headers: headers() });
        expect(res.status).toBe(404);
        expect(res.headers.get("content-type")).toBe("application/json; charset=UTF-8");
        expect(res.headers.get("cache-control")).toBe("no-cache, no-store, must-revalidate");
        expect(res.headers.get("expires")).toBe("0");
        expect(res.headers.get("pragma")).toBe("no-cache");
        expect(await res.json()).toEqual({
            message: "User with the requested ID could not be found.",
            code: 404,
            type: "user_not_found",
            version: "1.9.6",
        });
    });

    it("answers 501 only for other Appwrite services, and 404 for paths Appwrite has no route for", async () => {
        const teams = await fetch(`${h.emu.endpoint}/teams`, { headers: headers() });
        expect(teams.status).toBe(501);
        const body = (await teams.json()) as { type: string; message: string };
        expect(body.type).toBe("general_not_implemented");
        expect(body.message).toContain("emulator does not implement GET /v1/teams");
        const unknownUsersPath = await fetch(`${h.emu.endpoint}/users/someone/nonsense`, { headers: headers() });
        expect(unknownUsersPath.status).toBe(404);
        expect(((await unknownUsersPath.json()) as { type: string }).type).toBe("general_route_not_found");
        const nowhere = await fetch(`${h.emu.endpoint}/nowhere`, { headers: headers() });
        expect(((await nowhere.json()) as { type: string }).type).toBe("general_route_not_found");
    });
});

describe("the response-format warning", () => {
    it("warns only a client built for a newer server than 1.9.6", async () => {
        const newer = await fetch(`${h.emu.endpoint}/users`, { headers: { ...headers(), "x-appwrite-response-format": "1.10.0" } });
        expect(newer.headers.get("x-appwrite-warning")).toBe(
            "The current SDK is built for Appwrite 1.10.0. However, the current Appwrite server version is 1.9.6. Please downgrade your SDK to match the Appwrite version: https://appwrite.io/docs/sdks",
        );
        const sdk = await fetch(`${h.emu.endpoint}/users`, { headers: { ...headers(), "x-appwrite-response-format": "1.9.5" } });
        expect(sdk.headers.get("x-appwrite-warning")).toBeNull();
    });
});

describe("request counts, faults and latency", () => {
    it("refuses a fault for a route no request is counted under", () => {
        expect(() => h.emu.injectFault({ route: "PATCH /v1/users/:id/email", kind: "500" })).toThrow(/Unknown route/);
    });

    it("counts every route by method and pattern, and counts writes apart", async () => {
        const userId = uniqueId();
        h.emu.resetRequestCounts();
        await h.users.create({ userId, email: `${userId}@example.org` });
        await h.users.updateEmail({ userId, email: `b-${userId}@example.org` });
        await h.users.updateLabels({ userId, labels: ["a"] });
        await h.users.createTarget({ userId, targetId: "t", providerType: "push" as never, identifier: `tok-${userId}` });
        await h.users.deleteTarget({ userId, targetId: "t" });
        await h.users.get({ userId });
        await rejection(h.users.get({ userId: "nobody" }));
        expect(h.emu.requestCounts()).toEqual({
            "POST /v1/users": 1,
            "PATCH /v1/users/:userId/email": 1,
            "PUT /v1/users/:userId/labels": 1,
            "POST /v1/users/:userId/targets": 1,
            "DELETE /v1/users/:userId/targets/:targetId": 1,
            "GET /v1/users/:userId": 2,
        });
        expect(h.emu.totalRequests()).toBe(7);
        expect(h.emu.writeRequests()).toBe(5);
        const viaAdmin = (await (await fetch(admin("requests"))).json()) as { counts: object; total: number; writes: number };
        expect(viaAdmin).toEqual({ counts: h.emu.requestCounts(), total: 7, writes: 5 });
        expect((await fetch(admin("requests"), { method: "DELETE" })).status).toBe(204);
        expect(h.emu.totalRequests()).toBe(0);
    });

    it("answers the next N requests to a route with 500, then serves normally", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        h.emu.injectFault({ route: "PATCH /v1/users/:userId/name", count: 2, kind: "500" });
        await h.users.get({ userId });
        await expectError(h.users.updateName({ userId, name: "a" }), 500, "general_unknown", "Server Error");
        await expectError(h.users.updateName({ userId, name: "b" }), 500, "general_unknown");
        expect((await h.users.updateName({ userId, name: "c" })).name).toBe("c");
    });

    it("answers an injected 429 as Appwrite's abuse limit does, with the wait in Retry-After and X-RateLimit-Reset, changing nothing", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, name: "before" });
        h.emu.injectFault({ route: "PATCH /v1/users/:userId/name", kind: "429", retryAfter: 7, resetAfter: 30, limit: 60 });
        const nowSeconds = Math.floor(Date.now() / 1000);
        const res = await fetch(`${h.emu.endpoint}/users/${userId}/name`, {
            method: "PATCH",
            body: JSON.stringify({ name: "after" }),
            headers: { "content-type": "application/json", "x-appwrite-project": h.emu.projectId, "x-appwrite-key": h.emu.apiKey },
        });
        expect(res.status).toBe(429);
        expect(await res.json()).toMatchObject({
            code: 429,
            type: "general_rate_limit_exceeded",
            message: "Rate limit for the current endpoint has been exceeded. Please try again after some time.",
        });
        expect(res.headers.get("retry-after")).toBe("7");
        expect(res.headers.get("x-ratelimit-limit")).toBe("60");
        expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
        expect(Number(res.headers.get("x-ratelimit-reset")) - nowSeconds).toBeGreaterThanOrEqual(30);
        expect((await h.users.get({ userId })).name).toBe("before");
        h.emu.injectFault({ route: "PATCH /v1/users/:userId/name", kind: "429" });
        await expectError(h.users.updateName({ userId, name: "after" }), 429, "general_rate_limit_exceeded");
        expect((await h.users.get({ userId })).name).toBe("before");
    });

    it("drops the connection before the change with drop-before: the change is not applied", async () => {
        const userId = uniqueId();
        await h.users.create({ userId, name: "before" });
        h.emu.injectFault({ route: "PATCH /v1/users/:userId/name", kind: "drop-before" });
        await expect(h.users.updateName({ userId, name: "after" })).rejects.toThrow(/fetch failed/);
        expect((await h.users.get({ userId })).name).toBe("before");
    });

    it("drops the connection after the change with drop-after: the change is applied but never answered", async () => {
        const userId = uniqueId();
        h.emu.injectFault({ route: "POST /v1/users", kind: "drop-after" });
        await expect(h.users.create({ userId })).rejects.toThrow(/fetch failed/);
        expect((await h.users.get({ userId })).$id).toBe(userId);
        await expectError(h.users.create({ userId }), 409, "user_already_exists");
    });

    it("takes faults, latency and keys from admin routes too", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        const fault = await fetch(admin("faults"), {
            method: "POST",
            body: JSON.stringify({ route: "GET /v1/users/:userId", kind: "503" }),
        });
        expect(fault.status).toBe(201);
        await expectError(h.users.get({ userId }), 503, "general_unknown");
        const bad = await fetch(admin("faults"), { method: "POST", body: JSON.stringify({ route: "*", kind: "boom" }) });
        expect(bad.status).toBe(400);

        expect((await fetch(admin("latency"), { method: "POST", body: JSON.stringify({ ms: 1 }) })).status).toBe(200);
        expect(((await (await fetch(admin("health"))).json()) as { latencyMs: number }).latencyMs).toBe(1);
        h.emu.setLatency(0);

        const key = await fetch(admin("keys"), { method: "POST", body: JSON.stringify({ secret: "admin-made", scopes: ["users.read"] }) });
        expect(key.status).toBe(201);
        const res = await fetch(`${h.emu.endpoint}/users/${userId}`, { headers: { ...headers(), "x-appwrite-key": "admin-made" } });
        expect(res.status).toBe(200);
    });
});
