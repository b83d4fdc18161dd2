import type * as pulumi from "@pulumi/pulumi";

/** The `project` input every resource kind takes. */
export interface ProjectArgs {
    /**
     * The Appwrite project this resource lives in: the name of an entry of the stack config's
     * `appwrite:projects` (`pulumi config set --path 'appwrite:projects.<name>.projectId' ...`, with
     * `apiKey` as a secret and `endpoint` defaulting to `appwrite:endpoint`) or of the APPWRITE_PROJECTS
     * environment variable; 1 to 64 characters of `A-Z a-z 0-9 - _`, starting with a letter or digit. An
     * unknown name fails at preview, listing the configured ones. Left out, the default project
     * (`appwrite:endpoint`, `appwrite:projectId`, `appwrite:apiKey`). Only the name is stored in the state.
     * Changing it replaces the resource: a user cannot move between projects.
     */
    project?: pulumi.Input<string>;
}

/** What each resource class adds to its outputs so that `project` is one of them. */
export const PROJECT_OUTPUT = { project: undefined };
