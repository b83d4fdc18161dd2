/**
 * Settings and the one node-appwrite client of this process. Settings come from the stack config handed
 * to `configure` or, for any key it lacks, from the environment, read inside the method so nothing is
 * captured when Pulumi serializes the provider. The client is built lazily on first use and rebuilt only
 * when the settings change.
 */
import { Client, Users } from "node-appwrite";
import { missingSetting } from "./errors";

export interface Settings {
    endpoint: string;
    projectId: string;
    apiKey: string;
    selfSigned: boolean;
}

/** What `configure` receives: the dynamic-provider host's view of the stack config. */
export interface ConfigureRequest {
    config: { get(key: string): string | undefined };
}

const SETTINGS = [
    { name: "endpoint", configKey: "appwrite:endpoint", envVar: "APPWRITE_ENDPOINT", secret: false },
    { name: "projectId", configKey: "appwrite:projectId", envVar: "APPWRITE_PROJECT_ID", secret: false },
    { name: "apiKey", configKey: "appwrite:apiKey", envVar: "APPWRITE_API_KEY", secret: true },
] as const;

interface State {
    configured: Partial<Record<"endpoint" | "projectId" | "apiKey" | "selfSigned", string>>;
    /** Settled once `configure` has stored its settings; methods wait on it. */
    ready: Promise<void>;
    client?: { key: string; users: Users };
}

const state: State = { configured: {}, ready: Promise.resolve() };

/**
 * Stores the stack config. It never throws (the host would keep a half-configured provider forever) and
 * assigns `ready` before anything else, so a call racing with it waits instead of seeing no settings.
 */
export function configure(req: ConfigureRequest): void {
    let settle: () => void = () => undefined;
    state.ready = new Promise<void>((resolve) => (settle = resolve));
    try {
        const read = (key: string) => {
            const value = req.config.get(key);
            return value === undefined || value === "" ? undefined : value;
        };
        state.configured = {
            endpoint: read("appwrite:endpoint"),
            projectId: read("appwrite:projectId"),
            apiKey: read("appwrite:apiKey"),
            selfSigned: read("appwrite:selfSigned"),
        };
    } catch {
        state.configured = {};
    } finally {
        settle();
    }
}

function parseBoolean(value: string | undefined): boolean {
    return value !== undefined && ["true", "1", "yes"].includes(value.trim().toLowerCase());
}

/** The effective settings: stack config first, then the environment. Throws naming the missing key. */
export async function settings(): Promise<Settings> {
    await state.ready;
    const resolved: Record<string, string> = {};
    for (const s of SETTINGS) {
        const value = state.configured[s.name] ?? (process.env[s.envVar] || undefined);
        if (value === undefined) throw missingSetting(s.configKey, s.envVar, s.secret);
        resolved[s.name] = value;
    }
    return {
        endpoint: resolved.endpoint as string,
        projectId: resolved.projectId as string,
        apiKey: resolved.apiKey as string,
        selfSigned: parseBoolean(state.configured.selfSigned ?? process.env.APPWRITE_SELF_SIGNED),
    };
}

/** The Users service for the current settings, built on first use. */
export async function appwriteUsers(): Promise<Users> {
    const s = await settings();
    const key = JSON.stringify([s.endpoint, s.projectId, s.apiKey, s.selfSigned]);
    if (state.client?.key !== key) {
        const client = new Client().setEndpoint(s.endpoint).setProject(s.projectId).setKey(s.apiKey);
        if (s.selfSigned) client.setSelfSigned(true);
        state.client = { key, users: new Users(client) };
    }
    return state.client.users;
}
