import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";

/** A JSON value that can be stored in a user's preferences. */
export type PrefsValue = string | number | boolean | null | PrefsValue[] | { [key: string]: PrefsValue };

/** Inputs of {@link UserPrefs}. */
export interface UserPrefsArgs {
    /**
     * ID of the Appwrite user whose preferences this resource owns: 1 to 36 characters of `A-Z a-z 0-9 . - _`,
     * not starting with `.`, `-` or `_`. Changing it replaces the resource.
     */
    userId: pulumi.Input<string>;
    /**
     * The user's complete preferences: a JSON object of at most 65535 bytes as Appwrite measures it (PHP
     * `json_encode`, which writes `/` as `\/` and every non-ASCII character as `\uXXXX`). Compared by value;
     * Appwrite returns a nested empty object `{}` as `[]`, and the two count as equal. Values must be JSON
     * (strings, finite numbers, booleans, null, lists and objects of those).
     */
    prefs: pulumi.Input<Record<string, unknown>>;
}

/** Outputs of {@link UserPrefs}, as Appwrite reports them. */
export interface UserPrefsOutputs {
    /** ID of the Appwrite user. */
    userId: string;
    /** The preferences Appwrite holds for the user (nested empty objects come back as `[]`). */
    prefs: Record<string, PrefsValue>;
}

/**
 * The whole preferences object of one Appwrite user (`PATCH /v1/users/{userId}/prefs`, which replaces rather
 * than merges). Declare one `UserPrefs` per user; anything an app writes to the same user's prefs is
 * overwritten on the next `pulumi up`. Deleting it resets the prefs to `{}`. The Pulumi ID is the user ID.
 */
export class UserPrefs extends pulumi.dynamic.Resource {
    /** ID of the Appwrite user. */
    declare public readonly userId: pulumi.Output<string>;
    /** The preferences Appwrite holds for the user (nested empty objects come back as `[]`). */
    declare public readonly prefs: pulumi.Output<Record<string, PrefsValue>>;

    constructor(name: string, args: UserPrefsArgs, opts?: pulumi.CustomResourceOptions) {
        super(providerObject("UserPrefs"), name, { ...args }, opts, "appwrite", "UserPrefs");
    }
}
