import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadSeedFile, SeedUser } from "./seed-file";
import { assertImpersonatorsAllowed, assertSeedingAllowed, productionStacksFromConfig } from "./seed-guard";
import { seededUserPassword } from "./seed-password";
import { User } from "./user";
import { UserBundle } from "./user-bundle";
import { UserLabels } from "./user-labels";
import { UserPrefs } from "./user-prefs";
import { UserStatus } from "./user-status";
import { UserTarget } from "./user-target";

export { seededUserPassword } from "./seed-password";
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
     * Declare one `UserBundle` per user (its user, labels, prefs, status and targets together) instead of five
     * resources or more (`User`, `UserLabels`, `UserPrefs`, `UserStatus`, one `UserTarget` per target). The
     * Pulumi engine's cost is per resource (each is registered, checked, diffed and stored, and a file backend
     * rewrites the whole checkpoint after every step), so a large seed is faster and its state several times
     * smaller this way; Appwrite gets the same requests. The bundles are in `bundles`, and `users` is empty.
     *
     * Switching a stack that was seeded without `compact` cannot be done by flipping this alone: that `up`
     * would create bundles and then delete the old resources, and deleting a `User` deletes the Appwrite
     * user. So each bundle has an alias to the `User` of its name, whose state the engine hands it, and the
     * bundle's diff refuses, at preview and at up, with or without `adopt`, before anything is written (the way
     * back is guarded the same way). The way to switch (docs/guides/seed-files.md, "Switching a seed to
     * compact"): remove the old resources from the state with `pulumi state delete`, then `up` with `compact`
     * and `adopt`, which takes the users over.
     */
    compact?: boolean;
    /**
     * The Appwrite project the users are seeded in: the name of an entry of `appwrite:projects` (see the
     * `project` input of each resource). Left out, the default project. Every declared resource carries it;
     * changing it replaces them all, seeding the users in the new project and deleting them from the old one.
     */
    project?: pulumi.Input<string>;
}

/** The resources declared for one seeded user, all children of the SeededUsers component. */
export interface SeededUser {
    user: User;
    labels: UserLabels;
    prefs: UserPrefs;
    targets: UserTarget[];
    status: UserStatus;
}

/**
 * Declares the users of a seed file: for each entry one `User` (with a password derived from
 * `passwordSecret` and its ID), its `UserLabels`, `UserPrefs`, `UserStatus` and one `UserTarget` per
 * target, or with `compact` one `UserBundle` holding all of them. The whole file is validated before
 * anything is declared, and production stacks are refused.
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
    /** The declared resources by user ID; empty with `compact`. */
    readonly users: Record<string, SeededUser>;
    /** With `compact`, the bundle of each user by user ID; empty otherwise. */
    readonly bundles: Record<string, UserBundle>;
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
        this.users = {};
        this.bundles = {};
        for (const entry of seed) {
            const where = { adopt: args.adopt === true, project: args.project };
            if (args.compact === true) this.bundles[entry.id] = declareBundle(this, name, entry, secret, where);
            else this.users[entry.id] = declareUser(this, name, entry, secret, where);
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
    return path.isAbsolute(rootDirectory) && fs.statSync(rootDirectory, { throwIfNoEntry: false })?.isDirectory() === true ? rootDirectory : cwd;
}

/** How every resource of a seed is declared: taking users over or not, and in which project. */
interface Placement {
    adopt: boolean;
    project: pulumi.Input<string> | undefined;
}

/** The User inputs of a seed entry, its password derived from the secret. */
function userInputs(entry: SeedUser, secret: pulumi.Output<string>, { adopt, project }: Placement) {
    return {
        ...(project !== undefined ? { project } : {}),
        userId: entry.id,
        email: entry.email,
        phone: entry.phone,
        name: entry.name,
        ...(entry.impersonator !== undefined ? { impersonator: entry.impersonator } : {}),
        password: pulumi.secret(secret.apply((s) => seededUserPassword(s, entry.id))),
        ...(adopt ? { adopt } : {}),
    };
}

function declareBundle(parent: SeededUsers, name: string, entry: SeedUser, secret: pulumi.Output<string>, placement: Placement): UserBundle {
    return new UserBundle(
        `${name}-${entry.id}`,
        {
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
        },
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
    const user = new User(prefix, userInputs(entry, secret, placement), { ...opts, aliases: [{ type: "pulumi-nodejs:dynamic/appwrite:UserBundle" }] });
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
