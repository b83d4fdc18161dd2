/**
 * Settings of the further projects a resource names with `project`: the entries of `appwrite:projects` in
 * the stack config and, for CI jobs without a stack, of the APPWRITE_PROJECTS environment variable, which
 * holds the same object as JSON:
 *
 *     appwrite:projects.<name>.{endpoint,projectId,apiKey,selfSigned}
 *     APPWRITE_PROJECTS='{"<name>":{"endpoint":"...","projectId":"...","apiKey":"...","selfSigned":false}}'
 *
 * As for the default project, the stack config comes first and the environment fills in, key by key and
 * name by name. `endpoint` and `selfSigned` default to the default project's; `projectId` and `apiKey`
 * never do, so a project's key is only ever sent with its own project ID.
 */
import type { SettingConflict } from "./connection";

export const PROJECTS_CONFIG_KEY = "appwrite:projects";
export const PROJECTS_ENV_VAR = "APPWRITE_PROJECTS";

export const PROJECT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const PROJECT_NAME_RULE = "1 to 64 characters of a-z, A-Z, 0-9, hyphen and underscore, starting with a letter or digit";

/** The project a resource's inputs or outputs name: undefined for the default one, or when not a usable name. */
export function projectOf(props: Record<string, unknown> | undefined): string | undefined {
    const project = props?.project;
    return typeof project === "string" && PROJECT_NAME_PATTERN.test(project) ? project : undefined;
}

const ENTRY_KEYS = ["endpoint", "projectId", "apiKey", "selfSigned"] as const;
type EntryKey = (typeof ENTRY_KEYS)[number];

/** One project's entry as written: every key optional, each a string (a boolean for `selfSigned` too). */
type ProjectEntry = Partial<Record<EntryKey, string>>;

export interface ProjectSettings {
    endpoint: string;
    projectId: string;
    apiKey: string;
    selfSigned: boolean;
}

/** What a named project falls back to for `endpoint` and `selfSigned`. */
export interface ProjectDefaults {
    endpoint: string | undefined;
    selfSigned: boolean;
}

/** The raw texts the entries come from: the stack config's JSON and the environment variable. */
export interface ProjectSources {
    config: string | undefined;
    env: string | undefined;
}

export class ProjectSettingsError extends Error {
    override name = "ProjectSettingsError";
}

function sourceName(source: "config" | "env"): string {
    return source === "config" ? `the stack config's \`${PROJECTS_CONFIG_KEY}\`` : `the ${PROJECTS_ENV_VAR} environment variable`;
}

/** The entries of one source by name; throws naming the source when it is not an object of objects. */
function entriesOf(text: string | undefined, source: "config" | "env"): Map<string, ProjectEntry> {
    const entries = new Map<string, ProjectEntry>();
    if (text === undefined || text.trim() === "") return entries;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (err) {
        throw new ProjectSettingsError(
            `${sourceName(source)} is not JSON (${(err as Error).message}); it maps project names to { endpoint, projectId, apiKey, selfSigned }`,
        );
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new ProjectSettingsError(
            `${sourceName(source)} must be an object mapping project names to { endpoint, projectId, apiKey, selfSigned }`,
        );
    }
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
        if (!PROJECT_NAME_PATTERN.test(name)) {
            throw new ProjectSettingsError(`${sourceName(source)} names a project "${name}"; a project name must be ${PROJECT_NAME_RULE}`);
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            throw new ProjectSettingsError(
                `${sourceName(source)}: project "${name}" must be an object with endpoint, projectId, apiKey and selfSigned`,
            );
        }
        const entry: ProjectEntry = {};
        for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
            if (!(ENTRY_KEYS as readonly string[]).includes(key)) {
                throw new ProjectSettingsError(
                    `${sourceName(source)}: project "${name}" has an unknown key "${key}"; the keys are ${ENTRY_KEYS.join(", ")}`,
                );
            }
            if (raw === null || raw === undefined || raw === "") continue;
            if (typeof raw !== "string" && typeof raw !== "boolean") {
                throw new ProjectSettingsError(`${sourceName(source)}: project "${name}" key "${key}" must be a string`);
            }
            entry[key as EntryKey] = String(raw);
        }
        entries.set(name, entry);
    }
    return entries;
}

/** Every configured project name, from either source, sorted. */
export function projectNames(sources: ProjectSources): string[] {
    return [...new Set([...entriesOf(sources.config, "config").keys(), ...entriesOf(sources.env, "env").keys()])].sort();
}

/**
 * The keys of named projects that both sources give, with different values: the stack config's is used,
 * as for the default project's settings (connection.ts: resolveSettings), and the warning names both.
 */
export function projectConflicts(sources: ProjectSources): SettingConflict[] {
    const fromEnv = entriesOf(sources.env, "env");
    const conflicts: SettingConflict[] = [];
    for (const [name, entry] of entriesOf(sources.config, "config")) {
        for (const key of ENTRY_KEYS) {
            const [config, env] = [entry[key], fromEnv.get(name)?.[key]];
            if (config === undefined || env === undefined || config === env) continue;
            conflicts.push({
                configKey: `${PROJECTS_CONFIG_KEY}.${name}.${key}`,
                envVar: `${PROJECTS_ENV_VAR}.${name}.${key}`,
                secret: key === "apiKey",
                config,
                env,
            });
        }
    }
    return conflicts;
}

/** How a message lists the configured names. */
function listedNames(names: readonly string[]): string {
    return names.length === 0
        ? `none (nothing is set under \`${PROJECTS_CONFIG_KEY}\` or in ${PROJECTS_ENV_VAR})`
        : names.map((n) => `"${n}"`).join(", ");
}

function parseBoolean(value: string | undefined): boolean | undefined {
    return value === undefined ? undefined : ["true", "1", "yes"].includes(value.trim().toLowerCase());
}

/** The config commands and environment entry that set one key of a project. */
function howToSet(name: string, key: EntryKey): string {
    const secret = key === "apiKey" ? " --secret" : "";
    return `\`pulumi config set --path${secret} '${PROJECTS_CONFIG_KEY}.${name}.${key}' <value>\` (or "${key}" in the "${name}" entry of ${PROJECTS_ENV_VAR})`;
}

/**
 * The error for a name that no source configures, naming what to set: "Add it" where a program names it
 * (check), "Restore its settings" where a resource recorded it and the config lost it (read, delete).
 */
export function projectNotConfigured(name: string, names: readonly string[], fix = "Restore its settings"): ProjectSettingsError {
    return new ProjectSettingsError(
        `the Appwrite project "${name}" is not configured (configured: ${listedNames(names)}). ` +
            `${fix}: ${howToSet(name, "projectId")}, ${howToSet(name, "apiKey")}` +
            `, and \`${PROJECTS_CONFIG_KEY}.${name}.endpoint\` unless it is appwrite:endpoint`,
    );
}

/**
 * The one function that resolves a named project's settings: each key from the stack config's entry, else
 * the environment's, else (endpoint and selfSigned only) the default project's. Throws naming the key to set.
 */
export function resolveProject(name: string, sources: ProjectSources, defaults: ProjectDefaults): ProjectSettings {
    const fromConfig = entriesOf(sources.config, "config").get(name);
    const fromEnv = entriesOf(sources.env, "env").get(name);
    if (fromConfig === undefined && fromEnv === undefined) throw projectNotConfigured(name, projectNames(sources));
    const pick = (key: EntryKey) => fromConfig?.[key] ?? fromEnv?.[key];
    const endpoint = pick("endpoint") ?? defaults.endpoint;
    const projectId = pick("projectId");
    const apiKey = pick("apiKey");
    const missing = [
        ...(endpoint === undefined ? [`${howToSet(name, "endpoint")} or appwrite:endpoint`] : []),
        ...(projectId === undefined ? [howToSet(name, "projectId")] : []),
        ...(apiKey === undefined ? [howToSet(name, "apiKey")] : []),
    ];
    if (endpoint === undefined || projectId === undefined || apiKey === undefined) {
        throw new ProjectSettingsError(`the Appwrite project "${name}" is missing settings: set ${missing.join(", ")}`);
    }
    return { endpoint, projectId, apiKey, selfSigned: parseBoolean(pick("selfSigned")) ?? defaults.selfSigned };
}
