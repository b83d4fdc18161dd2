import { Client, MessagingProviderType, Users } from "node-appwrite";
import { beforeAll, describe, expect, it } from "vitest";
import { clientFor, expectError, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();
const as = (key: string, project?: string) => new Users(clientFor(h.emu, key, project));
const guests = (scope: string) => `User (role: guests) missing scopes (["${scope}"])`;
const app = (scope: string) => `app.${h.emu.projectId}@service.127.0.0.1 (role: applications) missing scopes (["${scope}"])`;
let existing: string;

beforeAll(async () => {
    existing = uniqueId();
    await h.users.create({ userId: existing });
    h.emu.addKey("standard_readonly", ["users.read"]);
    h.emu.addKey("standard_writeonly", ["users.write"]);
});

describe("API key and project checks", () => {
    it("refuses a request without a key as guests missing the route's scope", async () => {
        await expectError(as("").get({ userId: existing }), 401, "general_unauthorized_scope", guests("users.read"));
        await expectError(as("").updateName({ userId: existing, name: "x" }), 401, "general_unauthorized_scope", guests("users.write"));
    });

    it("refuses a wrong key as user_unauthorized, whether bare or standard_-prefixed", async () => {
        const message = "The current user is not authorized to perform the requested action.";
        await expectError(as("wrong").list(), 401, "user_unauthorized", message);
        await expectError(as("standard_wrong").list(), 401, "user_unauthorized", message);
    });

    it("treats a key with an unknown type prefix as a guest", async () => {
        await expectError(as("weird_secret").list(), 401, "general_unauthorized_scope", guests("users.read"));
    });

    it("answers 403 project_id_missing for a key sent without a project", async () => {
        const noProject = new Users(new Client().setEndpoint(h.emu.endpoint).setKey(h.emu.apiKey));
        await expectError(
            noProject.list(),
            403,
            "project_id_missing",
            "When using project API key, make sure to pass x-appwrite-project header with your project ID.",
        );
    });

    it("answers 404 project_not_found for a project that does not exist", async () => {
        await expectError(as(h.emu.apiKey, "other-project").list(), 404, "project_not_found");
    });

    it("gives keys scopes: users.read for reads and users.write for every write, targets included", async () => {
        const reader = as("standard_readonly");
        const writer = as("standard_writeonly");
        expect((await reader.get({ userId: existing })).$id).toBe(existing);
        await reader.listTargets({ userId: existing });
        await expectError(reader.updateName({ userId: existing, name: "x" }), 401, "general_unauthorized_scope", app("users.write"));
        await expectError(
            reader.createTarget({ userId: existing, targetId: "t", providerType: MessagingProviderType.Push, identifier: "x" }),
            401,
            "general_unauthorized_scope",
            app("users.write"),
        );
        await expectError(writer.get({ userId: existing }), 401, "general_unauthorized_scope", app("users.read"));
        await expectError(writer.getPrefs({ userId: existing }), 401, "general_unauthorized_scope", app("users.read"));
        expect((await writer.updateName({ userId: existing, name: "written" })).name).toBe("written");
    });

    it("checks in Appwrite's order: project and key, scope, params, user existence, logic", async () => {
        await expectError(as("").get({ userId: "_bad id" }), 401, "general_unauthorized_scope");
        await expectError(as("standard_readonly").delete({ userId: "_bad id" }), 401, "general_unauthorized_scope");
        await expectError(h.users.delete({ userId: "_bad id" }), 400, "general_argument_invalid");
        await expectError(h.users.updateEmail({ userId: "nobody", email: "not an email" }), 400, "general_argument_invalid");
        await expectError(h.users.updateEmail({ userId: "nobody", email: "ok@example.org" }), 404, "user_not_found");
    });
});
