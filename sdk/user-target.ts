import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";
import { PROJECT_OUTPUT, type ProjectArgs } from "./project";

/** The messaging channel of a target. */
export type TargetProviderType = "email" | "sms" | "push";

/** Inputs of {@link UserTarget}. */
export interface UserTargetArgs extends ProjectArgs {
    /**
     * ID of the Appwrite user the target belongs to: 1 to 36 characters of `A-Z a-z 0-9 . - _`, not starting
     * with `.`, `-` or `_`. Changing it replaces the target.
     */
    userId: pulumi.Input<string>;
    /**
     * ID of the target, same rules as `userId`; unique across the project. Changing it replaces the target.
     * When the target takes over the one Appwrite made for the user's email or phone, Appwrite keeps its own ID
     * (see `appwriteTargetId`).
     */
    targetId: pulumi.Input<string>;
    /** `email`, `sms` or `push` (lower case). Changing it replaces the target. */
    providerType: pulumi.Input<TargetProviderType>;
    /**
     * Where messages go, unique across the project: a valid email address for `email`, an E.164 number (`+`
     * then 7 to 15 digits, with a calling code Appwrite knows) for `sms`, a device token of 1 to 255 characters
     * for `push`. Updated in place, except on a taken-over target, where a new identifier replaces the resource.
     */
    identifier: pulumi.Input<string>;
    /**
     * ID of an Appwrite messaging provider of the same type (same rules as `userId`). Appwrite cannot unset it:
     * leaving it out after it was set keeps the provider it has.
     */
    providerId?: pulumi.Input<string>;
    /**
     * Display name, 1 to 128 characters. Appwrite cannot clear a target's name: leaving it out keeps the name
     * the target has.
     */
    name?: pulumi.Input<string>;
}

/** Outputs of {@link UserTarget}, as Appwrite reports them. */
export interface UserTargetOutputs {
    /** The name of the entry of `appwrite:projects` the resource lives in; present only when declared. */
    project?: string;
    /** ID of the Appwrite user. */
    userId: string;
    /** The declared target ID. */
    targetId: string;
    /** `email`, `sms` or `push`. */
    providerType: TargetProviderType;
    /** Where messages go. */
    identifier: string;
    /** The messaging provider, or `null` when none is set. */
    providerId: string | null;
    /** The display name, `""` when none is set. */
    name: string;
    /**
     * The ID Appwrite knows the target by: `targetId`, or the server-generated ID of the email or sms target
     * Appwrite made for the user, when this resource took that target over.
     */
    appwriteTargetId: string;
    /** Whether this resource took over the target Appwrite made for the user's email or phone. */
    takenOver: boolean;
    /** Whether a messaging provider has rejected the identifier; updating the identifier resets it. */
    expired: boolean;
}

/**
 * A messaging target of an Appwrite user (`/v1/users/{userId}/targets`). The Pulumi ID is
 * `userId/appwriteTargetId`. A target declaring the user's own email or phone takes over the target Appwrite
 * made for it; deleting such a resource leaves that target in place.
 *
 * @example
 * ```ts
 * new UserTarget("ci-bot-alerts", {
 *     userId: ciBot.userId,
 *     targetId: "ci-bot-alerts",
 *     providerType: "email",
 *     identifier: "ci-alerts@example.com",
 * });
 * ```
 */
export class UserTarget extends pulumi.dynamic.Resource {
    /** ID of the Appwrite user. */
    declare public readonly userId: pulumi.Output<string>;
    /** The declared target ID. */
    declare public readonly targetId: pulumi.Output<string>;
    /** `email`, `sms` or `push`. */
    declare public readonly providerType: pulumi.Output<TargetProviderType>;
    /** Where messages go. */
    declare public readonly identifier: pulumi.Output<string>;
    /** The messaging provider, or `null` when none is set. */
    declare public readonly providerId: pulumi.Output<string | null>;
    /** The display name, `""` when none is set. */
    declare public readonly name: pulumi.Output<string>;
    /** The ID Appwrite knows the target by (differs from `targetId` only for a taken-over target). */
    declare public readonly appwriteTargetId: pulumi.Output<string>;
    /** Whether this resource took over the target Appwrite made for the user's email or phone. */
    declare public readonly takenOver: pulumi.Output<boolean>;
    /** Whether a messaging provider has rejected the identifier; updating the identifier resets it. */
    declare public readonly expired: pulumi.Output<boolean>;

    /** The name of the entry of `appwrite:projects` the resource lives in, as declared; undefined in the default project. */
    declare public readonly project: pulumi.Output<string | undefined>;

    constructor(name: string, args: UserTargetArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            providerObject("UserTarget"),
            name,
            {
                providerId: undefined,
                name: undefined,
                ...PROJECT_OUTPUT,
                ...args,
                appwriteTargetId: undefined,
                takenOver: undefined,
                expired: undefined,
            },
            opts,
            "appwrite",
            "UserTarget",
        );
    }
}
