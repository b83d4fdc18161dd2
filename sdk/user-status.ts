import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";

/** Inputs of {@link UserStatus}. */
export interface UserStatusArgs {
    /**
     * ID of the Appwrite user whose status this resource owns: 1 to 36 characters of `A-Z a-z 0-9 . - _`,
     * not starting with `.`, `-` or `_`. The user must exist. Changing it replaces the resource.
     */
    userId: pulumi.Input<string>;
    /** True blocks the user (Appwrite `status: false`); their sessions stay but every request they make is refused. */
    blocked: pulumi.Input<boolean>;
}

/** Outputs of {@link UserStatus}, as Appwrite reports them. */
export interface UserStatusOutputs {
    /** ID of the Appwrite user. */
    userId: string;
    /** Whether Appwrite has the user blocked. */
    blocked: boolean;
}

/**
 * The block status of one Appwrite user (`PATCH /v1/users/{userId}/status`). Declare one per user and set
 * the status nowhere else. Deleting it unblocks the user. The Pulumi ID is the user ID.
 */
export class UserStatus extends pulumi.dynamic.Resource {
    /** ID of the Appwrite user. */
    declare public readonly userId: pulumi.Output<string>;
    /** Whether Appwrite has the user blocked. */
    declare public readonly blocked: pulumi.Output<boolean>;

    constructor(name: string, args: UserStatusArgs, opts?: pulumi.CustomResourceOptions) {
        super(providerObject("UserStatus"), name, { ...args }, opts, "appwrite", "UserStatus");
    }
}
