import { AppwriteException, Client, Users } from "node-appwrite";
import { afterAll, beforeAll, expect } from "vitest";
import { type Emulator, startEmulator } from "./index";

export interface Harness {
    emu: Emulator;
    client: Client;
    users: Users;
}

export function clientFor(emu: Pick<Emulator, "endpoint" | "projectId" | "apiKey">, key = emu.apiKey, project = emu.projectId): Client {
    return new Client().setEndpoint(emu.endpoint).setProject(project).setKey(key);
}

/** One emulator per test file, talked to through the real node-appwrite client. */
export function useEmulator(): Harness {
    const h = {} as Harness;
    beforeAll(async () => {
        h.emu = await startEmulator();
        h.client = clientFor(h.emu);
        h.users = new Users(h.client);
    });
    afterAll(async () => {
        await h.emu.stop();
    });
    return h;
}

let counter = 0;
/** A fresh ID per call, so tests in one file never collide. */
export const uniqueId = (prefix = "u"): string => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function rejection(promise: Promise<unknown>): Promise<AppwriteException> {
    try {
        await promise;
    } catch (error) {
        expect(error).toBeInstanceOf(AppwriteException);
        return error as AppwriteException;
    }
    throw new Error("expected the request to fail");
}

/** Asserts the Appwrite error a request fails with: status, type and (when given) the exact message. */
export async function expectError(promise: Promise<unknown>, code: number, type: string, message?: string): Promise<AppwriteException> {
    const error = await rejection(promise);
    expect({ code: error.code, type: error.type }).toEqual({ code, type });
    if (message !== undefined) expect(error.message).toBe(message);
    return error;
}

/** Sends a raw call through node-appwrite's Client, for params the typed methods refuse to omit. */
export function rawCall(h: Harness, method: string, path: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const headers: Record<string, string> = { "X-Appwrite-Project": h.emu.projectId };
    if (method !== "GET") headers["content-type"] = "application/json";
    return h.client.call(method, new URL(h.emu.endpoint + path), headers, params);
}
