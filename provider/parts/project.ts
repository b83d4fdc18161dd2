/**
 * What `project` means to every resource kind, decided once for all of them. A resource names the project
 * it lives in with its `project` input (an entry of `appwrite:projects`); left out, it lives in the default
 * project. Each kind's provider is wrapped so that:
 *
 * - every method runs in the scope of the resource's project (project-scope.ts): the client, the read
 *   batches and the error messages of the call are that project's;
 * - `check` refuses a name that is not configured, listing the configured ones, and a project whose
 *   settings are incomplete, naming the key to set;
 * - a change of `project` replaces the resource (a user cannot move between projects); the new one lives in
 *   another project, so it is created before the old one is deleted;
 * - the outputs record the name, and only the name, and only when declared, so stacks that never declare
 *   a project see no diff; `read` and `delete` use the recorded name.
 *
 * A kind only has to accept `project: projectInput` in its schema.
 */
import type { CheckFailure, CheckResult, DiffResult, ReadResult, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { configuredProjects, settings } from "../appwrite/connection";
import { inProject } from "../appwrite/project-scope";
import { PROJECT_NAME_PATTERN, PROJECT_NAME_RULE, projectNotConfigured, projectOf } from "../appwrite/projects";
import { text } from "../validation/rules";
import { isUnknown } from "../validation/unknown";
import type { Props } from "./props";

/**
 * The `project` every kind takes: the name of an entry of `appwrite:projects`. Whether it is configured is
 * checked with the settings (below), which also decide what a change of it means.
 */
export const projectInput = text(`the name of an entry of appwrite:projects, ${PROJECT_NAME_RULE}`)
    .regex(PROJECT_NAME_PATTERN, { error: `must be the name of an entry of appwrite:projects: ${PROJECT_NAME_RULE}` })
    .optional();

/** `outs` with the project recorded when the resource declares one. */
function recorded<T extends Props | undefined>(outs: T, project: string | undefined): T {
    if (project === undefined || outs === undefined) return outs;
    return { ...outs, project };
}

/** The failure of `check` for a project whose settings are unknown or incomplete; none when they resolve. */
async function projectFailures(news: Props): Promise<CheckFailure[]> {
    const project = projectOf(news);
    if (project === undefined) return [];
    const names = await configuredProjects().catch(() => undefined);
    if (names !== undefined && !names.includes(project)) {
        return [{ property: "project", reason: `is "${project}": ${projectNotConfigured(project, names, "Add it").message}` }];
    }
    try {
        await settings(project);
        return [];
    } catch (err) {
        return [{ property: "project", reason: `is "${project}": ${(err as Error).message}` }];
    }
}

/** The diff when `project` changed: a replacement, whatever else changed with it. */
function replacedForProject(inner: DiffResult): DiffResult {
    const replaces = [...new Set([...(inner.replaces ?? []), "project"])];
    const detailed = (inner as { detailedDiff?: Record<string, unknown> }).detailedDiff;
    const detailedDiff =
        detailed === undefined ? {} : { detailedDiff: { ...detailed, project: { kind: "update-replace", inputDiff: true } } };
    return { ...inner, changes: true, replaces, deleteBeforeReplace: false, ...detailedDiff } as DiffResult;
}

function projectChanged(olds: Props, news: Props): boolean {
    return isUnknown(news.project) || (olds.project ?? undefined) !== (news.project ?? undefined);
}

/** The kind's provider with `project` handled as described above. */
export function withProject(provider: ResourceProvider): ResourceProvider {
    const wrapped: ResourceProvider = {
        async check(olds: Props, news: Props): Promise<CheckResult> {
            const inner = (await inProject(projectOf(news), () => provider.check?.(olds, news))) ?? { inputs: news };
            const failures = [...(inner.failures ?? []), ...(await projectFailures(news))];
            return failures.length === 0 ? inner : { ...inner, failures };
        },

        async diff(id: string, olds: Props, news: Props): Promise<DiffResult> {
            const inner = (await inProject(projectOf(olds), () => provider.diff?.(id, olds, news))) ?? {};
            return projectChanged(olds, news) ? replacedForProject(inner) : inner;
        },

        async create(inputs: Props) {
            const project = projectOf(inputs);
            const made = await inProject(project, () => provider.create(inputs));
            return { ...made, outs: recorded(made.outs as Props | undefined, project) };
        },

        async read(id: string, props?: Props): Promise<ReadResult> {
            const project = projectOf(props);
            const read = (await inProject(project, () => provider.read?.(id, props))) ?? { id, props };
            if (read.id === undefined || read.id === "") return read;
            return { ...read, props: recorded(read.props, project), inputs: recorded(read.inputs, project) };
        },

        async update(id: string, olds: Props, news: Props) {
            const project = projectOf(news);
            const updated = await inProject(project, () => provider.update?.(id, olds, news));
            return { ...updated, outs: recorded((updated?.outs ?? undefined) as Props | undefined, project) };
        },

        async delete(id: string, props: Props): Promise<void> {
            await inProject(projectOf(props), () => provider.delete?.(id, props));
        },
    };
    return wrapped;
}
