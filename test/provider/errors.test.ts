import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { AppwriteException } from "node-appwrite";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
    AppwriteProviderError,
    describeError,
    isConflict,
    isNotFound,
    isTransient,
    partiallyApplied,
} from "../../provider/appwrite/errors";
import type { Emulator } from "../emulator";
import { startEmulatedAppwrite, uniqueId, type TestAppwrite } from "../support/appwrite";

const ENV_KEYS = ["APPWRITE_ENDPOINT", "APPWRITE_PROJECT_ID", "APPWRITE_API_KEY", "APPWRITE_SELF_SIGNED"] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let appwrite: TestAppwrite & { emulator: Emulator };
const user = () => appwrite.provider("User");

beforeAll(async () => {
    appwrite = await startEmulatedAppwrite();
});
afterAll(() => appwrite.stop());
beforeEach(() => {
    for (const key of ENV_KEYS) delete process.env[key];
    appwrite.configure();
});
afterEach(() => {
    for (const key of ENV_KEYS) {
        if (savedEnv[key] === undefined) delete process.env[key];
        else process.env[key] = savedEnv[key];
    }
});

async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("Error messages from Appwrite's answers", () => {
    it("names appwrite:apiKey when Appwrite rejects the key", async () => {
        appwrite.configure({ "appwrite:apiKey": "standard_not-the-right-key" });
        const failure = user().create({ userId: "rejected" });
        await expect(failure).rejects.toThrow(
            'User create failed for user "rejected": The current user is not authorized to perform the requested action (user_unauthorized, HTTP 401). ' +
                "Appwrite rejected the API key: check `appwrite:apiKey` (or APPWRITE_API_KEY) and that it belongs to the project in `appwrite:projectId`.",
        );
        await expect(failure).rejects.toMatchObject({
            resource: "User",
            operation: "create",
            userId: "rejected",
            code: 401,
            type: "user_unauthorized",
        });
    });

    it("names the missing scope when the key may read but not write", async () => {
        appwrite.emulator.addKey("standard_read-only-key", ["users.read"]);
        appwrite.configure({ "appwrite:apiKey": "standard_read-only-key" });
        const userId = uniqueId("scope");
        await expect(user().create({ userId })).rejects.toThrow(
            /^User create failed for user ".*": .* \(general_unauthorized_scope, HTTP 401\)\. The API key lacks the users\.write scope/,
        );
        await expect(user().read(userId, {})).resolves.toEqual({});
    });

    it("names appwrite:projectId when the project does not exist, and never takes it for a deleted user", async () => {
        appwrite.configure({ "appwrite:projectId": "no-such-project" });
        const failure = user().read("someone", { userId: "someone" });
        await expect(failure).rejects.toThrow(/\(project_not_found, HTTP 404\)\. Check `appwrite:projectId` \(or APPWRITE_PROJECT_ID\)/);
        await expect(failure).rejects.toThrow('User read failed for user "someone"');
    });

    it("names appwrite:endpoint when the endpoint cannot be reached", async () => {
        const port = await closedPort();
        appwrite.configure({ "appwrite:endpoint": `http://127.0.0.1:${port}/v1` });
        const failure = user().delete("someone", {});
        await expect(failure).rejects.toThrow(
            /^User delete failed for user "someone": could not reach Appwrite \(.*ECONNREFUSED.*, network error\)\. Check `appwrite:endpoint` \(or APPWRITE_ENDPOINT\): the endpoint is unreachable\.$/,
        );
        await expect(failure).rejects.toMatchObject({ code: 0, type: "" });
    });

    it("says an endpoint that answers with an HTML 404 page did not answer like Appwrite, naming the URL tried, without the page", async () => {
        const page = `<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>${"<p>Nothing here.</p>".repeat(50)}</body></html>`;
        const server: Server = createHttpServer((_req, res) =>
            res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end(page),
        );
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as { port: number };
        try {
            appwrite.configure({ "appwrite:endpoint": `http://127.0.0.1:${port}/v1` });
            const failure = appwrite.provider("UserLabels").create({ userId: "someone", labels: ["a"] });
            await expect(failure).rejects.toThrow(
                `UserLabels create failed for user "someone": the endpoint did not answer like Appwrite: PUT http://127.0.0.1:${port}/v1/users/someone/labels ` +
                    "got HTTP 404 with a text/html answer, not an Appwrite error. Check `appwrite:endpoint` (or APPWRITE_ENDPOINT): it must be the API root " +
                    "of an Appwrite server, ending in /v1, such as https://fra.cloud.appwrite.io/v1.",
            );
            await expect(failure).rejects.toMatchObject({ code: 404, type: "" });
        } finally {
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    });

    it("names appwrite:endpoint when the endpoint is not a URL", async () => {
        appwrite.configure({ "appwrite:endpoint": "appwrite.example.org/v1" });
        await expect(user().read("someone", {})).rejects.toThrow(
            'User read failed for user "someone": Invalid endpoint URL: appwrite.example.org/v1 (no type, before any request). ' +
                "Check `appwrite:endpoint` (or APPWRITE_ENDPOINT): it must be a URL such as https://fra.cloud.appwrite.io/v1.",
        );
    });

    it("names a target as well as the user when there is one", () => {
        const err = describeError(
            { resource: "UserTarget", operation: "update", userId: "u1", targetId: "t1" },
            new AppwriteException("The target could not be found.", 404, "user_target_not_found", ""),
        );
        expect(err.message).toBe(
            'UserTarget update failed for user "u1" target "t1": The target could not be found (user_target_not_found, HTTP 404)',
        );
        expect(err).toMatchObject({ targetId: "t1", code: 404, type: "user_target_not_found" });
        expect(err.cause).toBeInstanceOf(AppwriteException);
    });
});

describe("Error messages for missing settings", () => {
    it.each([
        ["appwrite:endpoint", "APPWRITE_ENDPOINT", "pulumi config set appwrite:endpoint <value>"],
        ["appwrite:projectId", "APPWRITE_PROJECT_ID", "pulumi config set appwrite:projectId <value>"],
        ["appwrite:apiKey", "APPWRITE_API_KEY", "pulumi config set --secret appwrite:apiKey <value>"],
    ] as const)("names %s and %s when neither is set", async (key, envVar, command) => {
        appwrite.configure({ [key]: undefined });
        const failure = user().read("someone", {});
        await expect(failure).rejects.toThrow(
            `User read failed for user "someone": the setting \`${key}\` is not set: run \`${command}\` or set the ${envVar} environment variable`,
        );
        await expect(failure).rejects.toBeInstanceOf(AppwriteProviderError);
    });

    it("sends no request when a setting is missing", async () => {
        appwrite.emulator.resetRequestCounts();
        appwrite.configure({ "appwrite:apiKey": undefined });
        await expect(user().create({ userId: "nokey" })).rejects.toThrow("appwrite:apiKey");
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });
});

describe("Error classification", () => {
    const exception = (code: number, type: string) => new AppwriteException("message", code, type, "");

    it("counts only a missing user or target as not found, never a missing project or route", () => {
        expect(isNotFound(exception(404, "user_not_found"))).toBe(true);
        expect(isNotFound(exception(404, "user_target_not_found"))).toBe(true);
        expect(isNotFound(exception(404, "project_not_found"))).toBe(false);
        expect(isNotFound(exception(404, "general_route_not_found"))).toBe(false);
    });

    it("counts 409 answers as conflicts, and 5xx answers and network failures as worth retrying", () => {
        expect(isConflict(exception(409, "user_already_exists"))).toBe(true);
        expect(isTransient(exception(503, "general_server_error"))).toBe(true);
        expect(isTransient(exception(400, "general_argument_invalid"))).toBe(false);
        expect(isTransient(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }))).toBe(true);
    });

    it("carries id and properties only for a resource left half-made", () => {
        const ctx = { resource: "User" as const, operation: "create", userId: "u1", step: "setting mfa" };
        const plain = describeError(ctx, exception(500, "general_unknown"));
        expect(plain.id).toBeUndefined();
        expect(plain.message).toBe(
            'User create failed for user "u1" while setting mfa: message (general_unknown, HTTP 500). Appwrite kept answering with a server error; try again later.',
        );
        const partial = partiallyApplied(exception(500, "general_unknown"), ctx, "u1", { userId: "u1", mfa: false });
        expect(partial).toMatchObject({ id: "u1", properties: { userId: "u1", mfa: false }, reasons: [partial.message] });
    });
});
