import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadSeedFile, SeedUser } from "./seed-file";
import { assertImpersonatorsAllowed, assertSeedingAllowed, productionStacksFromConfig } from "./seed-guard";
import { seededUserPassword } from "./seed-password";
import { declareSets } from "./seed-sets";
import { User } from "./user";
import { UserBundle } from "./user-bundle";
import { UserLabels } from "./user-labels";
import { UserPrefs } from "./user-prefs";
import { UserStatus } from "./user-status";
import { UserSet, type UserSetMemberArgs } from "./user-set";
import { UserTarget } from "./user-target";

export { seededUserPassword } from "./seed-password";
export { SEED_SETS, seedSetOf, seedSetName } from "./seed-sets";
export { loadSeedFile, SeedFileError } from "./seed-file";
export type { SeedUser, SeedTarget } from "./seed-file";
export { isProductionStack } from "./seed-guard";

export interface SeededUsersArgs {
    /**
     * Path of the YAML (`.yaml`, `.yml`) or JSON seed file, relative to the Pulumi project directory (where
     * `Pulumi.yaml` is, even when it sets `main`); an Automation API inline program, which has none, resolves it
     * from its working directory.
     */
    file: string;
    /**
     * The secret every seeded password is derived from (at least 16 characters), e.g.
     * `config.requireSecret("seedPasswordSecret")`. CI gets a user's password with `seededUserPassword`.
     */
    passwordSecret: pulumi.Input<string>;
    /** Seed a stack whose name says production, or that is listed in `appwrite-users:productionStacks`. */
    allowProduction?: boolean;
    /**
     * On a production stack (seeded with `allowProduction`), also make the users the seed file marks
     * `impersonator: true`; without it such a seed file is refused there.
     */
    allowProductionImpersonators?: boolean;
    /**
     * Take over users that already exist with a seeded ID (e.g. left by an earlier seeding) instead of
     * failing; they are brought to the seed file's values and given their derived password.
     */
    adopt?: boolean;
    /**
     * How the users are declared:
     * - `"sets"` (the default): in `UserSet`s, at most 64 whatever the seed's size, each user's set a hash of
     *   its ID (so a user never moves between sets). A seed of 10,000 users took 1.03× a script's time.
     * - `"bundles"`: one `UserBundle` per user (what `compact: true` chose before sets existed).
     * - `"resources"`: five resources or more per user (`User`, `UserLabels`, `UserPrefs`, `UserStatus`, one
     *   `UserTarget` per target), for a program that needs each part as a resource of its own.
     * Appwrite gets the same requests in every layout; the engine's cost and the state's size grow with the
     * number of resources. To move a stack seeded in another layout to sets, `up` once with `adopt: true`:
     * the sets take the users over, and the old resources leave the state without deleting anything in
     * Appwrite (docs/guides/seeding-staging.md).
     */
    layout?: SeedLayout;
    /** @deprecated Use `layout: "bundles"`. `true` declares one `UserBundle` per user. */
    compact?: boolean;
    /**
     * The Appwrite project the users are seeded in: the name of an entry of `appwrite:projects` (see the
     * `project` input of each resource). Left out, the default project. Every declared resource carries it;
     * changing it replaces them all, seeding the users in the new project and deleting them from the old one.
     */
    project?: pulumi.Input<string>;
}

/** See {@link SeededUsersArgs.layout}. */
export type SeedLayout = "sets" | "bundles" | "resources";

/** The resources declared for one seeded user, all children of the SeededUsers component. */
export interface SeededUser {
    user: User;
    labels: UserLabels;
    prefs: UserPrefs;
    targets: UserTarget[];
    status: UserStatus;
}

/**
 * Declares the users of a seed file, each with a password derived from `passwordSecret` and its ID, its
 * labels, prefs, block status and targets: by default in at most 64 `UserSet`s (`layout`). The whole file is
 * validated before anything is declared, and production stacks are refused.
 *
 * @example
 * ```ts
 * const seed = new SeededUsers("staging", {
 *     file: "users.yaml", // relative to the Pulumi project directory
 *     passwordSecret: config.requireSecret("seedPasswordSecret"),
 * });
 * export const seededUserIds = seed.userIds;
 * ```
 */
export class SeededUsers extends pulumi.ComponentResource {
    /** With `layout: "resources"`, the declared resources by user ID; empty otherwise. */
    readonly users: Record<string, SeededUser>;
    /** With `layout: "bundles"`, the bundle of each user by user ID; empty otherwise. */
    readonly bundles: Record<string, UserBundle>;
    /** With `layout: "sets"` (the default), the sets by resource name (`<name>-set-07`); empty otherwise. */
    readonly sets: Record<string, UserSet>;
    /** The seeded user IDs, in file order. */
    readonly userIds: pulumi.Output<string[]>;

    constructor(name: string, args: SeededUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        const stack = pulumi.getStack();
        const productionStacks = productionStacksFromConfig();
        assertSeedingAllowed(stack, productionStacks, args.allowProduction === true);
        const seed = loadSeedFile(args.file, seedFileBase(pulumi.runtime.getRootDirectory(), process.cwd()));
        const impersonators = seed.filter((entry) => entry.impersonator === true).map((entry) => entry.id);
        assertImpersonatorsAllowed(stack, productionStacks, impersonators, args.allowProductionImpersonators === true);
        super("appwrite-users:index:SeededUsers", name, {}, opts);

        const secret = pulumi.secret(args.passwordSecret);
        const adopt = args.adopt === true;
        const where: Placement = { adopt, project: args.project };
        const layout = args.layout ?? (args.compact === true ? "bundles" : "sets");
        if (!["sets", "bundles", "resources"].includes(layout))
            throw new Error(`SeededUsers "${name}": layout is "${String(layout)}"; it must be "sets", "bundles" or "resources"`);
        this.users = {};
        this.bundles = {};
        this.sets =
            layout === "sets"
                ? declareSets(this, name, seed, secret, (entry, plainSecret) => setMember(entry, plainSecret, adopt), args.project)
                : {};
        for (const entry of seed) {
            if (layout === "bundles") this.bundles[entry.id] = declareBundle(this, name, entry, secret, where);
            else if (layout === "resources") this.users[entry.id] = declareUser(this, name, entry, secret, where);
        }
        this.userIds = pulumi.output(seed.map((entry) => entry.id));
        this.registerOutputs({ userIds: this.userIds });
    }
}

/**
 * Where a relative seed file path starts: the project directory, as Pulumi's language host reports it (the program
 * itself runs in the directory `main` names), or else the working directory. Inline programs get no project
 * directory: the runtime then holds a placeholder that is not a directory.
 */
export function seedFileBase(rootDirectory: string, cwd: string): string {
    return path.isAbsolute(rootDirectory) && fs.statSync(rootDirectory, { throwIfNoEntry: false })?.isDirectory() === true
        ? rootDirectory
        : cwd;
}

/** How every resource of a seed is declared: taking users over or not, and in which project. */
interface Placement {
    adopt: boolean;
    project: pulumi.Input<string> | undefined;
}

/** A seeded user's password: a secret derived from the seed's secret, or, given the secret's value, a plain string. */
function seedPassword(entry: SeedUser, secret: pulumi.Output<string> | string): pulumi.Input<string> {
    return typeof secret === "string"
        ? seededUserPassword(secret, entry.id)
        : pulumi.secret(secret.apply((s) => seededUserPassword(s, entry.id)));
}

/** The User inputs of a seed entry, its password derived from the secret. */
function userInputs(entry: SeedUser, secret: pulumi.Output<string> | string, { adopt, project }: Placement) {
    return {
        ...(project !== undefined ? { project } : {}),
        userId: entry.id,
        email: entry.email,
        phone: entry.phone,
        name: entry.name,
        ...(entry.impersonator !== undefined ? { impersonator: entry.impersonator } : {}),
        password: seedPassword(entry, secret),
        ...(adopt ? { adopt } : {}),
    };
}

/** A seed entry as a UserBundle's (and, without `userId` and `project`, a UserSet member's) inputs. */
function bundleInputs(entry: SeedUser, secret: pulumi.Output<string> | string, placement: Placement) {
    return {
        ...userInputs(entry, secret, placement),
        labels: entry.labels,
        prefs: entry.prefs,
        blocked: entry.blocked,
        targets: entry.targets.map((target) => ({
            targetId: target.targetId,
            providerType: target.providerType,
            identifier: target.identifier,
            providerId: target.providerId,
            name: target.name,
        })),
    };
}

/** A seed entry as a member of its set (the set, not the member, names the project), given the secret's value. */
function setMember(entry: SeedUser, secret: string, adopt: boolean): UserSetMemberArgs {
    return bundleInputs(entry, secret, { adopt, project: undefined });
}

function declareBundle(
    parent: SeededUsers,
    name: string,
    entry: SeedUser,
    secret: pulumi.Output<string>,
    placement: Placement,
): UserBundle {
    return new UserBundle(
        `${name}-${entry.id}`,
        bundleInputs(entry, secret, placement),
        // Where the stack holds this user's User, the engine hands its state to the bundle, whose diff then refuses
        // the switch before anything is written, instead of deleting the User (and the user) at the end.
        { parent, aliases: [{ type: "pulumi-nodejs:dynamic/appwrite:User" }] },
    );
}

function declareUser(parent: SeededUsers, name: string, entry: SeedUser, secret: pulumi.Output<string>, placement: Placement): SeededUser {
    const opts = { parent };
    const prefix = `${name}-${entry.id}`;
    const project = placement.project !== undefined ? { project: placement.project } : {};
    // The same guard the other way: a bundle of this user is handed to the User, whose diff refuses.
    const user = new User(prefix, userInputs(entry, secret, placement), {
        ...opts,
        aliases: [{ type: "pulumi-nodejs:dynamic/appwrite:UserBundle" }],
    });
    return {
        user,
        labels: new UserLabels(prefix, { ...project, userId: user.userId, labels: entry.labels }, opts),
        prefs: new UserPrefs(prefix, { ...project, userId: user.userId, prefs: entry.prefs }, opts),
        targets: entry.targets.map(
            (target) =>
                new UserTarget(
                    `${prefix}-${target.targetId}`,
                    {
                        ...project,
                        userId: user.userId,
                        targetId: target.targetId,
                        providerType: target.providerType,
                        identifier: target.identifier,
                        providerId: target.providerId,
                        name: target.name,
                    },
                    opts,
                ),
        ),
        status: new UserStatus(prefix, { ...project, userId: user.userId, blocked: entry.blocked }, opts),
    };
}
