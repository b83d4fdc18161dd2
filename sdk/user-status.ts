import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";
import { PROJECT_OUTPUT, type ProjectArgs } from "./project";

/** Inputs of {@link UserStatus}. */
export interface UserStatusArgs extends ProjectArgs {
    /**
     * ID of the Appwrite user whose status this resource owns: 1 to 36 characters of `A-Z a-z 0-9 . - _`,
     * not starting with `.`, `-` or `_`. The user must exist. Changing it replaces the resource.
     */
    userId: pulumi.Input<string>;
    /**
     * True blocks the user (Appwrite `status: false`). Appwrite then refuses every request made with the
     * user's sessions (`user_blocked`, HTTP 403) and every new sign-in, but keeps the sessions: unblocked,
     * they work again until they expire.
     */
    blocked: pulumi.Input<boolean>;
    /**
     * True: blocking the user also deletes all of its sessions (`DELETE /v1/users/{userId}/sessions`) in
     * the same operation, so a stolen session cannot be used again after an unblock. If that deletion
     * fails, the block stays recorded and the next `pulumi up` deletes the sessions. Default false.
     */
    endSessions?: pulumi.Input<boolean>;
}

/** Outputs of {@link UserStatus}, as Appwrite reports them. */
export interface UserStatusOutputs {
    /** The name of the entry of `appwrite:projects` the resource lives in; present only when declared. */
    project?: string;
    /** ID of the Appwrite user. */
    userId: string;
    /** Whether Appwrite has the user blocked. */
    blocked: boolean;
    /** `endSessions` as declared, or null when left out. */
    endSessions: boolean | null;
    /** Whether this resource deleted the user's sessions after it last blocked the user. */
    sessionsEnded: boolean;
}

/**
 * The block status of one Appwrite user (`PATCH /v1/users/{userId}/status`). Declare one per user and set
 * the status nowhere else. Deleting it unblocks the user. The Pulumi ID is the user ID.
 *
 * @example
 * ```ts
 * new UserStatus("former-contractor", { userId: contractor.userId, blocked: true, endSessions: true });
 * ```
 */
export class UserStatus extends pulumi.dynamic.Resource {
    /** ID of the Appwrite user. */
    declare public readonly userId: pulumi.Output<string>;
    /** Whether Appwrite has the user blocked. */
    declare public readonly blocked: pulumi.Output<boolean>;
    /** `endSessions` as declared, or null when left out. */
    declare public readonly endSessions: pulumi.Output<boolean | null>;
    /** Whether this resource deleted the user's sessions after it last blocked the user. */
    declare public readonly sessionsEnded: pulumi.Output<boolean>;

    /** The name of the entry of `appwrite:projects` the resource lives in, as declared; undefined in the default project. */
    declare public readonly project: pulumi.Output<string | undefined>;

    constructor(name: string, args: UserStatusArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            providerObject("UserStatus"),
            name,
            { endSessions: undefined, sessionsEnded: undefined, ...PROJECT_OUTPUT, ...args },
            opts,
            "appwrite",
            "UserStatus",
        );
    }
}
