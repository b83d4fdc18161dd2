import { describe, expect, it, vi } from "vitest";
import { AppwriteProviderError } from "../../provider/appwrite/errors";
import { userBundleProvider } from "../../provider/resources/user-bundle/provider";
import { memberOutputsOf } from "../../provider/resources/user-set/members";
import { useEmulatedAppwrite, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;
const set = () => appwrite.provider("UserSet");
const counts = () => appwrite.emulator.requestCounts();
type Props = Record<string, unknown>;

useEmulatedAppwrite((started) => (appwrite = started));

/** A member with every part declared. */
function member(userId: string): Props {
    return {
        email: `${userId}@example.org`,
        name: `User ${userId}`,
        password: "a password 1234",
        labels: ["qa"],
        prefs: { theme: "dark" },
        blocked: false,
        targets: [{ targetId: `${userId}-mail`, providerType: "email", identifier: `${userId}.alerts@example.org` }],
    };
}

function declared(prefix: string, n: number): Props {
    const users: Record<string, Props> = {};
    for (let i = 1; i <= n; i++) users[`${prefix}-${String(i).padStart(4, "0")}`] = member(`${prefix}-${String(i).padStart(4, "0")}`);
    return { users, __provider: "shim" };
}

const usersOf = (props: Props) => props.users as Record<string, Props>;

describe("UserSet check", () => {
    it("names each bad field by its member, and refuses emails and target IDs declared twice", async () => {
        const news = declared("chk", 2);
        const users = usersOf(news);
        users["chk-0001"] = { ...users["chk-0001"], email: "not an email", labels: ["not ok"] };
        users["chk-0002"] = {
            ...users["chk-0002"],
            targets: [{ targetId: "chk-0001-mail", providerType: "email", identifier: "x@example.org" }],
        };
        users["chk-0003"] = { email: "CHK-0002@example.org" };
        users["-bad"] = {};
        const failures = (await set().check({}, news)).failures ?? [];
        const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
        expect(Object.keys(byProperty)).toEqual(
            expect.arrayContaining([
                'users["chk-0001"].email',
                'users["chk-0001"].labels[0]',
                'users["chk-0002"].targets[0].targetId',
                'users["chk-0003"].email',
                'users["-bad"]',
            ]),
        );
        expect(byProperty['users["chk-0003"].email']).toMatch(/already declared at users\["chk-0002"\]\.email/);
        expect(counts()).toEqual({});
    });

    it("refuses a set without users, or with an input a set does not have, naming the input", async () => {
        const failures = (await set().check({}, { userId: "qa-0001" })).failures ?? [];
        expect(failures).toEqual([
            { property: "userId", reason: expect.stringContaining("is not an input of UserSet") },
            { property: "users", reason: expect.stringContaining("is required") },
        ]);
    });

    it("passes a valid set on unchanged", async () => {
        const news = declared("ok", 3);
        expect(await set().check({}, news)).toEqual({ inputs: news });
    });
});

describe("UserSet lifecycle", { timeout: 120_000 }, () => {
    it("creates every member, reads 150 users with two list requests, and sees no change after", async () => {
        const news = declared("life", 150);
        const made = await set().create(news);
        expect(Object.keys(usersOf(made.outs as Props))).toHaveLength(150);
        expect(usersOf(made.outs as Props)["life-0001"]).not.toHaveProperty("userId");
        // Values almost every user holds are left out of the state, and restored for UserBundle's diff below.
        const stored = usersOf(made.outs as Props)["life-0001"] as Props;
        for (const usual of ["phone", "passwordHash", "adopt", "mfa", "emailVerification", "phoneVerification", "impersonator"])
            expect(stored).not.toHaveProperty(usual);
        expect(stored.targets).toEqual([{ targetId: "life-0001-mail", providerType: "email", identifier: "life-0001.alerts@example.org" }]);
        expect((await set().diff(made.id, made.outs as Props, news)).changes).toBe(false);

        appwrite.emulator.resetRequestCounts();
        const read = await set().read(made.id, made.outs as Props);
        expect(counts()).toEqual({ "GET /v1/users": 2 });
        expect(read.props).toEqual(made.outs);
        expect(usersOf(read.inputs as Props)["life-0042"]).toMatchObject({
            email: "life-0042@example.org",
            labels: ["qa"],
            blocked: false,
        });
        await set().delete(made.id, made.outs as Props);
    });

    it("judges a member's change as UserBundle's diff does, and runs that diff only for members not exactly as recorded", async () => {
        const news = declared("same", 3);
        const made = await set().create(news);
        const base = usersOf(news)["same-0002"] as Props;
        // Each is one member's inputs against what the set recorded for it: the same values, each field
        // changed, a part left out, and an input declared for the first time with the value Appwrite
        // already holds (UserBundle records it as declared, which is a change).
        const variants: Record<string, Props> = {
            "as recorded": base,
            "keys in another order": Object.fromEntries(Object.entries(base).reverse()),
            email: { ...base, email: "same-two@example.org" },
            "email in capitals": { ...base, email: "SAME-0002@example.org" },
            name: { ...base, name: "Renamed" },
            password: { ...base, password: "another password 1234" },
            labels: { ...base, labels: ["qa", "new"] },
            "labels left out": { ...base, labels: undefined },
            prefs: { ...base, prefs: { theme: "light" } },
            blocked: { ...base, blocked: true },
            "status left out": { ...base, blocked: undefined },
            "target identifier": { ...base, targets: [{ ...(base.targets as Props[])[0], identifier: "other@example.org" }] },
            "targets left out": { ...base, targets: undefined },
            "an input declared for the first time, as Appwrite holds it": { ...base, emailVerification: false },
        };
        const unpacked = memberOutputsOf(made.outs as Props).get("same-0002") as Props;
        const bundleDiff = vi.spyOn(userBundleProvider, "diff");
        for (const [variant, member] of Object.entries(variants)) {
            const expected = (await userBundleProvider.diff!("same-0002", unpacked, { ...member, userId: "same-0002" })).changes;
            bundleDiff.mockClear();
            const users = { ...usersOf(news), "same-0002": member };
            expect({ variant, changes: (await set().diff(made.id, made.outs as Props, { ...news, users })).changes }).toEqual({
                variant,
                changes: expected,
            });
            if (variant === "as recorded") expect(bundleDiff).not.toHaveBeenCalled();
        }
        bundleDiff.mockRestore();
        await set().delete(made.id, made.outs as Props);
    });

    it("shares list requests between sets read at the same moment: three sets of 40 users in two requests", async () => {
        const made = await Promise.all(["sa", "sb", "sc"].map(async (prefix) => set().create(declared(prefix, 40))));
        appwrite.emulator.resetRequestCounts();
        const reads = await Promise.all(made.map((m) => set().read(m.id, m.outs as Props)));
        expect(counts()).toEqual({ "GET /v1/users": 2 });
        expect(reads.map((r) => Object.keys(usersOf(r.props as Props)).length)).toEqual([40, 40, 40]);
        for (const m of made) await set().delete(m.id, m.outs as Props);
    });

    it("shares list requests between sets whose reads arrive one after another: five sets of 20 users, 5 ms apart, in one request", async () => {
        const made = await Promise.all(["ra", "rb", "rc", "rd", "re"].map(async (prefix) => set().create(declared(prefix, 20))));
        appwrite.emulator.resetRequestCounts();
        const reads = await Promise.all(
            made.map(async (m, i) => {
                await new Promise((resolve) => setTimeout(resolve, 5 * i));
                return set().read(m.id, m.outs as Props);
            }),
        );
        expect(counts()).toEqual({ "GET /v1/users": 1 });
        expect(reads.map((r) => r.props)).toEqual(made.map((m) => m.outs));
        for (const m of made) await set().delete(m.id, m.outs as Props);
    });

    it("sends exactly one write for one member's new email, and reports a member gone outside as missing", async () => {
        const news = declared("one", 20);
        const made = await set().create(news);
        const changed = { ...news, users: { ...usersOf(news), "one-0007": { ...usersOf(news)["one-0007"], email: "seven@example.org" } } };
        expect((await set().diff(made.id, made.outs as Props, changed)).changes).toBe(true);
        appwrite.emulator.resetRequestCounts();
        const updated = await set().update(made.id, made.outs as Props, changed);
        expect(counts()).toEqual({ "PATCH /v1/users/:userId/email": 1 });
        expect(counts()["PATCH /v1/users/:userId/email"]).toBe(1);
        expect(usersOf(updated.outs as Props)["one-0007"]?.email).toBe("seven@example.org");

        await appwrite.users.delete({ userId: "one-0003" });
        const read = await set().read(made.id, updated.outs as Props);
        expect(Object.keys(usersOf(read.props as Props))).not.toContain("one-0003");
        expect(Object.keys(usersOf(read.inputs as Props))).toHaveLength(19);
        appwrite.emulator.resetRequestCounts();
        await set().update(made.id, read.props as Props, changed);
        expect(counts()["POST /v1/users"]).toBe(1);
        await set().delete(made.id, updated.outs as Props);
    });

    it("adds, removes and replaces members inside the set, freeing unique values before they are reused", async () => {
        const news = declared("mv", 3);
        const made = await set().create(news);
        const users = { ...usersOf(news) };
        const moved = users["mv-0001"]?.targets;
        delete users["mv-0001"];
        users["mv-0004"] = { ...member("mv-0004"), targets: moved };
        users["mv-0002"] = {
            ...users["mv-0002"],
            password: undefined,
            passwordHash: { algorithm: "md5", hash: "5f4dcc3b5aa765d61d8327deb882cf99" },
        };
        const changed = { ...news, users };
        appwrite.emulator.resetRequestCounts();
        const updated = await set().update(made.id, made.outs as Props, changed);
        expect(counts()["DELETE /v1/users/:userId"]).toBe(2);
        expect(Object.keys(usersOf(updated.outs as Props))).toEqual(["mv-0002", "mv-0003", "mv-0004"]);
        expect((await appwrite.users.get({ userId: "mv-0004" })).targets.map((t) => t.$id)).toContain("mv-0001-mail");
        await expect(appwrite.users.get({ userId: "mv-0001" })).rejects.toThrow();
        expect((await set().diff(made.id, updated.outs as Props, changed)).changes).toBe(false);
        await set().delete(made.id, updated.outs as Props);
    });
});

describe("UserSet partial failure", () => {
    it("records the members made when one fails, names it with Appwrite's error, and the next update makes only that one", async () => {
        await appwrite.users.create({ userId: "someone-else", email: "pf-0002@example.org" });
        const news = declared("pf", 4);
        const err = await set()
            .create(news)
            .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AppwriteProviderError);
        const failure = err as AppwriteProviderError;
        expect(failure.message).toMatch(
            /UserSet create failed for 1 user of 4:\n {2}- UserSet create failed for user "pf-0002" while creating the user: .*409/,
        );
        expect(failure.id).toEqual(expect.any(String));
        expect(failure.properties?.__provider).toBe("shim");
        expect(Object.keys(usersOf(failure.properties as Props))).toEqual(["pf-0001", "pf-0003", "pf-0004"]);

        await appwrite.users.delete({ userId: "someone-else" });
        appwrite.emulator.resetRequestCounts();
        const finished = await set().update(failure.id as string, failure.properties as Props, news);
        expect(counts()["POST /v1/users"]).toBe(1);
        expect(Object.keys(usersOf(finished.outs as Props))).toHaveLength(4);
        await set().delete(failure.id as string, finished.outs as Props);
    });

    it("keeps the old outputs of a member whose update fails, and the new ones of the others", async () => {
        const news = declared("uf", 3);
        const made = await set().create(news);
        await appwrite.users.create({ userId: "taken-email", email: "taken@example.org" });
        const users = usersOf(news);
        const changed = {
            ...news,
            users: {
                ...users,
                "uf-0001": { ...users["uf-0001"], email: "taken@example.org" },
                "uf-0002": { ...users["uf-0002"], name: "Renamed" },
            },
        };
        const failure = (await set()
            .update(made.id, made.outs as Props, changed)
            .catch((e: unknown) => e)) as AppwriteProviderError;
        expect(failure.message).toMatch(/UserSet update failed for 1 user of 2:[\s\S]*user "uf-0001"/);
        expect(failure.id).toBe(made.id);
        const outs = usersOf(failure.properties as Props);
        expect(outs["uf-0001"]?.email).toBe("uf-0001@example.org");
        expect(outs["uf-0002"]?.name).toBe("Renamed");
        await set().delete(made.id, failure.properties as Props);
    });

    it("deletes every member, one already gone counting as done", async () => {
        const made = await set().create(declared("del", 3));
        await appwrite.users.delete({ userId: "del-0002" });
        await set().delete(made.id, made.outs as Props);
        const left = await appwrite.users.list();
        expect(left.users.map((u) => u.$id).filter((id) => id.startsWith("del-"))).toEqual([]);
    });
});
