import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";

/** Inputs of {@link UserLabels}. */
export interface UserLabelsArgs {
    /**
     * ID of the Appwrite user whose labels this resource owns: 1 to 36 characters of `A-Z a-z 0-9 . - _`,
     * not starting with `.`, `-` or `_`. Changing it replaces the resource.
     */
    userId: pulumi.Input<string>;
    /**
     * The user's complete set of labels: each 1 to 36 ASCII letters or digits (`^[A-Za-z0-9]{1,36}$`), at most
     * 1000. Appwrite compares them case-sensitively; order and duplicates make no difference. `[]` clears them.
     */
    labels: pulumi.Input<pulumi.Input<string>[]>;
}

/** Outputs of {@link UserLabels}, as Appwrite reports them. */
export interface UserLabelsOutputs {
    /** ID of the Appwrite user. */
    userId: string;
    /** The labels Appwrite holds for the user, de-duplicated and in the order they were first declared. */
    labels: string[];
}

/**
 * The whole label set of one Appwrite user (`PUT /v1/users/{userId}/labels`). Appwrite replaces labels
 * wholesale, so declare one `UserLabels` per user and set labels nowhere else. Deleting it clears the labels.
 * The Pulumi ID is the user ID.
 */
export class UserLabels extends pulumi.dynamic.Resource {
    /** ID of the Appwrite user. */
    declare public readonly userId: pulumi.Output<string>;
    /** The labels Appwrite holds for the user, de-duplicated and in the order they were first declared. */
    declare public readonly labels: pulumi.Output<string[]>;

    constructor(name: string, args: UserLabelsArgs, opts?: pulumi.CustomResourceOptions) {
        super(providerObject("UserLabels"), name, { ...args }, opts, "appwrite", "UserLabels");
    }
}
