import * as pulumi from "@pulumi/pulumi";
import { PROJECT_OUTPUT, type ProjectArgs } from "./project";
import { providerObject } from "./provider-object";
import type { UserBundleArgs, UserBundleOutputs, UserBundleTargetOutputs } from "./user-bundle";

/**
 * One user of a {@link UserSet}: everything a `UserBundle` takes (the user's fields, `password` or
 * `passwordHash`, `adopt`, `labels`, `prefs`, `blocked`, `targets`), each part left out not managed.
 */
export interface UserSetMemberArgs extends Omit<UserBundleArgs, "project"> {
    /**
     * The Appwrite user ID: 1 to 36 characters of `A-Z a-z 0-9 . - _`, not starting with `.`, `-` or `_`;
     * unique in the project and in the set. A plain string, because the set knows its members by it: a
     * member whose ID changes is another user (the old one is deleted, the new one made).
     */
    userId: string;
}

/** Inputs of {@link UserSet}: its members live in its `project` (the default one when left out). */
export interface UserSetArgs extends ProjectArgs {
    /**
     * The users of the set, each known by its `userId` (order makes no diff). Emails, phones, target IDs and
     * target identifiers must be unique across the members (and the project). `password` and `passwordHash`
     * are made secret member by member, so the rest of each member stays readable in diffs.
     *
     * Or one Output of the whole list, for members computed from another value: the program then makes one
     * Output for the set instead of one per member, which costs seconds at thousands of members. That Output
     * must not be secret itself, or the whole `users` is (no diff could name a member): derive the passwords
     * from `pulumi.unsecret(secret)` as plain strings; each is made secret again where it is stored.
     */
    users: UserSetMemberArgs[] | pulumi.Output<UserSetMemberArgs[]>;
}

/** Member outputs the set leaves out when they hold their usual value (null, or false), to keep the state small. */
type UsualMemberOutputs = "phone" | "passwordHash" | "adopt" | "emailVerification" | "phoneVerification" | "mfa" | "impersonator";

/**
 * A member's target as the set reports it: UserBundle's, with `providerId` (null), `name` (""), `takenOver` and
 * `expired` (false) left out when they hold those values, and `appwriteTargetId` when it is the `targetId`.
 */
export type UserSetTargetOutputs = Omit<UserBundleTargetOutputs, "providerId" | "name" | "takenOver" | "expired" | "appwriteTargetId"> &
    Partial<Pick<UserBundleTargetOutputs, "providerId" | "name" | "takenOver" | "expired" | "appwriteTargetId">>;

/**
 * A member as the set reports it: UserBundle's outputs without `userId`, which is its key in `users`, and
 * without `phone` and `passwordHash` when null, `adopt`, `emailVerification`, `phoneVerification`, `mfa` and
 * `impersonator` when false (a missing one holds that value).
 */
export type UserSetMemberOutputs = Omit<UserBundleOutputs, "userId" | "project" | UsualMemberOutputs | "targets"> &
    Partial<Pick<UserBundleOutputs, UsualMemberOutputs>> & { targets: UserSetTargetOutputs[] | null };

/** Outputs of {@link UserSet}. */
export interface UserSetOutputs {
    users: Record<string, UserSetMemberOutputs>;
    /** The name of the entry of `appwrite:projects` the set's users live in; present only when declared. */
    project?: string;
}

/**
 * A secret member field. A plain string is sent as Pulumi's wire form of a secret, which is what serializing a
 * secret Output gives, without the Output: a program that makes one per member spends most of its time on
 * them (12 s of a 10,000-user seed, docs/guides/benchmarks.md).
 */
function secretField<T>(value: pulumi.Input<T>): unknown {
    return typeof value === "string" ? { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value } : pulumi.secret(value);
}

/** A member's inputs as the set stores them: no `userId` (the key), its password secret, nothing undefined. */
function memberInputs(member: UserSetMemberArgs): Record<string, unknown> {
    const { userId: _userId, password, passwordHash, ...rest } = member;
    const inputs: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    if (password !== undefined) inputs.password = secretField(password);
    if (passwordHash !== undefined) inputs.passwordHash = secretField(passwordHash);
    return inputs;
}

/** The members by user ID; a user ID given twice is refused before anything is declared. */
function usersById(name: string, users: readonly UserSetMemberArgs[]): Record<string, Record<string, unknown>> {
    const byId: Record<string, Record<string, unknown>> = {};
    for (const member of users) {
        if (typeof member.userId !== "string")
            throw new Error(`UserSet "${name}": each member's userId must be a plain string (the set knows its members by it)`);
        if (Object.hasOwn(byId, member.userId))
            throw new Error(`UserSet "${name}": the user ID "${member.userId}" is declared twice; each member needs its own`);
        byId[member.userId] = memberInputs(member);
    }
    return byId;
}

/**
 * Many Appwrite users in one resource, each with everything a `UserBundle` manages, known by user ID: for
 * seeds of hundreds or thousands of users. Pulumi's engine costs by resource (each step rewrites the whole
 * state), so a seed of 10,000 users in a few dozen sets took 1.03× the time of a script sending the same
 * requests (docs/guides/benchmarks.md). Each member is applied as a UserBundle would be: only what changed is written, members are added,
 * changed, replaced (`passwordHash`, a target's `targetId` or `providerType`) and removed (deleted in Appwrite)
 * inside the set, and `pulumi preview --diff` names the member and field (`~ users: { ~ qa-0042: { ~ email } }`).
 * A failure part-way records what was done; the next `up` does the rest. Deleting the set deletes its users.
 * Do not also declare another resource for a member. `SeededUsers` declares its users this way.
 *
 * @example
 * ```ts
 * new UserSet("qa", {
 *     users: [
 *         { userId: "qa-0001", email: "qa-0001@example.com", password: cfg.requireSecret("qaPassword"), labels: ["qa"] },
 *         { userId: "qa-0002", email: "qa-0002@example.com", blocked: true },
 *     ],
 * });
 * ```
 */
export class UserSet extends pulumi.dynamic.Resource {
    /** Each member's outputs by user ID, as Appwrite holds them; a member's `password` and `passwordHash` are secret. */
    declare public readonly users: pulumi.Output<Record<string, UserSetMemberOutputs>>;
    /** The name of the entry of `appwrite:projects` the set's users live in, as declared; undefined in the default project. */
    declare public readonly project: pulumi.Output<string | undefined>;

    constructor(name: string, args: UserSetArgs, opts?: pulumi.CustomResourceOptions) {
        // Without `users` (a program in plain JavaScript), check refuses the set at preview, naming the input.
        const users = Array.isArray(args.users)
            ? usersById(name, args.users)
            : pulumi.Output.isInstance(args.users)
              ? args.users.apply((members) => (Array.isArray(members) ? usersById(name, members) : members))
              : args.users;
        super(providerObject("UserSet"), name, { ...PROJECT_OUTPUT, project: args.project, users }, opts, "appwrite", "UserSet");
    }
}
