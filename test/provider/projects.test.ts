import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Client, Users } from "node-appwrite";
import { configure, providers } from "../../provider";
import { partialCredentials } from "../../cli/credentials";
import { appwriteUsers, conflictWarning, settingConflicts, settings } from "../../provider/appwrite/connection";
import { resetReadAhead } from "../../provider/appwrite/read-ahead";
import { startEmulator, type Emulator } from "../emulator";
import { startEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";

/** The default project, and two named ones each on an emulator of its own with its own project ID and key. */
let main: EmulatedAppwrite;
let eu: Emulator;
let us: Emulator;
const usersOf = (emu: Emulator) => new Users(new Client().setEndpoint(emu.endpoint).setProject(emu.projectId).setKey(emu.apiKey));
const provider = (kind: keyof typeof providers) => providers[kind] as Required<(typeof providers)[typeof kind]>;

const entry = (emu: Emulator) => ({ endpoint: emu.endpoint, projectId: emu.projectId, apiKey: emu.apiKey });

function configureWith(projects: unknown, extra: Record<string, string> = {}): void {
    resetReadAhead();
    const config: Record<string, string | undefined> = {
        "appwrite:endpoint": main.endpoint,
        "appwrite:projectId": main.projectId,
        "appwrite:apiKey": main.apiKey,
        ...(projects === undefined ? {} : { "appwrite:projects": JSON.stringify(projects) }),
        ...extra,
    };
    configure({ config: { get: (key) => config[key] } });
}

const savedEnv = process.env.APPWRITE_PROJECTS;

beforeAll(async () => {
    main = await startEmulatedAppwrite();
    eu = await startEmulator({ projectId: "shop-eu" });
    us = await startEmulator({ projectId: "shop-us" });
});
afterAll(async () => {
    await main.stop();
    await eu.stop();
    await us.stop();
});
beforeEach(() => {
    delete process.env.APPWRITE_PROJECTS;
    configureWith({ eu: entry(eu), us: entry(us) });
    for (const emu of [main.emulator, eu, us]) emu.resetRequestCounts();
});
afterEach(() => {
    if (savedEnv === undefined) delete process.env.APPWRITE_PROJECTS;
    else process.env.APPWRITE_PROJECTS = savedEnv;
});

describe("A resource that names a project", () => {
    it("is made in that project only, and records the name and nothing else about it", async () => {
        const userId = uniqueId("in-eu");
        const made = await provider("User").create({ project: "eu", userId, name: "EU bot" });
        expect(made.outs).toMatchObject({ project: "eu", userId });
        expect(JSON.stringify(made.outs)).not.toContain(eu.endpoint);
        expect(JSON.stringify(made.outs)).not.toContain(eu.apiKey);
        expect(main.emulator.totalRequests() + us.totalRequests()).toBe(0);
        await expect(usersOf(eu).get({ userId })).resolves.toMatchObject({ name: "EU bot" });
        await expect(main.users.get({ userId })).rejects.toMatchObject({ code: 404 });
    });

    it("is read, updated and deleted in its recorded project", async () => {
        const userId = uniqueId("labels-eu");
        await usersOf(eu).create({ userId });
        const labels = provider("UserLabels");
        const made = await labels.create({ project: "eu", userId, labels: ["a"] });
        await usersOf(eu).updateLabels({ userId, labels: ["drift"] });
        await expect(labels.read(userId, made.outs)).resolves.toMatchObject({
            props: { labels: ["drift"], project: "eu" },
            inputs: { project: "eu" },
        });
        await labels.update(userId, made.outs, { project: "eu", userId, labels: ["b"] });
        expect((await usersOf(eu).get({ userId })).labels).toEqual(["b"]);
        await labels.delete(userId, { ...made.outs, labels: ["b"] });
        expect((await usersOf(eu).get({ userId })).labels).toEqual([]);
        expect(main.emulator.totalRequests()).toBe(0);
    });

    it("as a UserBundle, writes the user and every part in that project, and reads it back there", async () => {
        const userId = uniqueId("bundle-eu");
        const bundle = provider("UserBundle");
        const inputs = { project: "eu", userId, name: "EU bundle", labels: ["service"], prefs: { region: "eu" }, blocked: true };
        const made = await bundle.create(inputs);
        expect(made.outs).toMatchObject({ project: "eu", labels: ["service"], blocked: true });
        await expect(usersOf(eu).get({ userId })).resolves.toMatchObject({
            name: "EU bundle",
            labels: ["service"],
            prefs: { region: "eu" },
            status: false,
        });
        const read = await bundle.read(userId, made.outs);
        expect(read.props).toMatchObject({ project: "eu", name: "EU bundle", labels: ["service"] });
        await expect(bundle.diff(userId, read.props as Record<string, unknown>, inputs)).resolves.toMatchObject({ changes: false });
        expect(main.emulator.totalRequests() + us.totalRequests()).toBe(0);
    });

    it("as a UserSet, makes, reads and deletes every member in that project, its members read there in one list request", async () => {
        const ids = [uniqueId("set-eu-a"), uniqueId("set-eu-b"), uniqueId("set-eu-c")];
        const set = provider("UserSet");
        const news = { project: "eu", users: Object.fromEntries(ids.map((id) => [id, { email: `${id}@example.org`, labels: ["eu"] }])) };
        expect((await set.check({}, news)).failures ?? []).toEqual([]);
        const made = await set.create(news);
        expect(made.outs).toMatchObject({ project: "eu" });
        for (const userId of ids) await expect(usersOf(eu).get({ userId })).resolves.toMatchObject({ labels: ["eu"] });
        eu.resetRequestCounts();
        const read = await set.read(made.id, made.outs);
        expect(eu.requestCounts()).toEqual({ "GET /v1/users": 1 });
        expect(read.props).toEqual(made.outs);
        await set.delete(made.id, made.outs as Record<string, unknown>);
        for (const userId of ids) await expect(usersOf(eu).get({ userId })).rejects.toMatchObject({ code: 404 });
        expect(main.emulator.totalRequests() + us.totalRequests()).toBe(0);
    });

    it("as a UserSet, refuses a project on a member: the members live in the set's project", async () => {
        const userId = uniqueId("set-member");
        const { failures } = await provider("UserSet").check({}, { users: { [userId]: { project: "us" } } });
        expect(failures).toEqual([
            { property: `users["${userId}"].project`, reason: expect.stringContaining("set `project` on the UserSet") },
        ]);
    });

    it("leaves outputs without a project key when it names none, as stacks written before projects have", async () => {
        const userId = uniqueId("default");
        const made = await provider("UserStatus").create({ userId: (await main.users.create({ userId })).$id, blocked: true });
        expect(made.outs).not.toHaveProperty("project");
        const read = await provider("UserStatus").read(userId, made.outs);
        expect(read.props).not.toHaveProperty("project");
        expect(read.inputs).not.toHaveProperty("project");
        expect(eu.totalRequests() + us.totalRequests()).toBe(0);
    });
});

describe("Reads of users of several projects arriving together", () => {
    it("are batched per project: one list request each, naming only its own users, sent with its own key", async () => {
        const ids = [uniqueId("batch-a"), uniqueId("batch-b"), uniqueId("batch-c")];
        // The same user IDs in each project, told apart by name.
        for (const [users, name] of [
            [main.users, "main"],
            [usersOf(eu), "eu"],
            [usersOf(us), "us"],
        ] as const) {
            for (const userId of ids) await users.create({ userId, name: `${name}-${userId}` });
        }
        for (const emu of [main.emulator, eu, us]) emu.resetRequestCounts();
        const user = provider("User");
        const reads = await Promise.all(
            [undefined, "eu", "us"].flatMap((project) =>
                ids.map(async (userId) => ({
                    project,
                    read: await user.read(userId, { userId, name: "", declaredInputs: ["name"], ...(project ? { project } : {}) }),
                })),
            ),
        );
        for (const { project, read } of reads) expect(read.props?.name).toBe(`${project ?? "main"}-${read.id}`);
        for (const emu of [main.emulator, eu, us]) {
            expect(emu.requestCounts()).toEqual({ "GET /v1/users": 1 });
        }
    });
});

describe("check of a resource's project", () => {
    it("refuses a name that is not configured, listing the configured ones and what to set", async () => {
        const { failures } = await provider("UserLabels").check({}, { project: "asia", userId: "u1", labels: [] });
        expect(failures).toEqual([
            {
                property: "project",
                reason: expect.stringMatching(
                    /^is "asia": the Appwrite project "asia" is not configured \(configured: "eu", "us"\)\. Add it: `pulumi config set --path 'appwrite:projects\.asia\.projectId' <value>`/,
                ),
            },
        ]);
    });

    it("refuses a configured project whose key is missing, naming the key to set, and never borrows the default key", async () => {
        configureWith({ eu: { projectId: "shop-eu" } });
        const { failures } = await provider("User").check({}, { project: "eu", userId: "u1" });
        expect(failures?.[0]?.reason).toContain("`pulumi config set --path --secret 'appwrite:projects.eu.apiKey' <value>`");
        await expect(appwriteUsers("eu")).rejects.toThrow(/missing settings/);
    });

    it("refuses a name that could not be a config key", async () => {
        const { failures } = await provider("UserStatus").check({}, { project: "eu.west", userId: "u1", blocked: false });
        expect(failures?.map((f) => f.property)).toContain("project");
    });
});

describe("diff of a resource's project", () => {
    it("replaces the resource when the project changes, creating the new one first since it lives elsewhere", async () => {
        const diff = await provider("UserLabels").diff(
            "u1",
            { userId: "u1", labels: [], exclusive: null },
            { userId: "u1", labels: [], project: "eu" },
        );
        expect(diff).toMatchObject({ changes: true, replaces: ["project"], deleteBeforeReplace: false });
        const back = await provider("User").diff("u1", { userId: "u1", project: "eu", declaredInputs: [] }, { userId: "u1" });
        expect(back).toMatchObject({ changes: true, replaces: ["project"] });
    });

    it("sees no change when neither side names a project, or both name the same one", async () => {
        await expect(
            provider("UserStatus").diff(
                "u1",
                { userId: "u1", blocked: false, endSessions: null, sessionsEnded: false },
                { userId: "u1", blocked: false },
            ),
        ).resolves.toMatchObject({ changes: false });
        await expect(
            provider("UserStatus").diff(
                "u1",
                { userId: "u1", blocked: false, endSessions: null, sessionsEnded: false, project: "eu" },
                { userId: "u1", blocked: false, project: "eu" },
            ),
        ).resolves.toMatchObject({ changes: false });
    });
});

describe("An error in a named project", () => {
    it("names that project's setting in its fix, not the default project's", async () => {
        configureWith({ eu: { ...entry(eu), apiKey: "standard_not-the-right-key" } });
        const failure = provider("User").create({ project: "eu", userId: uniqueId("rejected") });
        await expect(failure).rejects.toThrow(
            /in project "eu".*check `appwrite:projects\.eu\.apiKey` \(or "apiKey" of "eu" in APPWRITE_PROJECTS\) and that it belongs to the project in `appwrite:projects\.eu\.projectId`/,
        );
    });
});

describe("A resource whose project was removed from the config", () => {
    it("fails to read and delete, naming the project and the config keys to restore", async () => {
        const userId = uniqueId("orphan");
        await usersOf(us).create({ userId });
        const made = await provider("UserStatus").create({ project: "us", userId, blocked: true });
        configureWith({ eu: entry(eu) });
        const restore =
            /in project "us": the Appwrite project "us" is not configured \(configured: "eu"\)\. Restore its settings: `pulumi config set --path 'appwrite:projects\.us\.projectId' <value>`/;
        await expect(provider("UserStatus").read(userId, made.outs)).rejects.toThrow(restore);
        await expect(provider("UserStatus").delete(userId, made.outs)).rejects.toThrow(restore);
        expect((await usersOf(us).get({ userId })).status).toBe(false);
    });
});

describe("Project settings", () => {
    it("come from APPWRITE_PROJECTS when the stack config has none, the stack config winning key by key", async () => {
        configureWith(undefined);
        process.env.APPWRITE_PROJECTS = JSON.stringify({ eu: entry(eu) });
        await expect(settings("eu")).resolves.toEqual({ ...entry(eu), selfSigned: false });
        configureWith({ eu: { apiKey: "standard_from-the-stack" } });
        await expect(settings("eu")).resolves.toMatchObject({
            endpoint: eu.endpoint,
            projectId: "shop-eu",
            apiKey: "standard_from-the-stack",
        });
    });

    it("take the default endpoint and selfSigned when the entry names none", async () => {
        configureWith({ us: { projectId: "shop-us", apiKey: us.apiKey } }, { "appwrite:selfSigned": "true" });
        await expect(settings("us")).resolves.toEqual({
            endpoint: main.endpoint,
            projectId: "shop-us",
            apiKey: us.apiKey,
            selfSigned: true,
        });
    });

    it("take the default endpoint by the default project's rule: the stack config's over APPWRITE_ENDPOINT", async () => {
        const savedEndpoint = process.env.APPWRITE_ENDPOINT;
        process.env.APPWRITE_ENDPOINT = "http://127.0.0.1:9/v1";
        try {
            configureWith({ us: { projectId: "shop-us", apiKey: us.apiKey } });
            await expect(settings("us")).resolves.toMatchObject({ endpoint: main.endpoint });
        } finally {
            if (savedEndpoint === undefined) delete process.env.APPWRITE_ENDPOINT;
            else process.env.APPWRITE_ENDPOINT = savedEndpoint;
        }
    });

    it("given differently by the stack config and APPWRITE_PROJECTS are named in the warning, the key's value never", () => {
        const stack = {
            "appwrite:projects": JSON.stringify({ eu: { endpoint: eu.endpoint, projectId: "shop-eu", apiKey: "standard_stack" } }),
        };
        const env = {
            APPWRITE_PROJECTS: JSON.stringify({
                eu: { endpoint: eu.endpoint, projectId: "shop-eu-old", apiKey: "standard_env" },
                us: entry(us),
            }),
        };
        const warning = conflictWarning(settingConflicts((key) => stack[key as keyof typeof stack], env));
        expect(warning).toBe(
            'appwrite:projects.eu.projectId in the stack config is "shop-eu" and APPWRITE_PROJECTS.eu.projectId in the environment is "shop-eu-old"; ' +
                "appwrite:projects.eu.apiKey in the stack config and APPWRITE_PROJECTS.eu.apiKey in the environment hold different values: using the stack config. " +
                "Unset APPWRITE_PROJECTS.eu.projectId, APPWRITE_PROJECTS.eu.apiKey or change the stack config so that they agree.",
        );
        expect(
            conflictWarning(settingConflicts((key) => stack[key as keyof typeof stack], { APPWRITE_PROJECTS: "{not json" })),
        ).toBeUndefined();
    });

    it("reach the appwrite-users commands by the same rule: the stack's entry over APPWRITE_PROJECTS, key by key", () => {
        const stack = { "appwrite:projects": JSON.stringify({ eu: { apiKey: "standard_stack", endpoint: "" } }) };
        const env = { APPWRITE_PROJECTS: JSON.stringify({ eu: entry(eu), us: entry(us) }) };
        const merged = JSON.parse(partialCredentials(env, stack).projects as string) as Record<string, unknown>;
        expect(merged).toEqual({ eu: { ...entry(eu), apiKey: "standard_stack" }, us: entry(us) });
    });

    it("build one client per project, lazily, and keep it while the settings stay", async () => {
        const first = await appwriteUsers("eu");
        expect(await appwriteUsers("eu")).toBe(first);
        expect(await appwriteUsers("us")).not.toBe(first);
        expect(await appwriteUsers(undefined)).not.toBe(first);
        configureWith({ eu: { ...entry(eu), apiKey: "standard_rotated" } });
        expect(await appwriteUsers("eu")).not.toBe(first);
    });

    it("refuse an entry that is not an object of settings, naming where it came from", async () => {
        configureWith(undefined);
        process.env.APPWRITE_PROJECTS = "{eu:";
        await expect(settings("eu")).rejects.toThrow(/the APPWRITE_PROJECTS environment variable is not JSON/);
        process.env.APPWRITE_PROJECTS = JSON.stringify({ eu: { ...entry(eu), key: "x" } });
        await expect(settings("eu")).rejects.toThrow(
            /project "eu" has an unknown key "key"; the keys are endpoint, projectId, apiKey, selfSigned/,
        );
    });
});
