/**
 * The Appwrite that provider tests talk to: the emulator in test/emulator, or a real Appwrite when
 * APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID and APPWRITE_API_KEY are set. Either way tests go through
 * node-appwrite over HTTP: `users` makes changes outside Pulumi, `provider(kind)` calls the provider
 * methods with the settings configured as Pulumi's `configure` would.
 */
import { randomBytes } from "node:crypto";
import { Client, Users } from "node-appwrite";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { startEmulator, type Emulator } from "../emulator";
import { configure, providers } from "../../provider";
import { resetReadAhead } from "../../provider/appwrite/read-ahead";
import { configureRetries } from "../../provider/appwrite/retry";
import type { ResourceKind } from "../../provider/kinds";

type Settings = Record<"appwrite:endpoint" | "appwrite:projectId" | "appwrite:apiKey" | "appwrite:selfSigned", string>;

export interface TestAppwrite {
    endpoint: string;
    projectId: string;
    apiKey: string;
    /** A node-appwrite Users client with full access, for changes made outside Pulumi. */
    users: Users;
    /** Present when the tests run against the emulator. */
    emulator: Emulator | undefined;
    /** Configures the provider with these settings, or with `overrides` in place of some of them. */
    configure(overrides?: Partial<Record<keyof Settings | "appwrite:maxConcurrency", string | undefined>>): void;
    /** The provider of a kind, every method present. */
    provider(kind: ResourceKind): Required<ResourceProvider>;
    stop(): Promise<void>;
}

const realAppwrite = () => {
    const { APPWRITE_ENDPOINT: endpoint, APPWRITE_PROJECT_ID: projectId, APPWRITE_API_KEY: apiKey } = process.env;
    return endpoint && projectId && apiKey ? { endpoint, projectId, apiKey } : undefined;
};

/** IDs handed out by `uniqueId`, deleted by `stop()` when the tests ran against a real Appwrite. */
const handedOut = new Set<string>();

/** A user ID no other test (or earlier run against a real Appwrite) has used. */
export function uniqueId(prefix: string): string {
    const id = `${prefix.slice(0, 22)}-${randomBytes(6).toString("hex")}`;
    handedOut.add(id);
    return id;
}

let phoneCounter = 0;

/** A phone number (US calling code) unlikely to be taken by another test or run; phones are unique per project. */
export function uniquePhone(): string {
    phoneCounter += 1;
    const digits = (randomBytes(3).readUIntBE(0, 3) % 10_000) * 1000 + (phoneCounter % 1000);
    return `+1415${String(digits).padStart(7, "0")}`;
}

function connect(endpoint: string, projectId: string, apiKey: string, emulator: Emulator | undefined): TestAppwrite {
    const settings: Settings = {
        "appwrite:endpoint": endpoint,
        "appwrite:projectId": projectId,
        "appwrite:apiKey": apiKey,
        "appwrite:selfSigned": process.env.APPWRITE_SELF_SIGNED ?? "false",
    };
    const client = new Client().setEndpoint(endpoint).setProject(projectId).setKey(apiKey);
    if (settings["appwrite:selfSigned"] === "true") client.setSelfSigned(true);
    const appwrite: TestAppwrite = {
        endpoint,
        projectId,
        apiKey,
        users: new Users(client),
        emulator,
        configure(overrides = {}) {
            // A new configuration stands for a new provider host, which starts with no page read ahead.
            resetReadAhead();
            const config: Record<string, string | undefined> = { ...settings, ...overrides };
            configure({ config: { get: (key) => config[key] } });
        },
        provider: (kind) => providers[kind] as Required<ResourceProvider>,
        stop: async () => {
            if (emulator !== undefined) return emulator.stop();
            const users = new Users(client);
            for (const userId of handedOut) await users.delete({ userId }).catch(() => undefined);
            handedOut.clear();
        },
    };
    // Tests wait for retries; keep the backoff tiny but the number of attempts as shipped.
    configureRetries({ initialDelayMs: 1, maxDelayMs: 4 });
    appwrite.configure();
    return appwrite;
}

/** The real Appwrite named by the environment, or else a fresh emulator. */
export async function startAppwrite(): Promise<TestAppwrite> {
    const real = realAppwrite();
    if (real !== undefined) return connect(real.endpoint, real.projectId, real.apiKey, undefined);
    return startEmulatedAppwrite();
}

export type EmulatedAppwrite = TestAppwrite & { emulator: Emulator };

/** Always a fresh emulator, for tests that count requests, inject faults or add limited keys. */
export async function startEmulatedAppwrite(): Promise<EmulatedAppwrite> {
    const emulator = await startEmulator();
    return { ...connect(emulator.endpoint, emulator.projectId, emulator.apiKey, emulator), emulator };
}

/**
 * Gives the test file one fresh emulator, handed to `use` once started and stopped after the file's tests. Each test
 * starts from the shipped settings and zero request counts, so a test's count assertions see only its own requests.
 */
export function useEmulatedAppwrite(use: (appwrite: EmulatedAppwrite) => void): void {
    let appwrite: EmulatedAppwrite | undefined;
    beforeAll(async () => {
        appwrite = await startEmulatedAppwrite();
        use(appwrite);
    });
    afterAll(() => appwrite?.stop());
    beforeEach(() => {
        appwrite?.configure();
        appwrite?.emulator.resetRequestCounts();
    });
}
