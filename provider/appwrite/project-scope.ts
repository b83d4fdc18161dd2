/**
 * Which Appwrite project the current provider call acts on. A resource names its project once (its
 * `project` input, recorded in its outputs); the kind's entry (entry-provider.ts) runs each call inside
 * that project's scope, so every client, read batch and error of the call belongs to it without each
 * function passing the name on. Left out, the call acts on the default project (`appwrite:*`).
 */
import { AsyncLocalStorage } from "node:async_hooks";

const scope = new AsyncLocalStorage<string | undefined>();

/** Runs `work` acting on the project named `project` (undefined: the default project). */
export function inProject<T>(project: string | undefined, work: () => T): T {
    return scope.run(project, work);
}

/** The project the current call acts on; undefined for the default project. */
export function currentProject(): string | undefined {
    return scope.getStore();
}

/** How messages name a project: nothing for the default one. */
export function projectLabel(project: string | undefined): string {
    return project === undefined ? "" : ` in project "${project}"`;
}

const ENV_VARS = { endpoint: "APPWRITE_ENDPOINT", projectId: "APPWRITE_PROJECT_ID", apiKey: "APPWRITE_API_KEY" } as const;

/**
 * How a fix names a connection setting of the project the current call acts on, so that the fix points at
 * the key to change: `appwrite:apiKey` for the default project, `appwrite:projects.<name>.apiKey` for a
 * named one, each with its environment form unless `withEnvironment` is false.
 */
export function settingOfProject(key: keyof typeof ENV_VARS, withEnvironment = true): string {
    const project = currentProject();
    if (!withEnvironment) return project === undefined ? `\`appwrite:${key}\`` : `\`appwrite:projects.${project}.${key}\``;
    if (project === undefined) return `\`appwrite:${key}\` (or ${ENV_VARS[key]})`;
    const fallback = key === "endpoint" ? ", or appwrite:endpoint when it has none" : "";
    return `\`appwrite:projects.${project}.${key}\` (or "${key}" of "${project}" in APPWRITE_PROJECTS${fallback})`;
}

/** The command that sets the API key of the project the current call acts on. */
export function apiKeyCommand(): string {
    const project = currentProject();
    return project === undefined
        ? "`pulumi config set --secret appwrite:apiKey <key>`"
        : `\`pulumi config set --path --secret 'appwrite:projects.${project}.apiKey' <key>\``;
}
