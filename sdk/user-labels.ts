import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";
import { PROJECT_OUTPUT, type ProjectArgs } from "./project";

/** Inputs of {@link UserLabels}. */
export interface UserLabelsArgs extends ProjectArgs {
    /**
     * ID of the Appwrite user whose labels this resource manages: 1 to 36 characters of `A-Z a-z 0-9 . - _`,
     * not starting with `.`, `-` or `_`. Changing it replaces the resource.
     */
    userId: pulumi.Input<string>;
    /**
     * The labels: each 1 to 36 ASCII letters or digits (`^[A-Za-z0-9]{1,36}$`), at most 1000 distinct ones (a
     * repeat is sent once and does not count), and at most 1000 on the user once merged with the others when
     * not `exclusive`. Appwrite compares them case-sensitively; order and duplicates make no difference.
     * Exclusive, this is the user's complete set and `[]` clears it.
     */
    labels: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * True (the default): this resource owns every label of the user and removes any it does not declare.
     * False: it manages only the labels it declares, merging them into the live labels (one read and one
     * write), and leaves labels set by the application alone; only they are read back, so those are never
     * drift. A label dropped from the program is removed, and deleting the resource removes its labels.
     * Switching is an in-place update; the labels other resources own are not known, so one exclusive and
     * one non-exclusive resource for the same user are refused.
     */
    exclusive?: pulumi.Input<boolean>;
}

/** Outputs of {@link UserLabels}, as Appwrite reports them. */
export interface UserLabelsOutputs {
    /** The name of the entry of `appwrite:projects` the resource lives in; present only when declared. */
    project?: string;
    /** ID of the Appwrite user. */
    userId: string;
    /** The labels Appwrite holds for the user (not exclusive: only the declared ones), de-duplicated, in Appwrite's order. */
    labels: string[];
    /** `exclusive` as declared, or null when left out (exclusive). */
    exclusive: boolean | null;
}

/**
 * The labels of one Appwrite user (`PUT /v1/users/{userId}/labels`). Appwrite replaces labels wholesale:
 * exclusive (the default), declare one `UserLabels` per user and set labels nowhere else, and deleting it
 * clears the labels; with `exclusive: false` it shares the labels with the application and other
 * non-exclusive resources. The Pulumi ID is the user ID.
 *
 * @example
 * ```ts
 * new UserLabels("ci-bot", { userId: ciBot.userId, labels: ["service", "ci"] });
 * // Only its own labels, leaving the app's alone:
 * new UserLabels("tester-beta", { userId: tester.userId, labels: ["beta"], exclusive: false });
 * ```
 */
export class UserLabels extends pulumi.dynamic.Resource {
    /** ID of the Appwrite user. */
    declare public readonly userId: pulumi.Output<string>;
    /** The labels Appwrite holds for the user (not exclusive: only the declared ones), de-duplicated. */
    declare public readonly labels: pulumi.Output<string[]>;
    /** `exclusive` as declared, or null when left out (exclusive). */
    declare public readonly exclusive: pulumi.Output<boolean | null>;

    /** The name of the entry of `appwrite:projects` the resource lives in, as declared; undefined in the default project. */
    declare public readonly project: pulumi.Output<string | undefined>;

    constructor(name: string, args: UserLabelsArgs, opts?: pulumi.CustomResourceOptions) {
        super(providerObject("UserLabels"), name, { exclusive: undefined, ...PROJECT_OUTPUT, ...args }, opts, "appwrite", "UserLabels");
    }
}
