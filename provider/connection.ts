/**
 * Settings and the node-appwrite clients of this process, one per project. Settings come from the stack
 * config handed to `configure` or, for any key it lacks, from the environment, read inside the method so
 * nothing is captured when Pulumi serializes the provider. The default project is `appwrite:*`; further
 * projects are the named entries of `appwrite:projects` (project-settings.ts). Each project's client is
 * built lazily on first use, from that project's settings alone, and rebuilt only when they change.
 */
import { createRequire } from "module";
import { Client, Users } from "node-appwrite";
import { missingSetting } from "./errors";
import { withAnswer } from "./answer";
import { currentProject } from "./project-scope";
import { PROJECTS_CONFIG_KEY, PROJECTS_ENV_VAR, projectNames, resolveProject, type ProjectSources } from "./project-settings";

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
    configured: Partial<Record<"endpoint" | "projectId" | "apiKey" | "selfSigned" | "projects", string>>;
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
        const read = (key: string) => {
            const value = req.config.get(key);
            return value === undefined || value === "" ? undefined : value;
        };
        state.configured = {
            endpoint: read("appwrite:endpoint"),
            projectId: read("appwrite:projectId"),
            apiKey: read("appwrite:apiKey"),
            selfSigned: read("appwrite:selfSigned"),
            projects: read(PROJECTS_CONFIG_KEY),
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
    return { config: state.configured.projects, env: process.env[PROJECTS_ENV_VAR] || undefined };
}

/** The names of the configured projects (`appwrite:projects` and APPWRITE_PROJECTS), sorted. */
export async function configuredProjects(): Promise<string[]> {
    await state.ready;
    return projectNames(projectSources());
}

/**
 * The effective settings of a project (by default the one the current call acts on; undefined is the
 * default project): stack config first, then the environment. Throws naming the missing key.
 */
export async function settings(project: string | undefined = currentProject()): Promise<Settings> {
    await state.ready;
    if (project !== undefined) {
        const endpoint = state.configured.endpoint ?? (process.env.APPWRITE_ENDPOINT || undefined);
        return resolveProject(project, projectSources(), { endpoint, selfSigned: defaultSelfSigned() });
    }
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
        selfSigned: defaultSelfSigned(),
    };
}

function defaultSelfSigned(): boolean {
    return parseBoolean(state.configured.selfSigned ?? process.env.APPWRITE_SELF_SIGNED);
}

/** The part of undici's dispatcher and handler interfaces that node-appwrite's fetch uses. */
interface Dispatcher {
    dispatch(options: unknown, handler: { onHeaders?: (status: number, raw: unknown[], ...rest: unknown[]) => unknown }): unknown;
}

/** node-appwrite's own undici: its fetch is the one node-appwrite calls, and this is its default dispatcher. */
const undici = createRequire(require.resolve("node-appwrite"))("undici") as { getGlobalDispatcher(): Dispatcher };

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
class HeaderKeepingClient extends Client {
    private recorder: Record<string, string> | undefined;

    override prepareRequest(...args: Parameters<Client["prepareRequest"]>): ReturnType<Client["prepareRequest"]> {
        const prepared = super.prepareRequest(...args);
        const into = this.recorder;
        this.recorder = undefined;
        if (into !== undefined) {
            const inner = (prepared.options.dispatcher as Dispatcher | undefined) ?? undici.getGlobalDispatcher();
            prepared.options.dispatcher = recordingHeaders(inner, into) as typeof prepared.options.dispatcher;
        }
        return prepared;
    }

    override async call(...args: Parameters<Client["call"]>): Promise<unknown> {
        const [method, url] = args;
        const headers: Record<string, string> = {};
        this.recorder = headers;
        try {
            return await super.call(...args);
        } catch (err) {
            throw withAnswer(err, { method: method.toUpperCase(), url: `${url.origin}${url.pathname}`, headers });
        } finally {
            this.recorder = undefined;
        }
    }
}

/**
 * The Users service of a project (by default the one the current call acts on), built on first use from
 * that project's settings only: its key goes to its own endpoint with its own project ID.
 */
export async function appwriteUsers(project: string | undefined = currentProject()): Promise<Users> {
    const s = await settings(project);
    const key = JSON.stringify([s.endpoint, s.projectId, s.apiKey, s.selfSigned]);
    const held = state.clients.get(project ?? "");
    if (held?.key === key) return held.users;
    const client = new HeaderKeepingClient().setEndpoint(s.endpoint).setProject(s.projectId).setKey(s.apiKey);
    if (s.selfSigned) client.setSelfSigned(true);
    const users = new Users(client);
    state.clients.set(project ?? "", { key, users });
    return users;
}
