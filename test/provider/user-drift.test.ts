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
    const declared = { userId, email: `${userId}@example.org`, phone: uniquePhone(), name: "Declared", password: "declared password",
        emailVerification: false, phoneVerification: false, mfa: false, ...extra };
    const { outs } = (await user().create(declared)) as { outs: Record<string, unknown> };
    return { userId, declared, outs };
}

describe("User drift made outside Pulumi", () => {
    const otherPhone = uniquePhone();
    const outOfBand: [string, (a: TestAppwrite, userId: string) => Promise<unknown>, Record<string, unknown>][] = [
        ["email", (a, userId) => a.users.updateEmail({ userId, email: `elsewhere-${userId}@example.org` }), {}],
        ["phone", (a, userId) => a.users.updatePhone({ userId, number: otherPhone }), { phone: otherPhone }],
        ["name", (a, userId) => a.users.updateName({ userId, name: "Changed" }), { name: "Changed" }],
        ["emailVerification", (a, userId) => a.users.updateEmailVerification({ userId, emailVerification: true }), { emailVerification: true }],
        ["phoneVerification", (a, userId) => a.users.updatePhoneVerification({ userId, phoneVerification: true }), { phoneVerification: true }],
        ["mfa", (a, userId) => a.users.updateMFA({ userId, mfa: true }), { mfa: true }],
    ];

    it.each(outOfBand)("shows a changed %s in read's outputs and inputs, and the next update puts it back", async (field, change, expected) => {
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
    });

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
