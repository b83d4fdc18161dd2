import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { FaultSpec } from "./faults";
import { EmulatorServer } from "./server";
import { loadState, saveState } from "./state-file";
import type { Store } from "./store";

export type { FaultSpec } from "./faults";
export { StateFileError } from "./state-file";

export interface EmulatorOptions {
    projectId?: string;
    apiKey?: string;
    /** 0 or absent: a free port. */
    port?: number;
    latencyMs?: number;
    /** Load users and targets from this JSON file and save every change to it. */
    stateFile?: string;
}

export interface Emulator {
    /** `http://127.0.0.1:<port>/v1`, ready for `Client.setEndpoint`. */
    endpoint: string;
    projectId: string;
    apiKey: string;
    /** The HS256 key the emulator signs JWTs with, so tests can verify them. */
    jwtSecret: string;
    port: number;
    /** The data behind the API, for tests that need many users without many requests. */
    store: Store;
    /** Requests by `METHOD /v1/route/:param`. */
    requestCounts(): Record<string, number>;
    totalRequests(): number;
    /** POST, PUT, PATCH and DELETE requests. */
    writeRequests(): number;
    resetRequestCounts(): void;
    setLatency(ms: number): void;
    injectFault(fault: FaultSpec): void;
    /** Drops the faults not yet consumed. */
    clearFaults(): void;
    /** An extra API key limited to the given scopes (`users.read`, `users.write`, `sessions.read`, `sessions.write`). */
    addKey(secret: string, scopes: string[]): void;
    stop(): Promise<void>;
}

/** Starts the Appwrite Users API emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const projectId = options.projectId ?? "emulator-project";
    const apiKey = options.apiKey ?? `standard_${randomBytes(32).toString("hex")}`;
    const server = new EmulatorServer({ projectId, apiKey, latencyMs: options.latencyMs ?? 0 });
    const stateFile = options.stateFile;
    if (stateFile !== undefined) {
        loadState(stateFile, server.store);
        server.store.onChange(() => saveState(stateFile, server.store));
    }
    await new Promise<void>((resolve, reject) => {
        server.http.once("error", reject);
        server.http.listen(options.port ?? 0, "127.0.0.1", () => {
            server.http.off("error", reject);
            resolve();
        });
    });
    const port = (server.http.address() as AddressInfo).port;
    return {
        endpoint: `http://127.0.0.1:${port}/v1`,
        projectId,
        apiKey,
        jwtSecret: server.jwtSecret,
        port,
        store: server.store,
        requestCounts: () => Object.fromEntries(server.counts),
        totalRequests: () => server.totalRequests(),
        writeRequests: () => server.writeRequests(),
        resetRequestCounts: () => server.counts.clear(),
        setLatency: (ms) => {
            server.latencyMs = ms;
        },
        injectFault: (fault) => server.addFault(fault),
        clearFaults: () => server.faults.clear(),
        addKey: (secret, scopes) => {
            server.keys.set(secret, new Set(scopes));
        },
        stop: () =>
            new Promise<void>((resolve, reject) => {
                server.http.close((error) => (error ? reject(error) : resolve()));
                server.http.closeAllConnections();
            }),
    };
}
