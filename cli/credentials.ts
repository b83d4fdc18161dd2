import { conflictWarning, CONNECTION_SETTINGS, resolveSettings, settingConflicts } from "../provider/appwrite/connection";
import { PROJECTS_CONFIG_KEY, PROJECTS_ENV_VAR } from "../provider/appwrite/projects";

/** The connection settings of the `appwrite-users` commands, each from the stack's config or else the environment. */
export interface Credentials {
    endpoint: string;
    projectId: string;
    apiKey: string;
    selfSigned?: string;
    /**
     * The further projects (`appwrite:projects`) as JSON: the stack config's entries over APPWRITE_PROJECTS',
     * key by key, as for the default project.
     */
    projects?: string;
}

class CredentialsError extends Error {
    override name = "CredentialsError";
}

/**
 * The settings by the provider's one precedence rule (`resolveSettings`): the stack's config wins over the
 * environment, key by key, so `--stack staging` talks to staging whatever APPWRITE_* a shell has left over.
 * `warn` gets a line naming both sources for each setting they give differently. Throws naming every
 * setting of the default project that is missing.
 */
export function resolveCredentials(
    env: NodeJS.ProcessEnv,
    config: Record<string, string>,
    warn: (line: string) => void = () => undefined,
): Credentials {
    const found = partialCredentials(env, config, warn);
    const missing = CONNECTION_SETTINGS.filter((s) => s.required && found[s.name] === undefined).map(
        (s) => `${s.envVar} (or ${s.configKey} in the stack's config)`,
    );
    if (missing.length > 0) {
        const apiKeyHint = missing.some((m) => m.startsWith("APPWRITE_API_KEY"))
            ? "; an exported state keeps appwrite:apiKey encrypted, so pass the key in APPWRITE_API_KEY"
            : "";
        throw new CredentialsError(`missing Appwrite settings: set ${missing.join(", ")}${apiKeyHint}`);
    }
    return found as Credentials;
}

/**
 * The settings that are set, by the same rule and with the same warning, missing ones left out: what a
 * command that acts only on named projects needs (their `endpoint` and `selfSigned` default to the default
 * project's; the provider words what a named project lacks).
 */
export function partialCredentials(
    env: NodeJS.ProcessEnv,
    config: Record<string, string>,
    warn: (line: string) => void = () => undefined,
): Partial<Credentials> {
    const fromConfig = (key: string) => config[key];
    const warning = conflictWarning(settingConflicts(fromConfig, env));
    if (warning !== undefined) warn(warning);
    const { values } = resolveSettings(fromConfig, env);
    const projects = mergedProjects(config[PROJECTS_CONFIG_KEY], env[PROJECTS_ENV_VAR]);
    return { ...values, ...(projects !== undefined ? { projects } : {}) };
}

/**
 * The stack config's further projects over the environment's, entry by entry and key by key (a key left
 * empty is unset). Unreadable text is passed on as is, for the provider to word.
 */
function mergedProjects(config: string | undefined, env: string | undefined): string | undefined {
    if (!config) return env || undefined;
    if (!env) return config;
    try {
        const stack = JSON.parse(config) as Record<string, Record<string, unknown>>;
        const ambient = JSON.parse(env) as Record<string, Record<string, unknown>>;
        const set = (entry: Record<string, unknown> | undefined) =>
            Object.fromEntries(Object.entries(entry ?? {}).filter(([, v]) => v !== "" && v !== null && v !== undefined));
        const names = new Set([...Object.keys(ambient), ...Object.keys(stack)]);
        return JSON.stringify(Object.fromEntries([...names].map((name) => [name, { ...set(ambient[name]), ...set(stack[name]) }])));
    } catch {
        return config;
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
