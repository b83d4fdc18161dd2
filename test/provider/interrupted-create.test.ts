import { describe, expect, it } from "vitest";
import type { Emulator } from "../emulator";
import { useEmulatedAppwrite, uniqueId, uniquePhone, type EmulatedAppwrite } from "../support/appwrite";

/**
 * A `pulumi up` killed while a create was in flight leaves the user (or target) in Appwrite and nothing
 * in the state; the next `up` sends the same create again and meets a 409. These are the rules that tell
 * the user an interrupted run of this very create made from a user anyone else made.
 */

let appwrite: EmulatedAppwrite;
let emulator: Emulator;
const user = () => appwrite.provider("User");
const target = () => appwrite.provider("UserTarget");

useEmulatedAppwrite((started) => {
    appwrite = started;
    emulator = started.emulator;
});

function declared(prefix: string) {
    const userId = uniqueId(prefix);
    return { userId, email: `${userId}@Example.org`, phone: uniquePhone(), name: "Seeded User", password: "seeded password 1" };
}

/** What the interrupted run left: the user as the create sent it, then nothing more. */
async function leftByInterruptedRun(inputs: ReturnType<typeof declared>) {
    const made = await appwrite.users.create(inputs);
    emulator.resetRequestCounts();
    return made;
}

async function refusal(inputs: Record<string, unknown>): Promise<string> {
    const failure = await user()
        .create(inputs)
        .then(
            () => undefined,
            (err: unknown) => err,
        );
    expect(failure).toBeInstanceOf(Error);
    return (failure as Error).message;
}

describe("User create after an interrupted run made the same user", () => {
    it("takes over the user that is exactly what the create sent, sets the declared password again and makes no second user", async () => {
        const inputs = declared("again");
        const made = await leftByInterruptedRun(inputs);
        const { id, outs } = await user().create(inputs);
        expect(id).toBe(inputs.userId);
        expect(outs.registration).toBe(made.registration);
        expect(outs).toMatchObject({
            userId: inputs.userId,
            email: inputs.email,
            name: "Seeded User",
            password: "seeded password 1",
            adopt: false,
        });
        expect(emulator.requestCounts()).toEqual({
            "POST /v1/users": 1,
            "GET /v1/users/:userId": 1,
            "GET /v1/users/:userId/sessions": 1,
            "PATCH /v1/users/:userId/password": 1,
        });
    });

    it("takes over a user whose flags the interrupted run had already set as declared", async () => {
        const inputs = { ...declared("flags"), emailVerification: true };
        const { emailVerification, ...sent } = inputs;
        await appwrite.users.create(sent);
        await appwrite.users.updateEmailVerification({ userId: inputs.userId, emailVerification });
        emulator.resetRequestCounts();
        const { outs } = await user().create(inputs);
        expect(outs).toMatchObject({ emailVerification: true });
        expect(emulator.requestCounts()["PATCH /v1/users/:userId/verification"]).toBeUndefined();
    });

    it("takes over a pre-hashed user only with the very hash declared", async () => {
        const userId = uniqueId("hashed");
        const hash = "$2y$10$" + "a".repeat(53);
        await appwrite.users.createBcryptUser({ userId, email: `${userId}@example.org`, password: hash, name: "Hashed" });
        const passwordHash = { algorithm: "bcrypt", hash };
        const { id } = await user().create({ userId, email: `${userId}@example.org`, name: "Hashed", passwordHash });
        expect(id).toBe(userId);
        const other = { algorithm: "bcrypt", hash: "$2y$10$" + "b".repeat(53) };
        const message = await refusal({ userId, email: `${userId}@example.org`, name: "Hashed", passwordHash: other });
        expect(message).toContain("its password hash is not the declared one");
    });

    const madeBySomeoneElse: [string, (inputs: ReturnType<typeof declared>) => Promise<unknown>, string][] = [
        [
            "another email",
            (i) => appwrite.users.updateEmail({ userId: i.userId, email: `other-${i.userId}@example.org` }),
            "its email differs",
        ],
        ["another name", (i) => appwrite.users.updateName({ userId: i.userId, name: "Someone" }), "its name differs"],
        ["labels", (i) => appwrite.users.updateLabels({ userId: i.userId, labels: ["vip"] }), "it has labels"],
        ["prefs", (i) => appwrite.users.updatePrefs({ userId: i.userId, prefs: { theme: "dark" } }), "it has prefs"],
        ["a block", (i) => appwrite.users.updateStatus({ userId: i.userId, status: false }), "it is blocked"],
        ["a session", (i) => appwrite.users.createSession({ userId: i.userId }), "it has sessions"],
        [
            "a verified email",
            (i) => appwrite.users.updateEmailVerification({ userId: i.userId, emailVerification: true }),
            "emailVerification is on",
        ],
        ["MFA", (i) => appwrite.users.updateMFA({ userId: i.userId, mfa: true }), "mfa is on"],
        [
            "a target of its own",
            (i) =>
                appwrite.users.createTarget({
                    userId: i.userId,
                    targetId: uniqueId("t"),
                    providerType: "push" as never,
                    identifier: uniqueId("tok"),
                }),
            "it has messaging targets",
        ],
        [
            "a password changed after it was created",
            async (i) => {
                const record = emulator.store.user(i.userId);
                if (record) record.passwordUpdate = new Date(Date.parse(record.registration) + 60_000).toISOString();
            },
            "its password was changed after it was created",
        ],
    ];

    for (const [what, change, reason] of madeBySomeoneElse) {
        it(`never takes over a user with the same ID that has ${what}, and says why`, async () => {
            const inputs = declared("other");
            await leftByInterruptedRun(inputs);
            await change(inputs);
            const message = await refusal(inputs);
            expect(message).toContain("user_already_exists, HTTP 409");
            expect(message).toContain(`It is not one an interrupted run of this create made: ${reason}`);
            expect(message).toContain("Set `adopt: true` to take it over");
            expect(emulator.requestCounts()["PATCH /v1/users/:userId/password"]).toBeUndefined();
        });
    }

    it("never takes over a user without a password when the program declares one, nor the other way round", async () => {
        const inputs = declared("nopass");
        await appwrite.users.create({ ...inputs, password: undefined });
        expect(await refusal(inputs)).toContain("it has no password");
        const withPassword = declared("haspass");
        await leftByInterruptedRun(withPassword);
        expect(await refusal({ ...withPassword, password: undefined })).toContain("it has a password and none is declared");
    });
});

describe("UserTarget create after an interrupted run made the same target", () => {
    async function userWithTarget(fields: { name?: string }) {
        const userId = uniqueId("tu");
        await appwrite.users.create({ userId });
        const inputs = { userId, targetId: uniqueId("t"), providerType: "push", identifier: uniqueId("tok"), name: "Laptop" };
        await appwrite.users.createTarget({ ...inputs, providerType: "push" as never, ...fields });
        emulator.resetRequestCounts();
        return inputs;
    }

    it("takes over the target that is exactly what the create sent, without a second target or an update", async () => {
        const inputs = await userWithTarget({});
        const { id, outs } = await target().create(inputs);
        expect(id).toBe(`${inputs.userId}/${inputs.targetId}`);
        expect(outs).toMatchObject({ takenOver: false, name: "Laptop", identifier: inputs.identifier });
        expect(emulator.requestCounts()).toEqual({ "POST /v1/users/:userId/targets": 1, "GET /v1/users/:userId": 1 });
        expect((await appwrite.users.listTargets({ userId: inputs.userId })).total).toBe(1);
    });

    it("never takes over a target with the same ID and identifier but another name", async () => {
        const inputs = await userWithTarget({ name: "Someone's phone" });
        await expect(target().create(inputs)).rejects.toThrow(
            /user_target_already_exists, HTTP 409\)\. This user already has a target ".*" \(push .*\); choose another targetId/,
        );
        expect(emulator.requestCounts()["PATCH /v1/users/:userId/targets/:targetId"]).toBeUndefined();
    });
});
