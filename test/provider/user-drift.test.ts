import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAppwrite, uniqueId, uniquePhone, type TestAppwrite } from "../support/appwrite";

let appwrite: TestAppwrite;
const user = () => appwrite.provider("User");

beforeAll(async () => {
    appwrite = await startAppwrite();
});
afterAll(() => appwrite.stop());
beforeEach(() => appwrite.configure());

/** Appwrite timestamps have millisecond resolution; let one pass so a new passwordUpdate differs. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 3));

async function managed(extra: Record<string, unknown> = {}) {
    const userId = uniqueId("drift");
    const declared = {
        userId,
        email: `${userId}@example.org`,
        phone: uniquePhone(),
        name: "Declared",
        password: "declared password",
        emailVerification: false,
        phoneVerification: false,
        mfa: false,
        impersonator: false,
        ...extra,
    };
    const { outs } = (await user().create(declared)) as { outs: Record<string, unknown> };
    return { userId, declared, outs };
}

describe("User drift made outside Pulumi", () => {
    const otherPhone = uniquePhone();
    const outOfBand: [string, (a: TestAppwrite, userId: string) => Promise<unknown>, Record<string, unknown>][] = [
        ["email", (a, userId) => a.users.updateEmail({ userId, email: `elsewhere-${userId}@example.org` }), {}],
        ["phone", (a, userId) => a.users.updatePhone({ userId, number: otherPhone }), { phone: otherPhone }],
        ["name", (a, userId) => a.users.updateName({ userId, name: "Changed" }), { name: "Changed" }],
        [
            "emailVerification",
            (a, userId) => a.users.updateEmailVerification({ userId, emailVerification: true }),
            { emailVerification: true },
        ],
        [
            "phoneVerification",
            (a, userId) => a.users.updatePhoneVerification({ userId, phoneVerification: true }),
            { phoneVerification: true },
        ],
        ["mfa", (a, userId) => a.users.updateMFA({ userId, mfa: true }), { mfa: true }],
        ["impersonator", (a, userId) => a.users.updateImpersonator({ userId, impersonator: true }), { impersonator: true }],
    ];

    it.each(outOfBand)(
        "shows a changed %s in read's outputs and inputs, and the next update puts it back",
        async (field, change, expected) => {
            const { userId, declared, outs } = await managed();
            await change(appwrite, userId);
            const read = await user().read(userId, outs);
            const props = read.props as Record<string, unknown>;
            const live = field === "email" ? { email: `elsewhere-${userId}@example.org` } : expected;
            expect(props).toMatchObject(live);
            expect(read.inputs).toMatchObject(live);
            expect(await user().diff(userId, props, declared)).toEqual({ changes: true });
            const fixed = await user().update(userId, props, declared);
            expect(fixed.outs).toMatchObject({ [field]: (declared as Record<string, unknown>)[field] });
            expect(await user().diff(userId, fixed.outs, declared)).toEqual({ changes: false });
        },
    );

    it("shows a password changed outside Pulumi as drift on password, without revealing anything new", async () => {
        const { userId, declared, outs } = await managed();
        await nextMillisecond();
        await appwrite.users.updatePassword({ userId, password: "someone else's password" });
        const read = await user().read(userId, outs);
        const props = read.props as Record<string, unknown>;
        expect(props.password).toBeNull();
        expect(read.inputs).not.toHaveProperty("password");
        expect(JSON.stringify(read)).not.toContain("someone else");
        expect(await user().diff(userId, props, declared)).toEqual({ changes: true });
        expect(await user().read(userId, props)).toMatchObject({ props: { password: null } });

        await nextMillisecond();
        const fixed = await user().update(userId, props, declared);
        expect(fixed.outs).toMatchObject({ password: "declared password" });
        const live = await appwrite.users.get({ userId });
        expect(fixed.outs.passwordUpdate).toBe(live.passwordUpdate);
        expect(await user().read(userId, fixed.outs)).toMatchObject({ props: { password: "declared password" } });
    });

    it("reports no password drift while Appwrite's passwordUpdate is the one the provider last saw", async () => {
        const { userId, declared, outs } = await managed();
        await appwrite.users.updateName({ userId, name: "Declared" });
        const read = await user().read(userId, outs);
        expect(read.props).toEqual(outs);
        expect(await user().diff(userId, read.props, declared)).toEqual({ changes: false });
    });
});

describe("User inputs as read reports them", () => {
    async function declaredOnly(declared: Record<string, unknown>) {
        const { outs } = (await user().create(declared)) as { outs: Record<string, unknown> };
        return outs;
    }

    it("read reports as inputs only what the program declares", async () => {
        const userId = uniqueId("declared");
        const declared = { userId, email: `${userId}@example.org`, name: "Declared" };
        const outs = await declaredOnly(declared);
        expect(outs.declaredInputs).toEqual(["email", "name"]);
        await appwrite.users.updateMFA({ userId, mfa: true });
        await appwrite.users.updateName({ userId, name: "Renamed elsewhere" });

        const read = await user().read(userId, outs);
        expect(read.props).toMatchObject({ mfa: true, name: "Renamed elsewhere", declaredInputs: ["email", "name"] });
        expect(read.inputs).toEqual({ userId, email: `${userId}@example.org`, name: "Renamed elsewhere" });
        expect(await user().diff(userId, read.props as Record<string, unknown>, declared)).toEqual({ changes: true });
    });

    it("an update records the inputs the program now declares, and read reports those", async () => {
        const userId = uniqueId("redeclared");
        const outs = await declaredOnly({ userId, email: `${userId}@example.org`, name: "Declared" });
        const { outs: updated } = (await user().update(userId, outs, { userId, name: "Declared", mfa: false, adopt: false })) as {
            outs: Record<string, unknown>;
        };
        expect(updated.declaredInputs).toEqual(["adopt", "mfa", "name"]);
        const read = await user().read(userId, updated);
        expect(read.inputs).toEqual({ userId, name: "Declared", mfa: false, adopt: false });
    });

    it.each(["email", "phone"])("an %s cleared outside Pulumi still shows as drift", async (field) => {
        const userId = uniqueId(`cleared-${field}`);
        const declared = { userId, email: `${userId}@example.org`, phone: uniquePhone(), name: "Declared" };
        const outs = await declaredOnly(declared);
        if (field === "email") await appwrite.users.updateEmail({ userId, email: "" });
        else await appwrite.users.updatePhone({ userId, number: "" });

        const read = await user().read(userId, outs);
        const props = read.props as Record<string, unknown>;
        expect(props[field]).toBeNull();
        expect(read.inputs).not.toHaveProperty(field);
        expect(Object.keys(read.inputs ?? {}).sort()).toEqual(["email", "name", "phone", "userId"].filter((key) => key !== field));
        expect(await user().diff(userId, props, declared)).toEqual({ changes: true });

        const fixed = await user().update(userId, props, declared);
        expect(fixed.outs).toMatchObject({ [field]: (declared as Record<string, unknown>)[field] });
        expect((await user().read(userId, fixed.outs)).inputs).toEqual(declared);
    });

    it("state without declaredInputs reads all inputs as before", async () => {
        const userId = uniqueId("legacy");
        const outs = await declaredOnly({ userId, email: `${userId}@example.org`, name: "Declared", password: "declared password" });
        const legacy = Object.fromEntries(Object.entries(outs).filter(([key]) => key !== "declaredInputs"));

        const read = await user().read(userId, legacy);
        expect(read.props).toMatchObject({ declaredInputs: null });
        expect(read.inputs).toEqual({
            userId,
            email: `${userId}@example.org`,
            name: "Declared",
            password: "declared password",
            emailVerification: false,
            phoneVerification: false,
            mfa: false,
        });
        const { outs: updated } = (await user().update(userId, read.props as Record<string, unknown>, { userId, name: "Declared" })) as {
            outs: Record<string, unknown>;
        };
        expect(updated.declaredInputs).toEqual(["name"]);
    });
});
