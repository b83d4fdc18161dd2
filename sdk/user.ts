import * as pulumi from "@pulumi/pulumi";
import { providerObject } from "./provider-object";
import { PROJECT_OUTPUT, type ProjectArgs } from "./project";

/** Options shared by every pre-hashed password: the hash string exactly as the old system stored it (8 to 256 bytes). */
interface HashBase {
    /** The stored hash, 8 to 256 bytes. Appwrite keeps it verbatim and verifies logins against it. */
    hash: pulumi.Input<string>;
}

/**
 * A password hash imported from another system, matching node-appwrite's `create<Algorithm>User` calls.
 * Appwrite can set a pre-hashed password only when it creates the user, so changing this replaces the user.
 */
export type PasswordHashArgs =
    | (HashBase & { /** Argon2 (`createArgon2User`). */ algorithm: "argon2" })
    | (HashBase & { /** bcrypt (`createBcryptUser`). */ algorithm: "bcrypt" })
    | (HashBase & { /** MD5 (`createMD5User`). */ algorithm: "md5" })
    | (HashBase & { /** PHPass (`createPHPassUser`). */ algorithm: "phpass" })
    | (HashBase & {
          /** SHA (`createSHAUser`). */
          algorithm: "sha";
          /** sha1, sha224, sha256 (Appwrite's default), sha384, sha512, sha3-224, sha3-256, sha3-384 or sha3-512. */
          passwordVersion?: pulumi.Input<string>;
      })
    | (HashBase & {
          /** scrypt (`createScryptUser`). */
          algorithm: "scrypt";
          /** The salt, 1 to 128 characters. */
          passwordSalt: pulumi.Input<string>;
          /** CPU/memory cost N: a power of 2 greater than 1. */
          passwordCpu: pulumi.Input<number>;
          /** Block size r: at least 1. */
          passwordMemory: pulumi.Input<number>;
          /** Parallelization p: at least 1. */
          passwordParallel: pulumi.Input<number>;
          /** Derived key length in bytes: at least 16. */
          passwordLength: pulumi.Input<number>;
      })
    | (HashBase & {
          /** Firebase's modified scrypt (`createScryptModifiedUser`). */
          algorithm: "scryptModified";
          /** The salt: base64, at most 128 characters. */
          passwordSalt: pulumi.Input<string>;
          /** The salt separator: base64, at most 128 characters. */
          passwordSaltSeparator: pulumi.Input<string>;
          /** The signer key: base64, at most 128 characters. */
          passwordSignerKey: pulumi.Input<string>;
      });

/** The pre-hashed password as stored in outputs (secret). */
export type PasswordHashOutput = { algorithm: string; hash: string } & Record<string, string | number>;

/** Inputs of {@link User}. Labels, prefs and block status are not here: UserLabels, UserPrefs and UserStatus own them. */
export interface UserArgs extends ProjectArgs {
    /**
     * The Appwrite user ID and Pulumi ID: 1 to 36 characters of `A-Z a-z 0-9 . - _`, not starting with
     * `.`, `-` or `_`. Changing it replaces the user.
     */
    userId: pulumi.Input<string>;
    /**
     * Email address, unique in the project; Appwrite stores it lower-cased. Changing it resets
     * `emailVerification`. Required with `passwordHash`.
     */
    email?: pulumi.Input<string>;
    /**
     * Phone number in E.164 form (`+` and 7 to 15 digits with a calling code Appwrite knows), unique in the
     * project. Changing it resets `phoneVerification`.
     */
    phone?: pulumi.Input<string>;
    /** Display name, at most 128 characters; `""` clears it. */
    name?: pulumi.Input<string>;
    /**
     * Plain-text password, 8 to 256 bytes (the project's password policy may ask for more); pass a secret.
     * Changing it, or moving from `passwordHash` to `password`, updates the user in place. If it is changed
     * outside Pulumi, the next `pulumi up --refresh` sets it again. Not together with `passwordHash`.
     */
    password?: pulumi.Input<string>;
    /** A password hash imported from another system. Changing it replaces the user (Appwrite cannot re-hash an existing user). */
    passwordHash?: pulumi.Input<PasswordHashArgs>;
    /** Whether the email counts as verified. Appwrite's default is false. */
    emailVerification?: pulumi.Input<boolean>;
    /** Whether the phone counts as verified. Appwrite's default is false. */
    phoneVerification?: pulumi.Input<boolean>;
    /** Whether multi-factor authentication is required at sign-in. Appwrite's default is false. */
    mfa?: pulumi.Input<boolean>;
    /**
     * Whether the user may impersonate other users of the project (Appwrite 1.9 and later), one
     * `PATCH /v1/users/{userId}/impersonator` per change. Appwrite's default is false; left out, it is not managed.
     */
    impersonator?: pulumi.Input<boolean>;
    /**
     * Take over a user that already exists with this ID instead of failing: it is brought to the declared
     * fields and keeps its password unless one is declared. Only matters at create time.
     */
    adopt?: pulumi.Input<boolean>;
}

/** Outputs of {@link User}, read back from Appwrite. */
export interface UserOutputs {
    /** The name of the entry of `appwrite:projects` the resource lives in; present only when declared. */
    project?: string;
    userId: string;
    email: string | null;
    phone: string | null;
    name: string;
    emailVerification: boolean;
    phoneVerification: boolean;
    mfa: boolean;
    impersonator: boolean;
    password: string | null;
    passwordHash: PasswordHashOutput | null;
    adopt: boolean;
    registration: string;
    passwordUpdate: string | null;
    /**
     * The optional inputs the program declared at the last create or update, sorted by name. A refresh
     * reports only these as the user's inputs, so inputs left out of the program are not shown as removed.
     * Null only in a state that holds no list (this package always writes one); its refresh reports every input.
     */
    declaredInputs: string[] | null;
}

/**
 * An Appwrite user (`/v1/users`). The Pulumi ID is the user ID. Deleting the resource deletes the user,
 * with its targets and sessions.
 *
 * @example
 * ```ts
 * const config = new pulumi.Config();
 * const ciBot = new User("ci-bot", {
 *     userId: "ci-bot",
 *     email: "ci@example.com",
 *     name: "CI bot",
 *     password: config.requireSecret("ciBotPassword"),
 * });
 * export const registered = ciBot.registration;
 * ```
 */
export class User extends pulumi.dynamic.Resource {
    /** The Appwrite user ID. */
    declare public readonly userId: pulumi.Output<string>;
    /** The email as Appwrite holds it (in the declared spelling while they agree), or null when none. */
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

    /** The name of the entry of `appwrite:projects` the resource lives in, as declared; undefined in the default project. */
    declare public readonly project: pulumi.Output<string | undefined>;

    constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
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
        };
        const secrets = ["password", "passwordHash"];
        super(
            providerObject("User"),
            name,
            { ...outputs, ...PROJECT_OUTPUT, ...args },
            {
                ...opts,
                additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets],
            },
            "appwrite",
            "User",
        );
    }
}
