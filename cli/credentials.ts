/** The connection settings of the drift check, each from the environment or else the stack's config. */
export interface Credentials {
    endpoint: string;
    projectId: string;
    apiKey: string;
    selfSigned?: string;
}

const KEYS = [
    { name: "endpoint", env: "APPWRITE_ENDPOINT", config: "appwrite:endpoint" },
    { name: "projectId", env: "APPWRITE_PROJECT_ID", config: "appwrite:projectId" },
    { name: "apiKey", env: "APPWRITE_API_KEY", config: "appwrite:apiKey" },
] as const;

class CredentialsError extends Error {
    override name = "CredentialsError";
}

/**
 * The environment wins over the stack's config: in CI it is set on purpose for this run, while the
 * config is what the stack was last deployed with. Throws naming every setting that is missing.
 */
export function resolveCredentials(env: NodeJS.ProcessEnv, config: Record<string, string>): Credentials {
    const pick = (envVar: string, configKey: string) => {
        const fromEnv = env[envVar];
        return fromEnv !== undefined && fromEnv !== "" ? fromEnv : config[configKey] || undefined;
    };
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
    const selfSigned = pick("APPWRITE_SELF_SIGNED", "appwrite:selfSigned");
    return {
        endpoint: values.endpoint as string,
        projectId: values.projectId as string,
        apiKey: values.apiKey as string,
        ...(selfSigned !== undefined ? { selfSigned } : {}),
    };
}

/** The config view handed to the provider's `configure`, as the dynamic-provider host would. */
export function asProviderConfig(credentials: Credentials): { get(key: string): string | undefined } {
    const map: Record<string, string | undefined> = {
        "appwrite:endpoint": credentials.endpoint,
        "appwrite:projectId": credentials.projectId,
        "appwrite:apiKey": credentials.apiKey,
        "appwrite:selfSigned": credentials.selfSigned,
    };
    return { get: (key) => map[key] };
}
