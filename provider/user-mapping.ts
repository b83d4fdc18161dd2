/**
 * Pure mapping between Appwrite's user document and the `User` resource's outputs and inputs. Appwrite's
 * password hash, `hash` and `hashOptions` never leave this file; the only password values in outputs
 * are the declared `password` and `passwordHash`, which the SDK marks secret.
 */
import type { AppwriteUser } from "./users";
import type { PasswordHash, UserInputs } from "./schema";

export interface UserOutputs {
    userId: string;
    /** Lower-cased by Appwrite; kept in the declared spelling while they agree. Null when the user has none. */
    email: string | null;
    phone: string | null;
    name: string;
    emailVerification: boolean;
    phoneVerification: boolean;
    mfa: boolean;
    /** The declared password once Appwrite has it; null when none is declared or it was changed outside Pulumi. */
    password: string | null;
    passwordHash: PasswordHash | null;
    adopt: boolean;
    registration: string;
    /** Appwrite's `passwordUpdate` as of the provider's last write: a later value means a password change elsewhere. */
    passwordUpdate: string | null;
}

/** The password-related outputs, which come from the program and the provider's own writes, not from Appwrite. */
export type Remembered = Pick<UserOutputs, "password" | "passwordHash" | "adopt">;

function nonEmpty(value: string | undefined | null): string | null {
    return value === undefined || value === null || value === "" ? null : value;
}

export function toOutputs(user: AppwriteUser, remembered: Remembered, spelling?: string | null): UserOutputs {
    const email = nonEmpty(user.email);
    return {
        userId: user.$id,
        email: email !== null && spelling?.toLowerCase() === email ? spelling : email,
        phone: nonEmpty(user.phone),
        name: user.name,
        emailVerification: user.emailVerification,
        phoneVerification: user.phoneVerification,
        mfa: user.mfa,
        password: remembered.password,
        passwordHash: remembered.passwordHash,
        adopt: remembered.adopt,
        registration: user.registration,
        passwordUpdate: nonEmpty(user.passwordUpdate),
    };
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const bool = (v: unknown): boolean => v === true;

/** Old outputs from state, read tolerantly so state written by earlier versions still loads. */
export function fromState(props: Record<string, unknown>, id: string): UserOutputs {
    return {
        userId: str(props.userId) ?? id,
        email: str(props.email),
        phone: str(props.phone),
        name: str(props.name) ?? "",
        emailVerification: bool(props.emailVerification),
        phoneVerification: bool(props.phoneVerification),
        mfa: bool(props.mfa),
        password: str(props.password),
        passwordHash: props.passwordHash !== null && typeof props.passwordHash === "object" ? (props.passwordHash as PasswordHash) : null,
        adopt: bool(props.adopt),
        registration: str(props.registration) ?? "",
        passwordUpdate: str(props.passwordUpdate),
    };
}

/** The inputs as they are now in Appwrite, for `read`: what a program declaring this user would say. */
export function toInputs(outs: UserOutputs): Partial<UserInputs> {
    const inputs: Record<string, unknown> = {
        userId: outs.userId,
        email: outs.email ?? undefined,
        phone: outs.phone ?? undefined,
        name: outs.name,
        emailVerification: outs.emailVerification,
        phoneVerification: outs.phoneVerification,
        mfa: outs.mfa,
        password: outs.password ?? undefined,
        passwordHash: outs.passwordHash ?? undefined,
        adopt: outs.adopt || undefined,
    };
    return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined)) as Partial<UserInputs>;
}

/**
 * Whether an existing user is the one a create with these inputs would have made: same email, phone and
 * name. Used only after a create's answer was lost, to tell our own user from someone else's.
 */
export function madeFrom(user: AppwriteUser, inputs: UserInputs): boolean {
    const sameEmail = (nonEmpty(user.email) ?? "") === (inputs.email ?? "").toLowerCase();
    const samePhone = inputs.passwordHash !== undefined || (nonEmpty(user.phone) ?? "") === (inputs.phone ?? "");
    return sameEmail && samePhone && user.name === (inputs.name ?? "");
}
