import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";
import { PROJECT_OUTPUT } from "./project";
import type { PasswordHashOutput, UserArgs, UserOutputs } from "./user";
import type { PrefsInput, PrefsValue } from "./user-prefs";
import type { TargetProviderType, UserTargetOutputs } from "./user-target";

/** A messaging target inside a {@link UserBundle}: the inputs of UserTarget without `userId`. */
export interface UserBundleTargetArgs {
    /**
     * ID of the target: 1 to 36 characters of `A-Z a-z 0-9 . - _`, not starting with `.`, `-` or `_`; unique
     * across the project and within the bundle. The bundle knows the target by it: changing it replaces this
     * target (deleted, then made again) and only updates the bundle.
     */
    targetId: pulumi.Input<string>;
    /** `email`, `sms` or `push` (lower case). Changing it replaces this target inside the bundle. */
    providerType: pulumi.Input<TargetProviderType>;
    /**
     * Where messages go, unique across the project: a valid email address for `email`, an E.164 number for
     * `sms`, a device token of 1 to 255 characters for `push`. Updated in place, except on a taken-over target.
     */
    identifier: pulumi.Input<string>;
    /** ID of an Appwrite messaging provider of the same type; Appwrite cannot unset it, so left out it is not managed. */
    providerId?: pulumi.Input<string>;
    /** Display name, 1 to 128 characters; Appwrite cannot clear it, so left out it is not managed. */
    name?: pulumi.Input<string>;
}

/** Inputs of {@link UserBundle}: those of User, and the user's labels, prefs, status and targets. Each part left out is not managed. */
export interface UserBundleArgs extends UserArgs {
    /**
     * The user's labels, all of them (as UserLabels with `exclusive`): each 1 to 36 ASCII letters or digits, at
     * most 1000 distinct. A set: order and duplicates make no diff. Left out, the labels are not managed.
     */
    labels?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The user's preferences, all of them (as UserPrefs with `exclusive`): a JSON object of at most 65535
     * bytes as Appwrite measures it (PHP `json_encode`). Compared by value, per top-level key. Left out, not managed.
     */
    prefs?: pulumi.Input<Record<string, PrefsInput>>;
    /** Whether the user is blocked (Appwrite's `status` is its negation). Left out, not managed. */
    blocked?: pulumi.Input<boolean>;
    /** The user's messaging targets, known by `targetId` (order makes no diff). Left out, not managed. */
    targets?: pulumi.Input<pulumi.Input<UserBundleTargetArgs>[]>;
}

/** A target as the bundle reports it: UserTarget's outputs without `userId`. */
export type UserBundleTargetOutputs = Omit<UserTargetOutputs, "userId">;

/** Outputs of {@link UserBundle}: User's outputs, and each part as Appwrite holds it (null when not managed). */
export interface UserBundleOutputs extends UserOutputs {
    labels: string[] | null;
    prefs: Record<string, PrefsValue> | null;
    blocked: boolean | null;
    targets: UserBundleTargetOutputs[] | null;
}

/**
 * An Appwrite user with its labels, prefs, block status and targets as one resource, for programs that
 * declare many users (such as `SeededUsers` with `compact`): the Pulumi engine's cost and the state's size
 * grow with the number of resources, and this is one per user instead of five. It applies each part as
 * User, UserLabels, UserPrefs, UserStatus and UserTarget would, and owns labels and prefs whole. Do not
 * also declare those resources for the same user. The Pulumi ID is the user ID; deleting the resource
 * deletes the user, with its targets and sessions.
 *
 * @example
 * ```ts
 * new UserBundle("qa-bot", {
 *     userId: "qa-bot",
 *     email: "qa@example.com",
 *     password: config.requireSecret("qaBotPassword"),
 *     labels: ["service", "qa"],
 *     prefs: { locale: "en" },
 *     blocked: false,
 *     targets: [{ targetId: "qa-bot-mail", providerType: "email", identifier: "qa-alerts@example.com" }],
 * });
 * ```
 */
export class UserBundle extends pulumi.dynamic.Resource {
    /** The Appwrite user ID. */
    declare public readonly userId: pulumi.Output<string>;
    /** The email as Appwrite holds it, or null when none. */
    declare public readonly email: pulumi.Output<string | null>;
    /** The phone number, or null when none. */
    declare public readonly phone: pulumi.Output<string | null>;
    /** The display name ("" when none). */
    declare public readonly name: pulumi.Output<string>;
    /** Whether the email is verified. */
    declare public readonly emailVerification: pulumi.Output<boolean>;
    /** Whether the phone is verified. */
    declare public readonly phoneVerification: pulumi.Output<boolean>;
    /** Whether multi-factor authentication is on. */
    declare public readonly mfa: pulumi.Output<boolean>;
    /** Whether the user may impersonate other users. */
    declare public readonly impersonator: pulumi.Output<boolean>;
    /** Secret: the declared password once set; null when none is declared or it was changed outside Pulumi. */
    declare public readonly password: pulumi.Output<string | null>;
    /** Secret: the declared pre-hashed password, or null. */
    declare public readonly passwordHash: pulumi.Output<PasswordHashOutput | null>;
    /** Whether the resource was declared with `adopt`. */
    declare public readonly adopt: pulumi.Output<boolean>;
    /** When Appwrite registered the user (ISO 8601). */
    declare public readonly registration: pulumi.Output<string>;
    /** When the password was last set by this resource (ISO 8601), or null when the user has none. */
    declare public readonly passwordUpdate: pulumi.Output<string | null>;
    /**
     * The optional inputs declared at the last create or update, sorted; a refresh reports only these. Null only in a
     * state that holds no list (this package always writes one), whose refresh reports every input.
     */
    declare public readonly declaredInputs: pulumi.Output<string[] | null>;
    /** The labels Appwrite holds (de-duplicated, in declared order), or null when not managed. */
    declare public readonly labels: pulumi.Output<string[] | null>;
    /** The preferences Appwrite holds (nested empty objects come back as `[]`), or null when not managed. */
    declare public readonly prefs: pulumi.Output<Record<string, PrefsValue> | null>;
    /** Whether Appwrite has the user blocked, or null when not managed. */
    declare public readonly blocked: pulumi.Output<boolean | null>;
    /** The targets in declared order, as Appwrite reports them, or null when not managed. */
    declare public readonly targets: pulumi.Output<UserBundleTargetOutputs[] | null>;

    /** The name of the entry of `appwrite:projects` the resource lives in, as declared; undefined in the default project. */
    declare public readonly project: pulumi.Output<string | undefined>;

    constructor(name: string, args: UserBundleArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs = {
            email: undefined,
            phone: undefined,
            name: undefined,
            emailVerification: undefined,
            phoneVerification: undefined,
            mfa: undefined,
            impersonator: undefined,
            password: undefined,
            passwordHash: undefined,
            adopt: undefined,
            registration: undefined,
            passwordUpdate: undefined,
            declaredInputs: undefined,
            labels: undefined,
            prefs: undefined,
            blocked: undefined,
            targets: undefined,
        };
        const secrets = ["password", "passwordHash"];
        super(
            providerObject("UserBundle"),
            name,
            { ...outputs, ...PROJECT_OUTPUT, ...args },
            {
                ...opts,
                additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets],
            },
            "appwrite",
            "UserBundle",
        );
    }
}
