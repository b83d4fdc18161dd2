import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";
import { PROJECT_OUTPUT, type ProjectArgs } from "./project";

/** A JSON value that can be stored in a user's preferences, as Appwrite returns it. */
export type PrefsValue = string | number | boolean | null | PrefsValue[] | { [key: string]: PrefsValue };

/**
 * A preferences value as a program declares it: JSON, where any value, list or object may be a `pulumi.Input`
 * (another resource's output, say). Pulumi resolves them before the provider sees the prefs.
 */
export type PrefsInput = pulumi.Input<string | number | boolean | null | PrefsInputList | PrefsInputObject>;
/** A list inside declared preferences. */
export type PrefsInputList = PrefsInput[];
/** An object inside declared preferences. */
export interface PrefsInputObject {
    [key: string]: PrefsInput;
}

/** Inputs of {@link UserPrefs}. */
export interface UserPrefsArgs extends ProjectArgs {
    /**
     * ID of the Appwrite user whose preferences this resource manages: 1 to 36 characters of `A-Z a-z 0-9 . - _`,
     * not starting with `.`, `-` or `_`. Changing it replaces the resource.
     */
    userId: pulumi.Input<string>;
    /**
     * The preferences (exclusive: the user's complete preferences; not exclusive: the top-level keys this
     * resource manages): a JSON object of at most 65535 bytes as Appwrite measures it (PHP
     * `json_encode`, which writes `/` as `\/` and every non-ASCII character as `\uXXXX`). Compared by value;
     * Appwrite returns a nested empty object `{}` as `[]`, and the two count as equal. Values must be JSON
     * (strings, finite numbers, booleans, null, lists and objects of those); a BigInt, function, symbol,
     * NaN, Infinity or `undefined` list item is refused at preview with its path. Not exclusive, the merged
     * preferences must stay within the same 65535 bytes.
     */
    prefs: pulumi.Input<Record<string, PrefsInput>>;
    /**
     * True (the default): this resource owns the whole preferences object and removes keys it does not
     * declare. False: it manages only its declared top-level keys, merging them into the live preferences
     * (one read and one write), and leaves keys set by the application alone; only its keys are read back,
     * so the others are never drift. A key dropped from the program is removed, and deleting the resource
     * removes its keys. Switching is an in-place update; one exclusive and one non-exclusive resource for the
     * same user are refused.
     */
    exclusive?: pulumi.Input<boolean>;
}

/** Outputs of {@link UserPrefs}, as Appwrite reports them. */
export interface UserPrefsOutputs {
    /** The name of the entry of `appwrite:projects` the resource lives in; present only when declared. */
    project?: string;
    /** ID of the Appwrite user. */
    userId: string;
    /** The preferences Appwrite holds for the user (not exclusive: only the declared keys; nested empty objects come back as `[]`). */
    prefs: Record<string, PrefsValue>;
    /** `exclusive` as declared, or null when left out (exclusive). */
    exclusive: boolean | null;
}

/**
 * The preferences of one Appwrite user (`PATCH /v1/users/{userId}/prefs`, which replaces rather than
 * merges). Exclusive (the default), declare one `UserPrefs` per user: anything an app writes to the same
 * user's prefs is overwritten on the next `pulumi up --refresh`, and deleting it resets the prefs to `{}`. With
 * `exclusive: false` it manages only its own keys and shares the rest with the app. The Pulumi ID is the user ID.
 *
 * @example
 * ```ts
 * new UserPrefs("tester", { userId: tester.userId, prefs: { locale: "en", theme: { mode: "dark" } } });
 * // Only the `featureFlags` key; the app keeps the others:
 * new UserPrefs("tester-flags", { userId: tester.userId, prefs: { featureFlags: ["beta"] }, exclusive: false });
 * ```
 */
export class UserPrefs extends pulumi.dynamic.Resource {
    /** ID of the Appwrite user. */
    declare public readonly userId: pulumi.Output<string>;
    /** The preferences Appwrite holds for the user (not exclusive: only the declared keys). */
    declare public readonly prefs: pulumi.Output<Record<string, PrefsValue>>;
    /** `exclusive` as declared, or null when left out (exclusive). */
    declare public readonly exclusive: pulumi.Output<boolean | null>;

    /** The name of the entry of `appwrite:projects` the resource lives in, as declared; undefined in the default project. */
    declare public readonly project: pulumi.Output<string | undefined>;

    constructor(name: string, args: UserPrefsArgs, opts?: pulumi.CustomResourceOptions) {
        super(providerObject("UserPrefs"), name, { exclusive: undefined, ...PROJECT_OUTPUT, ...args }, opts, "appwrite", "UserPrefs");
    }
}
