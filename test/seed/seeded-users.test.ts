import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { mockStack, type Registration } from "../support/pulumi-mocks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededUsers, seededUserPassword, seedFileBase } from "../../sdk/seeded-users";

const declared: Registration[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seeded-users-"));
const secret = "staging-seed-secret-0123456789";

/** How a secret value reaches the engine: Pulumi's secret signature around the plaintext. */
const secretWire = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Waits until every resource of `seeded` is registered, so none is still registering when the next test resets the mocks. */
function registered(seeded: SeededUsers): Promise<unknown> {
    return promiseOf(
        pulumi.all([
            ...Object.values(seeded.users).flatMap((u) => [
                u.user.urn,
                u.labels.urn,
                u.prefs.urn,
                u.status.urn,
                ...u.targets.map((t) => t.urn),
            ]),
            ...Object.values(seeded.sets).map((s) => s.urn),
        ]),
    );
}

const useStack = (stack: string) => mockStack(stack, declared);

beforeAll(() => {
    fs.writeFileSync(
        path.join(dir, "users.yaml"),
        [
            "- id: alice",
            "  email: alice@example.org",
            "  name: Alice",
            "  labels: [tester]",
            "  prefs: { locale: en }",
            "  targets:",
            "    - { targetId: alice-push, providerType: push, identifier: token-a }",
            "    - { targetId: alice-sms, providerType: sms, identifier: '+14155550101' }",
            "- id: bob",
            "  blocked: true",
        ].join("\n"),
    );
    fs.writeFileSync(
        path.join(dir, "support.yaml"),
        ["- id: support", "  name: Support desk", "  impersonator: true", "- id: carol", "  impersonator: false"].join("\n"),
    );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, "users.yaml");

describe("a relative seed file path", () => {
    it("starts at the project directory Pulumi's language host reports, not at the program's `main` directory", () => {
        expect(seedFileBase(dir, path.join(dir, "src"))).toBe(dir);
    });

    it("starts at the working directory in an inline program, whose runtime holds a placeholder instead of a directory", () => {
        expect(pulumi.runtime.getRootDirectory()).toBe("rootDirectory");
        expect(seedFileBase(pulumi.runtime.getRootDirectory(), dir)).toBe(dir);
        expect(seedFileBase(path.join(dir, "no-such-dir"), dir)).toBe(dir);
    });

    it("is read from there by SeededUsers", async () => {
        useStack("staging");
        const seeded = new SeededUsers("staging", { file: path.relative(process.cwd(), file()), passwordSecret: secret });
        expect(await promiseOf(seeded.userIds)).toEqual(["alice", "bob"]);
        await registered(seeded);
    });
});

describe("SeededUsers", () => {
    it("declares one User, UserLabels, UserPrefs and UserStatus per entry and one UserTarget per target", async () => {
        useStack("staging");
        const seeded = new SeededUsers("staging", { file: file(), passwordSecret: secret, layout: "resources" });
        await promiseOf(seeded.userIds);
        await promiseOf(pulumi.all(Object.values(seeded.users).flatMap((u) => [u.user.urn, u.status.urn, ...u.targets.map((t) => t.urn)])));

        const count = (type: string) => declared.filter((d) => d.type === `pulumi-nodejs:dynamic/appwrite:${type}`).length;
        expect(declared.filter((d) => d.type === "appwrite-users:index:SeededUsers")).toHaveLength(1);
        expect([count("User"), count("UserLabels"), count("UserPrefs"), count("UserStatus"), count("UserTarget")]).toEqual([2, 2, 2, 2, 2]);
        expect(
            declared
                .filter((d) => d.type.startsWith("pulumi-nodejs:dynamic/appwrite:"))
                .map((d) => d.name)
                .sort(),
        ).toEqual([
            "staging-alice",
            "staging-alice",
            "staging-alice",
            "staging-alice",
            "staging-alice-alice-push",
            "staging-alice-alice-sms",
            "staging-bob",
            "staging-bob",
            "staging-bob",
            "staging-bob",
        ]);
        expect(await promiseOf(seeded.userIds)).toEqual(["alice", "bob"]);
    });

    it("declares every child under the component", async () => {
        useStack("staging");
        const seeded = new SeededUsers("seed", { file: file(), passwordSecret: secret, layout: "resources" });
        const urns = await promiseOf(
            pulumi.all(
                Object.values(seeded.users).flatMap((u) => [
                    u.user.urn,
                    u.labels.urn,
                    u.prefs.urn,
                    u.status.urn,
                    ...u.targets.map((t) => t.urn),
                ]),
            ),
        );
        expect(urns).toHaveLength(10);
        for (const urn of urns) expect(urn).toContain("::appwrite-users:index:SeededUsers$pulumi-nodejs:dynamic/appwrite:");
    });

    it("passes the file's values to the resources and a derived password to each user", async () => {
        useStack("staging");
        const seeded = new SeededUsers("staging", { file: file(), passwordSecret: secret, layout: "resources" });
        await promiseOf(pulumi.all(Object.values(seeded.users).map((u) => u.status.urn)));
        const inputsOf = (type: string, name: string) =>
            declared.find((d) => d.type === `pulumi-nodejs:dynamic/appwrite:${type}` && d.name === name)?.inputs;

        expect(inputsOf("User", "staging-alice")).toMatchObject({
            userId: "alice",
            email: "alice@example.org",
            name: "Alice",
            password: secretWire(seededUserPassword(secret, "alice")),
        });
        expect(inputsOf("User", "staging-bob")).toMatchObject({ userId: "bob", password: secretWire(seededUserPassword(secret, "bob")) });
        expect(inputsOf("UserLabels", "staging-alice")).toMatchObject({ userId: "alice", labels: ["tester"] });
        expect(inputsOf("UserPrefs", "staging-bob")).toMatchObject({ userId: "bob", prefs: {} });
        expect(inputsOf("UserStatus", "staging-bob")).toMatchObject({ userId: "bob", blocked: true });
        expect(inputsOf("UserTarget", "staging-alice-alice-sms")).toMatchObject({
            userId: "alice",
            targetId: "alice-sms",
            providerType: "sms",
            identifier: "+14155550101",
        });
    });

    it("declares every resource in the project it names, for each layout, and no project when it names none", async () => {
        const dynamic = () => declared.filter((d) => d.type.startsWith("pulumi-nodejs:dynamic/appwrite:"));
        for (const layout of ["resources", "bundles", "sets"] as const) {
            useStack("staging");
            const seeded = new SeededUsers("staging", { file: file(), passwordSecret: secret, project: "eu", layout });
            const urns = {
                resources: Object.values(seeded.users).map((u) => u.status.urn),
                bundles: Object.values(seeded.bundles).map((b) => b.urn),
                sets: Object.values(seeded.sets).map((s) => s.urn),
            };
            await promiseOf(pulumi.all(urns[layout]));
            expect(dynamic().length).toBe({ resources: 10, bundles: 2, sets: Object.keys(seeded.sets).length }[layout]);
            for (const d of dynamic()) expect(d.inputs.project).toBe("eu");
        }
        useStack("staging");
        await registered(new SeededUsers("staging", { file: file(), passwordSecret: secret }));
        for (const d of dynamic()) expect(d.inputs).not.toHaveProperty("project");
    });

    it("keeps each derived password secret", async () => {
        useStack("staging");
        const seeded = new SeededUsers("staging", { file: file(), passwordSecret: secret, layout: "resources" });
        const user = seeded.users.alice?.user;
        expect(user).toBeDefined();
        expect(await pulumi.isSecret((user as unknown as { password: pulumi.Output<string> }).password)).toBe(true);
    });

    it("declares nothing when the seed file is invalid", () => {
        useStack("staging");
        fs.writeFileSync(path.join(dir, "bad.yaml"), "- id: ok\n- id: _bad\n");
        expect(() => new SeededUsers("staging", { file: path.join(dir, "bad.yaml"), passwordSecret: secret })).toThrow(
            /bad\.yaml: users\[1\] \(id "_bad"\), field "id": must be 1 to 36 characters/,
        );
        expect(declared).toHaveLength(0);
    });

    it("refuses a production stack and declares nothing", () => {
        useStack("prod");
        expect(() => new SeededUsers("seed", { file: file(), passwordSecret: secret })).toThrow(
            'SeededUsers refuses to seed stack "prod": its name says production',
        );
        expect(declared).toHaveLength(0);
    });

    it("refuses a stack listed in appwrite-users:productionStacks", () => {
        useStack("live");
        pulumi.runtime.setConfig("appwrite-users:productionStacks", '["live"]');
        try {
            expect(() => new SeededUsers("seed", { file: file(), passwordSecret: secret })).toThrow(
                'SeededUsers refuses to seed stack "live": it is listed in appwrite-users:productionStacks',
            );
        } finally {
            pulumi.runtime.setConfig("appwrite-users:productionStacks", "[]");
        }
    });

    it("seeds a production stack when allowProduction is set", async () => {
        useStack("prod");
        const seeded = new SeededUsers("seed", { file: file(), passwordSecret: secret, allowProduction: true });
        expect(await promiseOf(seeded.userIds)).toEqual(["alice", "bob"]);
        await registered(seeded);
    });

    it("passes impersonator per user, and leaves it out for users whose entry does not set it", async () => {
        useStack("staging");
        const seeded = new SeededUsers("staging", { file: path.join(dir, "support.yaml"), passwordSecret: secret, layout: "resources" });
        await registered(seeded);
        const userInputs = (name: string) =>
            declared.find((d) => d.type === "pulumi-nodejs:dynamic/appwrite:User" && d.name === name)?.inputs;
        expect(userInputs("staging-support")).toMatchObject({ userId: "support", impersonator: true });
        expect(userInputs("staging-carol")).toMatchObject({ userId: "carol", impersonator: false });

        useStack("staging");
        const plain = new SeededUsers("staging", { file: file(), passwordSecret: secret, layout: "resources" });
        await registered(plain);
        expect(userInputs("staging-alice")).not.toHaveProperty("impersonator");
    });

    it("refuses impersonators on a production stack even with allowProduction, naming them, and declares nothing", () => {
        useStack("prod");
        expect(
            () => new SeededUsers("seed", { file: path.join(dir, "support.yaml"), passwordSecret: secret, allowProduction: true }),
        ).toThrow(
            'SeededUsers refuses to make impersonators on production stack "prod": the seed file sets impersonator: true for "support".',
        );
        expect(declared).toHaveLength(0);
    });

    it("makes impersonators on a production stack when allowProductionImpersonators is set as well", async () => {
        useStack("prod");
        const seeded = new SeededUsers("seed", {
            file: path.join(dir, "support.yaml"),
            passwordSecret: secret,
            allowProduction: true,
            allowProductionImpersonators: true,
        });
        expect(await promiseOf(seeded.userIds)).toEqual(["support", "carol"]);
        await registered(seeded);
    });
});
