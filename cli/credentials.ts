import { conflictWarning, CONNECTION_SETTINGS, resolveSettings } from "../provider/appwrite/connection";

/** The connection settings of the `appwrite-users` commands, each from the stack's config or else the environment. */
export interface Credentials {
    endpoint: string;
    projectId: string;
    apiKey: string;
    selfSigned?: string;
}

export class CredentialsError extends Error {
    override name = "CredentialsError";
}

/**
 * The settings by the provider's one precedence rule (`resolveSettings`): the stack's config wins over the
 * environment, key by key, so `--stack staging` talks to staging whatever APPWRITE_* a shell has left over.
 * `warn` gets a line naming both sources for each setting they give differently. Throws naming every
 * setting that is missing.
 */
export function resolveCredentials(env: NodeJS.ProcessEnv, config: Record<string, string>, warn: (line: string) => void = () => undefined): Credentials {
    const { values, conflicts } = resolveSettings((key) => config[key], env);
    const warning = conflictWarning(conflicts);
    if (warning !== undefined) warn(warning);
    const missing = CONNECTION_SETTINGS.filter((s) => s.required && values[s.name] === undefined).map((s) => `${s.envVar} (or ${s.configKey} in the stack's config)`);
    if (missing.length > 0) {
        const apiKeyHint = missing.some((m) => m.startsWith("APPWRITE_API_KEY"))
            ? "; an exported state keeps appwrite:apiKey encrypted, so pass the key in APPWRITE_API_KEY"
            : "";
        throw new CredentialsError(`missing Appwrite settings: set ${missing.join(", ")}${apiKeyHint}`);
    }
    return {
        endpoint: values.endpoint as string,
        projectId: values.projectId as string,
        apiKey: values.apiKey as string,
        ...(values.selfSigned !== undefined ? { selfSigned: values.selfSigned } : {}),
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
