import { PROJECTS_CONFIG_KEY, PROJECTS_ENV_VAR } from "../provider/project-settings";

/** The connection settings of the drift check, each from the environment or else the stack's config. */
export interface Credentials {
    endpoint: string;
    projectId: string;
    apiKey: string;
    selfSigned?: string;
    /**
     * The further projects (`appwrite:projects`) as JSON: APPWRITE_PROJECTS' entries over the stack config's,
     * key by key, as for the default project.
     */
    projects?: string;
}

const KEYS = [
    { name: "endpoint", env: "APPWRITE_ENDPOINT", config: "appwrite:endpoint" },
    { name: "projectId", env: "APPWRITE_PROJECT_ID", config: "appwrite:projectId" },
    { name: "apiKey", env: "APPWRITE_API_KEY", config: "appwrite:apiKey" },
] as const;

export class CredentialsError extends Error {
    override name = "CredentialsError";
}

/**
 * The environment wins over the stack's config: in CI it is set on purpose for this run, while the
 * config is what the stack was last deployed with. Throws naming every setting that is missing.
 */
export function resolveCredentials(env: NodeJS.ProcessEnv, config: Record<string, string>): Credentials {
    const pick = picker(env, config);
    const missing: string[] = [];
    const values: Partial<Record<(typeof KEYS)[number]["name"], string>> = {};
    for (const key of KEYS) {
        const value = pick(key.env, key.config);
        if (value === undefined) missing.push(`${key.env} (or ${key.config} in the stack's config)`);
        else values[key.name] = value;
    }
    if (missing.length > 0) {
        const apiKeyHint = missing.some((m) => m.startsWith("APPWRITE_API_KEY"))
            ? "; an exported state keeps appwrite:apiKey encrypted, so pass the key in APPWRITE_API_KEY"
            : "";
        throw new CredentialsError(`missing Appwrite settings: set ${missing.join(", ")}${apiKeyHint}`);
    }
    return { ...partialCredentials(env, config), endpoint: values.endpoint as string, projectId: values.projectId as string, apiKey: values.apiKey as string };
}

function picker(env: NodeJS.ProcessEnv, config: Record<string, string>) {
    return (envVar: string, configKey: string) => {
        const fromEnv = env[envVar];
        return fromEnv !== undefined && fromEnv !== "" ? fromEnv : config[configKey] || undefined;
    };
}

/**
 * The settings that are set, with the same precedence, missing ones left out: what a command that acts only on
 * named projects needs (their `endpoint` and `selfSigned` default to the default project's).
 */
export function partialCredentials(env: NodeJS.ProcessEnv, config: Record<string, string>): Partial<Credentials> {
    const pick = picker(env, config);
    const found: Partial<Credentials> = {};
    for (const key of KEYS) {
        const value = pick(key.env, key.config);
        if (value !== undefined) found[key.name] = value;
    }
    const selfSigned = pick("APPWRITE_SELF_SIGNED", "appwrite:selfSigned");
    if (selfSigned !== undefined) found.selfSigned = selfSigned;
    const projects = mergedProjects(env[PROJECTS_ENV_VAR], config[PROJECTS_CONFIG_KEY]);
    if (projects !== undefined) found.projects = projects;
    return found;
}

/** The two JSON texts of further projects as one, `first`'s keys winning; unreadable text is passed on as is, for the provider to word. */
function mergedProjects(first: string | undefined, second: string | undefined): string | undefined {
    if (!first) return second || undefined;
    if (!second) return first;
    try {
        const a = JSON.parse(first) as Record<string, Record<string, unknown>>;
        const b = JSON.parse(second) as Record<string, Record<string, unknown>>;
        const names = new Set([...Object.keys(b), ...Object.keys(a)]);
        return JSON.stringify(Object.fromEntries([...names].map((name) => [name, { ...b[name], ...a[name] }])));
    } catch {
        return first;
    }
}

/** The config view handed to the provider's `configure`, as the dynamic-provider host would. */
export function asProviderConfig(credentials: Partial<Credentials>): { get(key: string): string | undefined } {
    const map: Record<string, string | undefined> = {
        "appwrite:endpoint": credentials.endpoint,
        "appwrite:projectId": credentials.projectId,
        "appwrite:apiKey": credentials.apiKey,
        "appwrite:selfSigned": credentials.selfSigned,
        [PROJECTS_CONFIG_KEY]: credentials.projects,
    };
    return { get: (key) => map[key] };
}
