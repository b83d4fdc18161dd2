/**
 * Pure mapping between Appwrite's user document and the `User` resource's outputs and inputs. Appwrite's
 * password hash, `hash` and `hashOptions` never leave this file; the only password values in outputs
 * are the declared `password` and `passwordHash`, which the SDK marks secret.
 */
import type { AppwriteUser } from "../../appwrite/users";
import { userSchema, type PasswordHash, type UserInputs } from "./schema";

export interface UserOutputs {
    userId: string;
    /** Lower-cased by Appwrite; kept in the declared spelling while they agree. Null when the user has none. */
    email: string | null;
    phone: string | null;
    name: string;
    emailVerification: boolean;
    phoneVerification: boolean;
    mfa: boolean;
    /** Whether the user may impersonate other users (Appwrite 1.9); false where Appwrite does not report it. */
    impersonator: boolean;
    /** The declared password once Appwrite has it; null when none is declared or it was changed outside Pulumi. */
    password: string | null;
    passwordHash: PasswordHash | null;
    adopt: boolean;
    registration: string;
    /** Appwrite's `passwordUpdate` as of the provider's last write: a later value means a password change elsewhere. */
    passwordUpdate: string | null;
    /**
     * The optional inputs the program declared at the last create or update, sorted. `read` reports only
     * these as inputs, because Pulumi shows a refresh as old inputs against the program's and would list
     * every undeclared one as removed. Null in state written before this output existed: all count as declared.
     */
    declaredInputs: string[] | null;
}

/** The outputs that come from the program and the provider's own writes, not from Appwrite. */
export type Remembered = Pick<UserOutputs, "password" | "passwordHash" | "adopt" | "declaredInputs">;

/** Every input but `userId`, which is always declared. */
// `project` says where the user lives, not what it holds: it is never read back from Appwrite.
const OPTIONAL_INPUTS = Object.keys(userSchema.shape).filter((key) => key !== "userId" && key !== "project");

/** The inputs state without `declaredInputs` could have declared: those that existed before it. */
const INPUTS_BEFORE_DECLARED = OPTIONAL_INPUTS.filter((key) => key !== "impersonator");

/** The sorted names of the optional inputs present in `inputs`. */
export function declaredInputsOf(inputs: UserInputs): string[] {
    return OPTIONAL_INPUTS.filter((key) => (inputs as Record<string, unknown>)[key] !== undefined).sort();
}

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
        impersonator: user.impersonator === true,
        password: remembered.password,
        passwordHash: remembered.passwordHash,
        adopt: remembered.adopt,
        registration: user.registration,
        passwordUpdate: nonEmpty(user.passwordUpdate),
        declaredInputs: remembered.declaredInputs,
    };
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const bool = (v: unknown): boolean => v === true;
const stringList = (v: unknown): string[] | null =>
    Array.isArray(v) && v.every((item) => typeof item === "string") ? (v as string[]) : null;

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
        impersonator: bool(props.impersonator),
        password: str(props.password),
        passwordHash: props.passwordHash !== null && typeof props.passwordHash === "object" ? (props.passwordHash as PasswordHash) : null,
        adopt: bool(props.adopt),
        registration: str(props.registration) ?? "",
        passwordUpdate: str(props.passwordUpdate),
        declaredInputs: stringList(props.declaredInputs),
    };
}

/**
 * The inputs as they are now in Appwrite, for `read`: what the program that last wrote this user would
 * say to have it as it is. Only declared inputs appear, each with its live value; one whose live value is
 * gone (an email or phone cleared elsewhere, a password changed elsewhere) is left out, which shows as drift.
 */
export function toInputs(outs: UserOutputs): Partial<UserInputs> {
    const live: Record<string, unknown> = {
        userId: outs.userId,
        email: outs.email ?? undefined,
        phone: outs.phone ?? undefined,
        name: outs.name,
        emailVerification: outs.emailVerification,
        phoneVerification: outs.phoneVerification,
        mfa: outs.mfa,
        impersonator: outs.impersonator,
        password: outs.password ?? undefined,
        passwordHash: outs.passwordHash ?? undefined,
        // Older state does not say whether adopt was declared: report it only when it was on.
        adopt: outs.declaredInputs === null ? outs.adopt || undefined : outs.adopt,
    };
    const declared = ["userId", ...(outs.declaredInputs ?? INPUTS_BEFORE_DECLARED)];
    return Object.fromEntries(declared.map((key) => [key, live[key]]).filter(([, v]) => v !== undefined)) as Partial<UserInputs>;
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
