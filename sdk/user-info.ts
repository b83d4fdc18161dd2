/**
 * What the lookups return: a user as plain JSON-safe data. Appwrite's password hash, `hash` and
 * `hashOptions` (which its list answers carry) are never copied here.
 */
import type { Models } from "node-appwrite";
import type { PrefsValue } from "./user-prefs";

/** One messaging target of a user. */
export interface UserTargetInfo {
    /** Appwrite's target ID (up to 36 characters). */
    targetId: string;
    /** `email`, `sms` or `push`. */
    providerType: string;
    /** The email address, phone number (E.164) or push token the target points at. */
    identifier: string;
    /** The target's name; "" when it has none. */
    name: string;
    /** The messaging provider's ID, or null when the target uses the project's default. */
    providerId: string | null;
    /** True once Appwrite has found the identifier no longer valid (e.g. a push token). */
    expired: boolean;
}

/** The MFA factors a user can complete a challenge with (Appwrite's `listMFAFactors`). */
export interface MfaFactorsInfo {
    /** An authenticator app (TOTP) is set up and verified. */
    totp: boolean;
    /** A verified phone can receive SMS codes. */
    phone: boolean;
    /** A verified email can receive codes. */
    email: boolean;
    /** Recovery codes exist (`appwrite-users mfa-codes` makes them). */
    recoveryCode: boolean;
}

/** A user as Appwrite has it now. */
export interface UserInfo {
    /** The user ID (up to 36 characters: a-z, A-Z, 0-9, period, hyphen, underscore; not starting with one of the last three). */
    userId: string;
    /** The name (up to 128 characters); "" when none. */
    name: string;
    /** The email, lower-cased as Appwrite stores it; null when the user has none. */
    email: string | null;
    /** The phone number in E.164 form; null when the user has none. */
    phone: string | null;
    /** Labels (each up to 36 alphanumeric characters). */
    labels: string[];
    /** Preferences: a JSON object of at most 64 kB. */
    prefs: Record<string, PrefsValue>;
    /** True when the user may sign in; false when blocked. */
    status: boolean;
    /** Whether the email is verified. */
    emailVerification: boolean;
    /** Whether the phone is verified. */
    phoneVerification: boolean;
    /** Whether MFA is enforced on the user's sign-ins. */
    mfa: boolean;
    /** Whether the user may impersonate other users of the project (Appwrite 1.9 and later); false on a server that does not report it. */
    impersonator: boolean;
    /** ISO 8601 time the user was created. */
    registration: string;
    /** ISO 8601 time the password last changed; null when the user has never had one. */
    passwordUpdate: string | null;
    /** ISO 8601 time of the user's last activity (updated at most daily); null when never. */
    accessedAt: string | null;
    /** The user's messaging targets, Appwrite's own email and sms targets among them. */
    targets: UserTargetInfo[];
    /** The MFA factors, present only when asked for with `mfaFactors: true` (one more request per user). */
    mfaFactors?: MfaFactorsInfo;
}

const orNull = (value: string | undefined | null): string | null => (value === undefined || value === null || value === "" ? null : value);

function toTargetInfo(target: Models.Target): UserTargetInfo {
    return {
        targetId: target.$id,
        providerType: target.providerType,
        identifier: target.identifier,
        name: target.name ?? "",
        providerId: orNull(target.providerId),
        expired: target.expired === true,
    };
}

/** Copies only the listed fields, so nothing Appwrite adds to its user model (the hash above all) slips through. */
export function toUserInfo(user: Models.User<Models.Preferences>, mfaFactors?: Models.MfaFactors): UserInfo {
    return {
        userId: user.$id,
        name: user.name ?? "",
        email: orNull(user.email),
        phone: orNull(user.phone),
        labels: [...(user.labels ?? [])],
        prefs: JSON.parse(JSON.stringify(user.prefs ?? {})) as Record<string, PrefsValue>,
        status: user.status,
        emailVerification: user.emailVerification,
        phoneVerification: user.phoneVerification,
        mfa: user.mfa === true,
        impersonator: user.impersonator === true,
        registration: user.registration,
        passwordUpdate: orNull(user.passwordUpdate),
        accessedAt: orNull(user.accessedAt),
        targets: (user.targets ?? []).map(toTargetInfo),
        ...(mfaFactors === undefined
            ? {}
            : {
                  mfaFactors: {
                      totp: mfaFactors.totp,
                      phone: mfaFactors.phone,
                      email: mfaFactors.email,
                      recoveryCode: mfaFactors.recoveryCode,
                  },
              }),
    };
}
