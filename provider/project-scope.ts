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
