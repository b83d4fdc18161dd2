import { scryptSync } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { OperationError, Stack } from "../engine";
import { seededUserPassword } from "../../sdk/seed-password";

/** The staging-seed example run the way `pulumi up` runs it, against the emulator. */

const projectDir = path.resolve(__dirname, "..", "..", "examples", "staging-seed");
const secret = "staging-seed-secret-for-tests-0123456789";
const SEEDED = 50;
const TARGETS = 7;

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
    emulator = await startEmulator();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "staging-seed-"));
});
afterAll(async () => {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

function stack(stackName: string): Stack {
    return new Stack({
        projectDir,
        stackName,
        passphrase: "staging passphrase",
        stateFile: path.join(dir, `${stackName}.json`),
        useStackConfigFile: false,
        config: {
            "appwrite:endpoint": emulator.endpoint,
            "appwrite:projectId": emulator.projectId,
            "appwrite:apiKey": { value: emulator.apiKey, secret: true },
            seedPasswordSecret: { value: secret, secret: true },
            layout: "resources",
        },
    });
}

/** The emulator keeps `$argon2id$…$<salt>$<digest>` with a scrypt digest; a login compares the same way. */
function passwordMatches(userId: string, password: string): boolean {
    const stored = emulator.store.user(userId)?.password ?? "";
    const [salt, digest] = stored.split("$").slice(-2);
    if (salt === undefined || digest === undefined) return false;
    const computed = scryptSync(password, Buffer.from(salt, "base64"), 32, { N: 1024, r: 8, p: 1 });
    return computed.toString("base64").replace(/=+$/, "") === digest;
}

describe("examples/staging-seed through the engine harness", () => {
    const staging = () => stack("staging");

    it("up seeds the 50 users of users.yaml with their labels, prefs, status and targets", async () => {
        const seed = staging();
        const result = await seed.up();
        const creates = result.steps.filter((s) => s.op === "create" && s.type.startsWith("pulumi-nodejs:dynamic/appwrite:"));
        expect(creates).toHaveLength(SEEDED * 4 + TARGETS);
        expect(emulator.store.users.size).toBe(SEEDED);

        const user = emulator.store.user("staging-user-14");
        expect(user).toMatchObject({ email: "hedy.lamarr@example.org", name: "Hedy Lamarr", labels: ["staging", "support", "mobile"] });
        expect(user?.prefs).toEqual({ locale: "es", theme: "light", onboardingDone: true });
        expect(emulator.store.user("staging-user-13")?.status).toBe(false);
        expect([...emulator.store.targets.values()].filter((t) => t.providerType === "push")).toHaveLength(TARGETS);
        expect(seed.outputs().seededUserIds).toHaveLength(SEEDED);
    });

    it("gives each seeded user the password seededUserPassword derives, so CI can log in", () => {
        expect(passwordMatches("staging-user-01", seededUserPassword(secret, "staging-user-01"))).toBe(true);
        expect(passwordMatches("staging-user-50", seededUserPassword(secret, "staging-user-50"))).toBe(true);
        expect(passwordMatches("staging-user-01", seededUserPassword(secret, "staging-user-02"))).toBe(false);
    });

    it("keeps the derived passwords and the seed secret out of the state in plaintext", () => {
        const state = fs.readFileSync(path.join(dir, "staging.json"), "utf8");
        expect(state).not.toContain(seededUserPassword(secret, "staging-user-01"));
        expect(state).not.toContain(secret);
    });

    it("a second up changes nothing and sends no request to Appwrite", async () => {
        emulator.resetRequestCounts();
        const result = await staging().up();
        expect(result.steps.filter((s) => s.op !== "same")).toEqual([]);
        expect(emulator.totalRequests()).toBe(0);
    });

    it("destroy removes every seeded user", async () => {
        await staging().destroy();
        expect(emulator.store.users.size).toBe(0);
        expect(emulator.store.targets.size).toBe(0);
    });

    it("refuses to seed a stack named prod and creates nothing", async () => {
        emulator.resetRequestCounts();
        let error: unknown;
        try {
            await stack("prod").up();
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(OperationError);
        expect((error as OperationError).message).toContain('SeededUsers refuses to seed stack "prod": its name says production');
        expect(emulator.writeRequests()).toBe(0);
    });
});
