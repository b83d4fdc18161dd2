import { describe, expect, it } from "vitest";
import { AppwriteProviderError } from "../../provider/appwrite/errors";
import { valueAtField } from "../../provider/resources/user-bundle/parts";
import { insertUsers } from "../emulator/fixtures";
import { useEmulatedAppwrite, uniqueId, uniquePhone, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;
const bundle = () => appwrite.provider("UserBundle");
const counts = () => appwrite.emulator.requestCounts();
type Props = Record<string, unknown>;

useEmulatedAppwrite((started) => (appwrite = started));

/** A user with every part declared: labels, prefs, blocked and two targets. */
function declared(userId: string): Props {
    const phone = uniquePhone();
    return {
        userId,
        email: `${userId}@example.org`,
        name: "Ada",
        password: "a password 1234",
        labels: ["vip", "beta"],
        prefs: { theme: "dark", locale: "en" },
        blocked: true,
        targets: [
            { targetId: `${userId}-mail`, providerType: "email", identifier: `${userId}.alerts@example.org` },
            { targetId: `${userId}-sms`, providerType: "sms", identifier: phone, name: "Phone" },
        ],
        __provider: "shim",
    };
}

async function created(inputs: Props): Promise<Props> {
    const { outs } = await bundle().create(inputs);
    return outs as Props;
}

describe("UserBundle check", () => {
    it("accepts a bundle with every part and passes the inputs on unchanged", async () => {
        const inputs = declared("ok-user");
        expect(await bundle().check({}, inputs)).toEqual({ inputs });
    });

    it("names the field path of each bad value, inside targets by position, with User's rules", async () => {
        const inputs = {
            ...declared("bad-user"),
            email: "not an email",
            labels: ["ok", "not ok"],
            prefs: { n: Number.NaN },
            targets: [
                { targetId: "t1", providerType: "email", identifier: "t1@example.org" },
                { targetId: "t2", providerType: "email", identifier: "not-an-address" },
                { targetId: "t1", providerType: "fax", identifier: "x", colour: "red" },
            ],
        };
        const failures = (await bundle().check({}, inputs)).failures ?? [];
        const properties = failures.map((f) => f.property);
        expect(properties).toEqual(
            expect.arrayContaining([
                "email",
                "labels[1]",
                "prefs.n",
                "targets[1].identifier",
                "targets[2].providerType",
                "targets[2].colour",
                "targets[2].targetId",
            ]),
        );
        expect(failures.find((f) => f.property === "targets[1].identifier")?.reason).toMatch(/valid email address .* for an email target/);
        expect(failures.find((f) => f.property === "targets[2].targetId")?.reason).toMatch(/already the ID of targets\[0\]/);
        expect(failures.find((f) => f.property === "targets[2].colour")?.reason).toMatch(/not a known input of a target/);
    });

    it("refuses password together with passwordHash, as User does, and keys no part has", async () => {
        const inputs = { ...declared("hash-user"), passwordHash: { algorithm: "md5", hash: "0123456789abcdef" }, exclusive: true };
        const failures = (await bundle().check({}, inputs)).failures ?? [];
        expect(failures.map((f) => f.property).sort()).toEqual(["exclusive", "passwordHash"]);
        expect(failures.find((f) => f.property === "exclusive")?.reason).toMatch(/is not a known input of UserBundle/);
    });

    it("create refuses invalid inputs naming the resource kind and field before sending anything", async () => {
        const failure = bundle().create({ ...declared("create-bad"), targets: [{ targetId: "x", providerType: "sms", identifier: "12" }] });
        await expect(failure).rejects.toThrow(
            /^UserBundle create failed for user "create-bad": invalid inputs: targets\[0\]\.identifier must be an E\.164/,
        );
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });
});

describe("UserBundle create, read and delete", () => {
    it("creates the user, labels, prefs, targets and status with one request each: six for two targets", async () => {
        const userId = uniqueId("bundle");
        const inputs = declared(userId);
        const outs = await created(inputs);
        expect(counts()).toEqual({
            "POST /v1/users": 1,
            "PUT /v1/users/:userId/labels": 1,
            "PATCH /v1/users/:userId/prefs": 1,
            "POST /v1/users/:userId/targets": 2,
            "PATCH /v1/users/:userId/status": 1,
        });
        const live = await appwrite.users.get({ userId });
        expect(live).toMatchObject({
            email: `${userId}@example.org`,
            name: "Ada",
            labels: ["vip", "beta"],
            prefs: { theme: "dark", locale: "en" },
            status: false,
        });
        // Appwrite makes a target of its own for the user's email, with a server-made ID.
        expect(
            live.targets
                .map((t) => t.$id)
                .filter((id) => id.startsWith(userId))
                .sort(),
        ).toEqual([`${userId}-mail`, `${userId}-sms`]);
        expect(outs).toMatchObject({
            userId,
            password: "a password 1234",
            labels: ["vip", "beta"],
            prefs: { theme: "dark", locale: "en" },
            blocked: true,
        });
        expect((outs.targets as Props[]).map((t) => [t.targetId, t.identifier, t.name, t.takenOver])).toEqual([
            [`${userId}-mail`, `${userId}.alerts@example.org`, "", false],
            [`${userId}-sms`, (inputs.targets as Props[])[1]?.identifier, "Phone", false],
        ]);
        expect(JSON.parse(JSON.stringify(outs))).toEqual(outs);
        expect(JSON.stringify(outs)).not.toMatch(/"hash(Options)?"/);
    });

    it("reads every part with one request and reports the declared inputs as they are live", async () => {
        const userId = uniqueId("read");
        const inputs = declared(userId);
        const outs = await created(inputs);
        appwrite.configure();
        appwrite.emulator.resetRequestCounts();
        const read = await bundle().read(userId, outs);
        expect(appwrite.emulator.totalRequests()).toBe(1);
        expect(read.props).toEqual(outs);
        const { __provider: _provider, ...rest } = inputs;
        expect(read.inputs).toEqual({ ...rest, targets: [{ ...(rest.targets as Props[])[0] }, { ...(rest.targets as Props[])[1] }] });
        expect((await bundle().diff(userId, read.props as Props, inputs)).changes).toBe(false);
    });

    it("a bundle with only some parts manages only those, and its read reports nothing else", async () => {
        const userId = uniqueId("some");
        const outs = await created({ userId, name: "Only a name", labels: ["one"] });
        expect(counts()).toEqual({ "POST /v1/users": 1, "PUT /v1/users/:userId/labels": 1 });
        expect(outs).toMatchObject({ labels: ["one"], prefs: null, blocked: null, targets: null });
        await appwrite.users.updatePrefs({ userId, prefs: { app: "value" } });
        const read = await bundle().read(userId, outs);
        expect(read.inputs).toEqual({ userId, name: "Only a name", labels: ["one"] });
    });

    it("read of a user deleted outside Pulumi reports the bundle gone; delete then sends one request and succeeds", async () => {
        const userId = uniqueId("gone");
        const outs = await created(declared(userId));
        await appwrite.users.delete({ userId });
        expect(await bundle().read(userId, outs)).toEqual({});
        appwrite.emulator.resetRequestCounts();
        await bundle().delete(userId, outs);
        expect(counts()).toEqual({ "DELETE /v1/users/:userId": 1 });
    });

    it("delete deletes the user, and Appwrite its targets with it, with one request", async () => {
        const userId = uniqueId("delete");
        const outs = await created(declared(userId));
        appwrite.emulator.resetRequestCounts();
        await bundle().delete(userId, outs);
        expect(counts()).toEqual({ "DELETE /v1/users/:userId": 1 });
        await expect(appwrite.users.get({ userId })).rejects.toMatchObject({ code: 404 });
    });

    it("a no-change refresh of 200 bundles with contiguous IDs costs two or three list requests, not 200 reads", async () => {
        const ids = insertUsers(appwrite.emulator.store, 200, "bulk").map((u) => u.$id);
        const states: Props[] = [];
        for (const userId of ids) {
            const live = await appwrite.users.get({ userId });
            states.push({
                userId,
                email: live.email,
                name: live.name,
                declaredInputs: ["email", "name"],
                labels: live.labels,
                prefs: live.prefs,
                blocked: !live.status,
                targets: [],
                phone: null,
                emailVerification: live.emailVerification,
                phoneVerification: false,
                mfa: false,
                impersonator: false,
                password: null,
                passwordHash: null,
                adopt: false,
                registration: live.registration,
                passwordUpdate: null,
            });
        }
        appwrite.configure();
        appwrite.emulator.setLatency(5);
        appwrite.emulator.resetRequestCounts();
        let next = 0;
        const reads: { id?: string }[] = [];
        // Eight at a time in state order, as Pulumi's refresh drives the provider.
        await Promise.all(
            Array.from({ length: 8 }, async () => {
                while (next < states.length) {
                    const state = states[next++] as Props;
                    const read = await bundle().read(String(state.userId), state);
                    reads.push(read);
                    expect((await bundle().diff(String(state.userId), read.props as Props, { ...read.inputs })).changes).toBe(false);
                }
            }),
        );
        appwrite.emulator.setLatency(0);
        expect(reads.every((r) => r.id !== undefined)).toBe(true);
        const routes = counts();
        expect(Object.keys(routes)).toEqual(["GET /v1/users"]);
        // Two pages of 100 hold them (2 in runs here); the read-ahead after the last page, which finds no more
        // users, may or may not have been sent when the last read is answered.
        expect(routes["GET /v1/users"]).toBeGreaterThanOrEqual(2);
        expect(routes["GET /v1/users"]).toBeLessThanOrEqual(3);
    });
});

describe("UserBundle diff, field by field", () => {
    it("names each changed field by path: user inputs, labels, prefs keys, blocked and targets by ID", async () => {
        const userId = uniqueId("diff");
        const inputs = declared(userId);
        const outs = await created(inputs);
        const [mail, sms] = inputs.targets as Props[];
        const news = {
            ...inputs,
            email: `${userId}-new@example.org`,
            labels: ["beta", "vip", "new"],
            prefs: { theme: "light", locale: "en", "font size": 12 },
            blocked: false,
            targets: [
                { ...sms, identifier: uniquePhone() },
                { ...mail, name: "Mail" },
                { targetId: `${userId}-push`, providerType: "push", identifier: "token" },
            ],
        };
        const diff = (await bundle().diff(userId, outs, news)) as {
            changes: boolean;
            replaces?: string[];
            detailedDiff: Record<string, { kind: string }>;
        };
        expect(diff.changes).toBe(true);
        expect(diff.replaces).toBeUndefined();
        expect(Object.fromEntries(Object.entries(diff.detailedDiff).map(([path, d]) => [path, d.kind]))).toEqual({
            email: "update",
            labels: "update",
            "prefs.theme": "update",
            'prefs["font size"]': "add",
            blocked: "update",
            [`targets[${userId}-sms].identifier`]: "update",
            [`targets[${userId}-mail].name`]: "update",
            [`targets[${userId}-push]`]: "add",
        });
        expect(valueAtField(news, `targets[${userId}-sms].identifier`)).toBe(news.targets[0]?.identifier);
        expect(valueAtField(outs, 'prefs["font size"]')).toBeUndefined();
        expect(valueAtField(outs, "prefs.theme")).toBe("dark");
    });

    it("sees no change for reordered labels and targets, a differently cased email, or equal prefs", async () => {
        const userId = uniqueId("same");
        const inputs = declared(userId);
        const outs = await created(inputs);
        const news = {
            ...inputs,
            email: String(inputs.email).toUpperCase(),
            labels: ["beta", "vip", "vip"],
            targets: [...(inputs.targets as Props[])].reverse(),
        };
        expect((await bundle().diff(userId, outs, news)).changes).toBe(false);
    });

    it("replaces the bundle on userId and passwordHash, deleting it first; a target's ID or type only updates the bundle", async () => {
        const userId = uniqueId("replace");
        const inputs = declared(userId);
        const outs = await created(inputs);
        expect(await bundle().diff(userId, outs, { ...inputs, userId: "other-id" })).toMatchObject({
            changes: true,
            replaces: ["userId"],
            deleteBeforeReplace: true,
        });
        const { password: _password, ...noPassword } = inputs;
        expect(
            await bundle().diff(userId, outs, { ...noPassword, passwordHash: { algorithm: "md5", hash: "0123456789abcdef" } }),
        ).toMatchObject({ replaces: ["passwordHash"] });
        const [mail, sms] = inputs.targets as Props[];
        const retyped = await bundle().diff(userId, outs, {
            ...inputs,
            targets: [mail, { ...sms, providerType: "push", identifier: "token" }],
        });
        expect(retyped).toMatchObject({
            changes: true,
            detailedDiff: { [`targets[${userId}-sms].providerType`]: { kind: "update-replace" } },
        });
        expect((retyped as { replaces?: string[] }).replaces).toBeUndefined();
    });

    it("a part dropped from the program is a change that records it unmanaged and sends nothing", async () => {
        const userId = uniqueId("drop");
        const inputs = declared(userId);
        const outs = await created(inputs);
        const { prefs: _prefs, ...news } = inputs;
        expect(await bundle().diff(userId, outs, news)).toMatchObject({ changes: true, detailedDiff: { prefs: { kind: "delete" } } });
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = await bundle().update(userId, outs, news);
        expect(appwrite.emulator.totalRequests()).toBe(0);
        expect((updated as Props).prefs).toBeNull();
        expect((await appwrite.users.get({ userId })).prefs).toEqual({ theme: "dark", locale: "en" });
        expect((await bundle().diff(userId, updated as Props, news)).changes).toBe(false);
    });
});

describe("UserBundle update", () => {
    it("sends only the changed parts: one request for a new name, one for a prefs key", async () => {
        const userId = uniqueId("upd");
        const inputs = declared(userId);
        const outs = await created(inputs);
        appwrite.emulator.resetRequestCounts();
        const news = { ...inputs, name: "Ada L.", prefs: { theme: "light", locale: "en" } };
        const { outs: updated } = (await bundle().update(userId, outs, news)) as { outs: Props };
        expect(counts()).toEqual({ "PATCH /v1/users/:userId/name": 1, "PATCH /v1/users/:userId/prefs": 1 });
        expect(updated).toMatchObject({ name: "Ada L.", prefs: { theme: "light", locale: "en" }, labels: ["vip", "beta"] });
        expect((await bundle().diff(userId, updated, news)).changes).toBe(false);
    });

    it("replaces a target whose type changed inside the bundle, keeping the user; removes and adds targets", async () => {
        const userId = uniqueId("targets");
        const inputs = declared(userId);
        const outs = await created(inputs);
        const registration = outs.registration;
        const [mail, sms] = inputs.targets as Props[];
        const news = {
            ...inputs,
            targets: [
                { ...sms, providerType: "push", identifier: "device-token" },
                { targetId: `${userId}-new`, providerType: "email", identifier: `${userId}.new@example.org` },
            ],
        };
        appwrite.emulator.resetRequestCounts();
        const { outs: updated } = (await bundle().update(userId, outs, news)) as { outs: Props };
        expect(counts()).toEqual({ "DELETE /v1/users/:userId/targets/:targetId": 2, "POST /v1/users/:userId/targets": 2 });
        const live = await appwrite.users.get({ userId });
        expect(live.registration).toBe(registration);
        expect(
            live.targets
                .filter((t) => t.$id.startsWith(userId))
                .map((t) => `${t.$id} ${t.providerType}`)
                .sort(),
        ).toEqual([`${userId}-new email`, `${userId}-sms push`]);
        expect((updated.targets as Props[]).map((t) => t.targetId)).toEqual([`${userId}-sms`, `${userId}-new`]);
        expect(mail).toBeDefined();
        expect((await bundle().diff(userId, updated, news)).changes).toBe(false);
    });
});

describe("UserBundle drift", () => {
    it("a change made outside Pulumi shows in read and as a field-level diff against the program", async () => {
        const userId = uniqueId("drift");
        const inputs = declared(userId);
        const outs = await created(inputs);
        await appwrite.users.updateName({ userId, name: "Changed" });
        await appwrite.users.updatePrefs({ userId, prefs: { theme: "neon", locale: "en" } });
        await appwrite.users.updateTarget({ userId, targetId: `${userId}-mail`, identifier: `${userId}.elsewhere@example.org` });
        await appwrite.users.updateStatus({ userId, status: true });
        const read = await bundle().read(userId, outs);
        expect(read.inputs).toMatchObject({ name: "Changed", prefs: { theme: "neon" }, blocked: false });
        const diff = (await bundle().diff(userId, read.props as Props, inputs)) as { detailedDiff: Record<string, unknown> };
        expect(Object.keys(diff.detailedDiff).sort()).toEqual(
            ["blocked", "name", "prefs.theme", `targets[${userId}-mail].identifier`].sort(),
        );
        const { outs: repaired } = (await bundle().update(userId, read.props as Props, inputs)) as { outs: Props };
        const live = await appwrite.users.get({ userId });
        expect(live).toMatchObject({ name: "Ada", prefs: { theme: "dark" }, status: false });
        expect(live.targets.find((t) => t.$id === `${userId}-mail`)?.identifier).toBe(`${userId}.alerts@example.org`);
        expect((await bundle().diff(userId, repaired, inputs)).changes).toBe(false);
    });

    it("a target deleted outside Pulumi is gone from the read and made again by the next update", async () => {
        const userId = uniqueId("drift-target");
        const inputs = declared(userId);
        const outs = await created(inputs);
        await appwrite.users.deleteTarget({ userId, targetId: `${userId}-sms` });
        const read = await bundle().read(userId, outs);
        expect((read.inputs?.targets as Props[]).map((t) => t.targetId)).toEqual([`${userId}-mail`]);
        const diff = (await bundle().diff(userId, read.props as Props, inputs)) as { detailedDiff: Record<string, { kind: string }> };
        expect(diff.detailedDiff).toEqual({ [`targets[${userId}-sms]`]: { kind: "add", inputDiff: false } });
        await bundle().update(userId, read.props as Props, inputs);
        const targets = (await appwrite.users.get({ userId })).targets.map((t) => t.$id).filter((id) => id.startsWith(userId));
        expect(targets.sort()).toEqual([`${userId}-mail`, `${userId}-sms`]);
    });
});

describe("UserBundle partial create", () => {
    it("a failure after the user was made carries the outputs so far, and the next update finishes without a new user", async () => {
        const userId = uniqueId("partial");
        const inputs = declared(userId);
        appwrite.emulator.injectFault({ route: "POST /v1/users/:userId/targets", kind: "500", count: 4 });
        const err = (await bundle()
            .create(inputs)
            .catch((e: unknown) => e)) as AppwriteProviderError;
        expect(err).toBeInstanceOf(AppwriteProviderError);
        expect(err.message).toMatch(
            new RegExp(`^UserBundle create failed for user "${userId}" target "${userId}-mail" while creating the target: `),
        );
        expect(err.id).toBe(userId);
        const partial = err.properties as Props;
        expect(partial).toMatchObject({
            userId,
            labels: ["vip", "beta"],
            prefs: { theme: "dark", locale: "en" },
            blocked: null,
            targets: [],
        });
        expect(JSON.parse(JSON.stringify(partial))).toEqual(partial);

        const diff = (await bundle().diff(userId, partial, inputs)) as { detailedDiff: Record<string, unknown> };
        expect(Object.keys(diff.detailedDiff).sort()).toEqual(["blocked", `targets[${userId}-mail]`, `targets[${userId}-sms]`]);
        appwrite.emulator.resetRequestCounts();
        const { outs } = (await bundle().update(userId, partial, inputs)) as { outs: Props };
        expect(counts()).toEqual({ "POST /v1/users/:userId/targets": 2, "PATCH /v1/users/:userId/status": 1 });
        expect((await bundle().diff(userId, outs, inputs)).changes).toBe(false);
        expect(counts()["POST /v1/users"]).toBeUndefined();
        expect((await appwrite.users.get({ userId })).registration).toBe(partial.registration);
    });

    it("a diff handed a User's state (an alias from User to UserBundle) refuses before anything is written, and the other way round", async () => {
        const userId = uniqueId("switch");
        const inputs = declared(userId);
        const { outs: userOuts } = await appwrite.provider("User").create({ userId, email: inputs.email, name: inputs.name });
        await expect(bundle().diff(userId, userOuts as Props, inputs)).rejects.toThrow(
            new RegExp(
                `^UserBundle diff failed for user "${userId}": the stack holds this user as a User resource .*Nothing was changed.*docs/guides/seed-files\\.md, "Switching a seed to compact"`,
            ),
        );
        const bundleOuts = await created({ ...inputs, adopt: true });
        await expect(appwrite.provider("User").diff(userId, bundleOuts, { userId, name: "Ada" })).rejects.toThrow(
            /^User diff failed for user ".*": the stack holds this user as a UserBundle resource, .*delete it .*and with it the Appwrite user/,
        );
    });

    it("a user that already exists is refused without adopt, with how to switch a seed to compact safely", async () => {
        const userId = uniqueId("exists");
        await appwrite.users.create({ userId, email: `${userId}@example.org`, name: "Someone else" });
        const failure = bundle().create({ userId, email: `${userId}@example.org`, labels: [] });
        await expect(failure).rejects.toThrow(
            /^UserBundle create failed for user ".*" while creating the user: .*Set `adopt: true`.*do not set `adopt` alone.*docs\/guides\/seed-files\.md, "Switching a seed to compact"/,
        );
        await expect(failure).rejects.toMatchObject({ code: 409, id: undefined });
    });

    it("with adopt, takes over the user and its identical targets, and brings the rest to the declared values", async () => {
        const userId = uniqueId("adopt");
        const inputs = declared(userId);
        await bundle().create(inputs);
        const outs = await created({ ...inputs, adopt: true, name: "Adopted" });
        expect(outs).toMatchObject({ name: "Adopted", adopt: true });
        expect((outs.targets as Props[]).map((t) => t.targetId)).toEqual([`${userId}-mail`, `${userId}-sms`]);
    });
});
