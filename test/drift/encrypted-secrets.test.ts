import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { configure, providers } from "../../provider";
import { checkDrift } from "../../cli/drift-check";
import { asProviderConfig } from "../../cli/credentials";
import type { StackState } from "../../cli/drift-state";

/** A stack export encrypts `password` and `passwordHash`; the drift check must not mistake that for drift. */

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const encrypted = (n: number) => ({ ...SIG, ciphertext: `v1:bm9uY2U=:ciphertext-${n}` });

let emulator: Emulator;

beforeAll(async () => {
    emulator = await startEmulator();
});
afterAll(() => emulator.stop());

describe("drift on state whose secrets are encrypted", () => {
    it("reports no drift for a user imported with a password hash", async () => {
        const credentials = { endpoint: emulator.endpoint, projectId: emulator.projectId, apiKey: emulator.apiKey };
        configure({ config: asProviderConfig(credentials) });
        const inputs = {
            userId: "hashed",
            email: "hashed@example.org",
            name: "Imported",
            passwordHash: { algorithm: "md5", hash: "5f4dcc3b5aa765d61d8327deb882cf99" },
        };
        const created = await providers.User?.create?.(inputs);
        const outs = created?.outs as Record<string, unknown>;
        expect(outs.passwordHash).toEqual(inputs.passwordHash);

        const state: StackState = {
            stack: "staging",
            config: {},
            resources: [
                {
                    urn: "urn:pulumi:staging::seed::pulumi-nodejs:dynamic/appwrite:User::hashed",
                    name: "hashed",
                    kind: "User",
                    id: "hashed",
                    inputs: { ...inputs, passwordHash: encrypted(1) },
                    outputs: { ...outs, password: outs.password === null ? null : encrypted(2), passwordHash: encrypted(3) },
                    secrets: ["password", "passwordHash"],
                },
            ],
        };
        const report = await checkDrift(state, credentials);
        expect(report.drift).toEqual([]);
        expect(report.checked).toBe(1);
    });
});
