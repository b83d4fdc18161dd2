import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appwriteUsers, configure, settings } from "../../provider/appwrite/connection";
import { providerObject } from "../../sdk/provider-object";
import type { Emulator } from "../emulator";
import { startEmulatedAppwrite, uniqueId, type TestAppwrite } from "../support/appwrite";

const ENV_KEYS = ["APPWRITE_ENDPOINT", "APPWRITE_PROJECT_ID", "APPWRITE_API_KEY", "APPWRITE_SELF_SIGNED"] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let appwrite: TestAppwrite & { emulator: Emulator };
const user = () => appwrite.provider("User");
const noConfig = { config: { get: () => undefined } };

beforeAll(async () => {
    appwrite = await startEmulatedAppwrite();
});
afterAll(() => appwrite.stop());
beforeEach(() => {
    for (const key of ENV_KEYS) delete process.env[key];
});
afterEach(() => {
    for (const key of ENV_KEYS) {
        if (savedEnv[key] === undefined) delete process.env[key];
        else process.env[key] = savedEnv[key];
    }
});

describe("Settings", () => {
    it("come from the environment, read inside the method, when the stack config has none", async () => {
        configure(noConfig);
        process.env.APPWRITE_ENDPOINT = appwrite.endpoint;
        process.env.APPWRITE_PROJECT_ID = appwrite.projectId;
        process.env.APPWRITE_API_KEY = appwrite.apiKey;
        const userId = uniqueId("env");
        await expect(user().create({ userId })).resolves.toMatchObject({ id: userId });
    });

    it("take the stack config over the environment", async () => {
        process.env.APPWRITE_ENDPOINT = "http://127.0.0.1:1/v1";
        process.env.APPWRITE_API_KEY = "standard_from-the-environment";
        appwrite.configure();
        await expect(settings()).resolves.toEqual({
            endpoint: appwrite.endpoint,
            projectId: appwrite.projectId,
            apiKey: appwrite.apiKey,
            selfSigned: false,
        });
    });

    it("read appwrite:selfSigned and APPWRITE_SELF_SIGNED as booleans", async () => {
        appwrite.configure({ "appwrite:selfSigned": "true" });
        expect((await settings()).selfSigned).toBe(true);
        appwrite.configure({ "appwrite:selfSigned": undefined });
        process.env.APPWRITE_SELF_SIGNED = "false";
        expect((await settings()).selfSigned).toBe(false);
    });

    it("reach a call that started before configure finished, which waits for them", async () => {
        configure(noConfig);
        const userId = uniqueId("race");
        const racing = user().create({ userId });
        appwrite.configure();
        await expect(racing).resolves.toMatchObject({ id: userId });
    });

    it("never make configure throw, even when the config cannot be read", async () => {
        const broken = {
            config: {
                get: (): string => {
                    throw new Error("unreadable config");
                },
            },
        };
        expect(() => configure(broken)).not.toThrow();
        await expect(settings()).rejects.toThrow("appwrite:endpoint");
    });
});

describe("The node-appwrite client", () => {
    it("is built once and reused while the settings stay the same", async () => {
        appwrite.configure();
        const first = await appwriteUsers();
        appwrite.configure();
        expect(await appwriteUsers()).toBe(first);
        appwrite.configure({ "appwrite:apiKey": "standard_another-key" });
        expect(await appwriteUsers()).not.toBe(first);
    });
});

// What installed packages store is pinned through the real CLI with the packed package
// (test/install/layouts.test.ts); loaded from this checkout, outside node_modules, the SDK uses the forwarder.
describe("The serialized provider (__provider) of a checkout outside node_modules", () => {
    it("is the forwarder, which captures no setting or secret, stays under 2.5 KB and is identical across serializations", async () => {
        const secret = "standard_secret-that-must-not-be-captured";
        process.env.APPWRITE_API_KEY = secret;
        process.env.APPWRITE_ENDPOINT = "https://appwrite.internal.example.org/v1";
        appwrite.configure({ "appwrite:apiKey": secret });
        const serialize = async () => {
            const provider = providerObject("User");
            return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        };
        const [first, second] = [await serialize(), await serialize()];
        expect(first.containsSecrets).toBe(false);
        expect(first.text).not.toContain(secret);
        expect(first.text).not.toContain("appwrite.internal.example.org");
        expect(first.text).not.toContain(appwrite.endpoint);
        // Seven one-line forwarding methods come to about 2.4 KB once the closure serializer wraps each of them.
        expect(Buffer.byteLength(first.text)).toBeLessThan(2560);
        expect(second.text).toBe(first.text);
        expect(first.text).toContain('require("pulumi-appwrite-users/provider").providers[this.kind]');
    });

    it("is one object per kind, so a program serializes five providers rather than one per resource", () => {
        expect(providerObject("User")).toBe(providerObject("User"));
        expect(providerObject("UserLabels")).not.toBe(providerObject("User"));
    });
});
