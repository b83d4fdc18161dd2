/**
 * Settings and the node-appwrite clients of this process, one per project. Settings come from the stack
 * config handed to `configure` or, for any key it lacks, from the environment (`resolveSettings`, the one
 * precedence rule of the provider, the SDK's helpers and every `appwrite-users` command), read inside the
 * method so nothing is captured when Pulumi serializes the provider. The default project is `appwrite:*`;
 * further projects are the named entries of `appwrite:projects` (projects.ts), resolved by the same rule.
 * Each project's client is built lazily on first use, from that project's settings alone, and rebuilt only
 * when they change.
 */
import { createRequire } from "module";
import type { Client, Users } from "node-appwrite";
import { missingSetting } from "./errors";
import { withAnswer } from "./answer-headers";
import { DEFAULT_MAX_CONCURRENCY, inFlight, setMaxConcurrency } from "./in-flight";
import { currentProject } from "./project-scope";
import { nodeAppwrite } from "./load-node-appwrite";
import { PROJECTS_CONFIG_KEY, PROJECTS_ENV_VAR, projectConflicts, projectNames, resolveProject, type ProjectSources } from "./projects";

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

/** The connection settings, each with its stack config key and its environment variable. */
export const CONNECTION_SETTINGS = [
    { name: "endpoint", configKey: "appwrite:endpoint", envVar: "APPWRITE_ENDPOINT", secret: false, required: true },
    { name: "projectId", configKey: "appwrite:projectId", envVar: "APPWRITE_PROJECT_ID", secret: false, required: true },
    { name: "apiKey", configKey: "appwrite:apiKey", envVar: "APPWRITE_API_KEY", secret: true, required: true },
    { name: "selfSigned", configKey: "appwrite:selfSigned", envVar: "APPWRITE_SELF_SIGNED", secret: false, required: false },
    { name: "maxConcurrency", configKey: "appwrite:maxConcurrency", envVar: "APPWRITE_MAX_CONCURRENCY", secret: false, required: false },
] as const;

type SettingName = (typeof CONNECTION_SETTINGS)[number]["name"];

/** A setting given by both sources with different values. */
export interface SettingConflict {
    configKey: string;
    envVar: string;
    secret: boolean;
    config: string;
    env: string;
}

export interface ResolvedSettings {
    values: Partial<Record<SettingName, string>>;
    conflicts: SettingConflict[];
}

/**
 * The one precedence rule: for each setting, the stack config when it holds a non-empty value, else the
 * environment. The stack config is what the user chose for this stack (`pulumi config set`, `--stack`),
 * while the environment is ambient and may be left over from another project. Settings set in both with
 * different values are returned as conflicts, for a warning that names both sources.
 */
export function resolveSettings(config: (key: string) => string | undefined, env: NodeJS.ProcessEnv): ResolvedSettings {
    const values: Partial<Record<SettingName, string>> = {};
    const conflicts: SettingConflict[] = [];
    for (const s of CONNECTION_SETTINGS) {
        const fromConfig = nonEmpty(config(s.configKey));
        const fromEnv = nonEmpty(env[s.envVar]);
        const value = fromConfig ?? fromEnv;
        if (value !== undefined) values[s.name] = value;
        if (fromConfig !== undefined && fromEnv !== undefined && fromConfig !== fromEnv) {
            conflicts.push({ configKey: s.configKey, envVar: s.envVar, secret: s.secret, config: fromConfig, env: fromEnv });
        }
    }
    return { values, conflicts };
}

/** The warning for settings given differently by the stack config and the environment; secrets are not shown. */
export function conflictWarning(conflicts: readonly SettingConflict[]): string | undefined {
    if (conflicts.length === 0) return undefined;
    const each = conflicts.map((c) =>
        c.secret
            ? `${c.configKey} in the stack config and ${c.envVar} in the environment hold different values`
            : `${c.configKey} in the stack config is "${c.config}" and ${c.envVar} in the environment is "${c.env}"`,
    );
    return `${each.join("; ")}: using the stack config. Unset ${conflicts.map((c) => c.envVar).join(", ")} or change the stack config so that they agree.`;
}

/**
 * Every setting, of the default project and of each named one, that the stack config and the environment
 * give differently, for `conflictWarning`. Projects whose settings do not parse have no conflicts here:
 * their error comes where the settings are used.
 */
export function settingConflicts(config: (key: string) => string | undefined, env: NodeJS.ProcessEnv): SettingConflict[] {
    let named: SettingConflict[] = [];
    try {
        named = projectConflicts({ config: nonEmpty(config(PROJECTS_CONFIG_KEY)), env: nonEmpty(env[PROJECTS_ENV_VAR]) });
    } catch {
        // reported by check, the lookups and the commands, which cannot go on without the settings
    }
    return [...resolveSettings(config, env).conflicts, ...named];
}

function nonEmpty(value: string | undefined): string | undefined {
    return value === undefined || value === "" ? undefined : value;
}

interface State {
    configured: Partial<Record<SettingName | "projects", string>>;
    /** Settled once `configure` has stored its settings; methods wait on it. */
    ready: Promise<void>;
    /** Clients by project name ("" for the default project), each with the settings it was built from. */
    clients: Map<string, { key: string; users: Users }>;
}

const state: State = { configured: {}, ready: Promise.resolve(), clients: new Map() };

/**
 * Stores the stack config. It never throws (the host would keep a half-configured provider forever) and
 * assigns `ready` before anything else, so a call racing with it waits instead of seeing no settings.
 */
export function configure(req: ConfigureRequest): void {
    let settle: () => void = () => undefined;
    state.ready = new Promise<void>((resolve) => (settle = resolve));
    try {
        state.configured = {
            ...Object.fromEntries(CONNECTION_SETTINGS.map((s) => [s.name, nonEmpty(req.config.get(s.configKey))])),
            projects: nonEmpty(req.config.get(PROJECTS_CONFIG_KEY)),
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

function projectSources(): ProjectSources {
    return { config: state.configured.projects, env: nonEmpty(process.env[PROJECTS_ENV_VAR]) };
}

/** The names of the configured projects (`appwrite:projects` and APPWRITE_PROJECTS), sorted. */
export async function configuredProjects(): Promise<string[]> {
    await state.ready;
    return projectNames(projectSources());
}

/** The default project's settings by the one precedence rule, each possibly missing. */
function defaultValues(): Partial<Record<SettingName, string>> {
    const configKeys = new Map<string, SettingName>(CONNECTION_SETTINGS.map((s) => [s.configKey, s.name]));
    return resolveSettings((key) => state.configured[configKeys.get(key) as SettingName], process.env).values;
}

/**
 * The effective settings of a project (by default the one the current call acts on; undefined is the
 * default project): stack config first, then the environment, key by key. Throws naming the missing key.
 */
export async function settings(project: string | undefined = currentProject()): Promise<Settings> {
    await state.ready;
    const values = defaultValues();
    if (project !== undefined) {
        return resolveProject(project, projectSources(), { endpoint: values.endpoint, selfSigned: parseBoolean(values.selfSigned) });
    }
    for (const s of CONNECTION_SETTINGS) {
        if (s.required && values[s.name] === undefined) throw missingSetting(s.configKey, s.envVar, s.secret);
    }
    return {
        endpoint: values.endpoint as string,
        projectId: values.projectId as string,
        apiKey: values.apiKey as string,
        selfSigned: parseBoolean(values.selfSigned),
    };
}

/**
 * The most requests in flight across the whole provider process, every project's together (in-flight.ts):
 * `appwrite:maxConcurrency`, else APPWRITE_MAX_CONCURRENCY, else 8. Anything but a whole number from 1 to
 * 256 is refused, naming the setting.
 */
async function maxConcurrencySetting(): Promise<number> {
    await state.ready;
    const value = defaultValues().maxConcurrency;
    if (value === undefined) return DEFAULT_MAX_CONCURRENCY;
    const n = Number(value.trim());
    if (Number.isInteger(n) && n >= 1 && n <= 256) return n;
    throw new Error(
        `appwrite:maxConcurrency (or APPWRITE_MAX_CONCURRENCY) is "${value}": it must be a whole number from 1 to 256, ` +
            `the most requests to Appwrite in flight at once (default ${DEFAULT_MAX_CONCURRENCY}). Fix it with \`pulumi config set appwrite:maxConcurrency 8\`.`,
    );
}

/** The part of undici's dispatcher and handler interfaces that node-appwrite's fetch uses. */
interface Dispatcher {
    dispatch(options: unknown, handler: { onHeaders?: (status: number, raw: unknown[], ...rest: unknown[]) => unknown }): unknown;
}

/** node-appwrite's own undici: its fetch is the one node-appwrite calls, and this is its default dispatcher. */
let nodeAppwriteUndici: { getGlobalDispatcher(): Dispatcher } | undefined;
const undici = () =>
    (nodeAppwriteUndici ??= createRequire(require.resolve("node-appwrite"))("undici") as { getGlobalDispatcher(): Dispatcher });

/** Passes every request on to `inner`, copying the answer's headers (names in lower case) into `into`. */
function recordingHeaders(inner: Dispatcher, into: Record<string, string>): Dispatcher {
    return {
        dispatch(options, handler) {
            const onHeaders = handler.onHeaders;
            if (onHeaders !== undefined) {
                handler.onHeaders = function (this: unknown, status, raw, ...rest) {
                    for (let i = 0; i + 1 < raw.length; i += 2) into[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
                    return onHeaders.call(this, status, raw, ...rest);
                };
            }
            return inner.dispatch(options, handler);
        },
    };
}

/**
 * A node-appwrite Client whose exceptions keep the request and the answer's headers. node-appwrite's
 * AppwriteException has neither, and a 429's wait is only in the headers (`Retry-After`,
 * `X-RateLimit-Reset`), while an answer that is not Appwrite's is best explained with the URL tried. `call` builds its
 * request with `prepareRequest` before its first await, so the recorder handed over here belongs to this
 * call; the request still goes through node-appwrite's fetch and dispatcher (its self-signed agent too).
 */
function keepingHeaders(NodeAppwriteClient: typeof Client): new () => Client {
    return class HeaderKeepingClient extends NodeAppwriteClient {
        private recorder: Record<string, string> | undefined;

        override prepareRequest(...args: Parameters<Client["prepareRequest"]>): ReturnType<Client["prepareRequest"]> {
            const prepared = super.prepareRequest(...args);
            const into = this.recorder;
            this.recorder = undefined;
            if (into !== undefined) {
                const inner = (prepared.options.dispatcher as Dispatcher | undefined) ?? undici().getGlobalDispatcher();
                prepared.options.dispatcher = recordingHeaders(inner, into) as typeof prepared.options.dispatcher;
            }
            return prepared;
        }

        override async call(...args: Parameters<Client["call"]>): Promise<unknown> {
            const [method, url] = args;
            const headers: Record<string, string> = {};
            this.recorder = headers;
            try {
                return await inFlight(() => super.call(...args));
            } catch (err) {
                throw withAnswer(err, { method: method.toUpperCase(), url: `${url.origin}${url.pathname}`, headers });
            } finally {
                this.recorder = undefined;
            }
        }
    };
}

let HeaderKeepingClient: (new () => Client) | undefined;

/** A client of the class above, made on first use from node-appwrite as it is loaded then (load-node-appwrite.ts). */
function headerKeepingClient(): Client {
    HeaderKeepingClient ??= keepingHeaders(nodeAppwrite().Client);
    return new HeaderKeepingClient();
}

/**
 * The Users service of a project (by default the one the current call acts on), built on first use from
 * that project's settings only: its key goes to its own endpoint with its own project ID.
 */
export async function appwriteUsers(project: string | undefined = currentProject()): Promise<Users> {
    setMaxConcurrency(await maxConcurrencySetting());
    const s = await settings(project);
    const key = JSON.stringify([s.endpoint, s.projectId, s.apiKey, s.selfSigned]);
    const held = state.clients.get(project ?? "");
    if (held?.key === key) return held.users;
    const client = headerKeepingClient().setEndpoint(s.endpoint).setProject(s.projectId).setKey(s.apiKey);
    if (s.selfSigned) client.setSelfSigned(true);
    const users = new (nodeAppwrite().Users)(client);
    state.clients.set(project ?? "", { key, users });
    return users;
}
