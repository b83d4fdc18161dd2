import { describe, expect, it } from "vitest";
import { useEmulatedAppwrite, uniqueId, uniquePhone, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;
const bundle = () => appwrite.provider("UserBundle");
type Props = Record<string, unknown>;

useEmulatedAppwrite((started) => (appwrite = started));

/** A user made outside Pulumi with labels, prefs, a block, verification flags and two targets of its own. */
async function existingUser(prefix: string): Promise<Props> {
    const userId = uniqueId(prefix);
    const users = appwrite.users;
    await users.create({ userId, email: `${userId}@example.org`, name: "Ada" });
    await users.updateLabels({ userId, labels: ["vip", "beta"] });
    await users.updatePrefs({ userId, prefs: { theme: "dark", nested: { a: [1, 2] } } });
    await users.updateEmailVerification({ userId, emailVerification: true });
    await users.updateStatus({ userId, status: false });
    const phone = uniquePhone();
    await users.createTarget({
        userId,
        targetId: `${userId}-mail`,
        providerType: "email" as never,
        identifier: `${userId}.alerts@example.org`,
    });
    await users.createTarget({ userId, targetId: `${userId}-sms`, providerType: "sms" as never, identifier: phone, name: "Phone" });
    return {
        userId,
        email: `${userId}@example.org`,
        name: "Ada",
        emailVerification: true,
        labels: ["vip", "beta"],
        prefs: { theme: "dark", nested: { a: [1, 2] } },
        blocked: true,
        targets: [
            { targetId: `${userId}-mail`, providerType: "email", identifier: `${userId}.alerts@example.org` },
            { targetId: `${userId}-sms`, providerType: "sms", identifier: phone, name: "Phone" },
        ],
        adopt: true,
        __provider: "shim",
    };
}

describe("UserBundle create with adopt", () => {
    it("takes over a user whose every declared part agrees with one read and no write, and then shows no diff", async () => {
        const inputs = await existingUser("adopt-same");
        appwrite.emulator.resetRequestCounts();
        const { outs } = await bundle().create(inputs);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users/:userId": 1 });
        expect(outs).toMatchObject({ labels: ["vip", "beta"], blocked: true, prefs: inputs.prefs });
        expect(((outs as Props).targets as Props[]).map((t) => [t.targetId, t.takenOver])).toEqual([
            [`${inputs.userId}-mail`, false],
            [`${inputs.userId}-sms`, false],
        ]);
        expect((await bundle().diff(String(inputs.userId), outs as Props, inputs)).changes).toBe(false);
    });

    it("writes only the parts that differ, and creates a declared target the user lacks", async () => {
        const inputs = await existingUser("adopt-diff");
        const userId = String(inputs.userId);
        const targets = [
            ...(inputs.targets as Props[]),
            { targetId: `${userId}-new`, providerType: "email", identifier: `${userId}.new@example.org` },
        ];
        appwrite.emulator.resetRequestCounts();
        const { outs } = await bundle().create({ ...inputs, labels: ["vip"], blocked: false, targets });
        expect(appwrite.emulator.requestCounts()).toEqual({
            "GET /v1/users/:userId": 1,
            "PUT /v1/users/:userId/labels": 1,
            "POST /v1/users/:userId/targets": 1,
            "PATCH /v1/users/:userId/status": 1,
        });
        expect(outs).toMatchObject({ labels: ["vip"], blocked: false });
        const live = await appwrite.users.get({ userId });
        expect({ labels: live.labels, status: live.status, targets: live.targets.filter((t) => t.$id.startsWith(userId)).length }).toEqual({
            labels: ["vip"],
            status: true,
            targets: 3,
        });
    });

    it("creates the user and every part when no user has the ID, as without adopt", async () => {
        const userId = uniqueId("adopt-new");
        appwrite.emulator.resetRequestCounts();
        await bundle().create({
            userId,
            email: `${userId}@example.org`,
            labels: ["a"],
            prefs: {},
            blocked: false,
            adopt: true,
            __provider: "shim",
        });
        expect(appwrite.emulator.requestCounts()).toMatchObject({
            "POST /v1/users": 1,
            "PUT /v1/users/:userId/labels": 1,
            "PATCH /v1/users/:userId/prefs": 1,
            "PATCH /v1/users/:userId/status": 1,
        });
    });
});
