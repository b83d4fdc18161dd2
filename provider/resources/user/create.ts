/**
 * The first request of `User.create`: the plain create for a password (or none), or the pre-hashed create
 * matching `passwordHash.algorithm`. Sent at most once per lost answer (see retry.ts), and worded so that
 * an existing user ID points at `adopt`.
 */
import type { Users } from "node-appwrite";
import type { PasswordHash as ShaVersion } from "node-appwrite";
import { appwriteUsers } from "../../appwrite/connection";
import { describeError, isConflict, type AppwriteProviderError, type ErrorContext } from "../../appwrite/errors";
import { fixes } from "../../appwrite/fixes";
import { retrying } from "../../appwrite/retry";
import { freshUser, type AppwriteUser } from "../../appwrite/users";
import { createForUser } from "../../appwrite/writes";
import { madeFrom } from "./mapping";
import { differencesFromCreate } from "./recognition";
import type { UserInputs } from "./schema";

function send(users: Users, inputs: UserInputs): Promise<AppwriteUser> {
    const { userId, email, phone, password } = inputs;
    // Appwrite refuses an explicit empty name on create; leaving it out gives the same empty name.
    const name = inputs.name === "" ? undefined : inputs.name;
    const hashed = inputs.passwordHash;
    if (hashed === undefined) return users.create({ userId, email, phone, password, name });
    // Pre-hashed creates require an email (check enforces it) and take no phone; the phone follows as an update.
    const base = { userId, email: email ?? "", password: hashed.hash, name };
    switch (hashed.algorithm) {
        case "argon2":
            return users.createArgon2User(base);
        case "bcrypt":
            return users.createBcryptUser(base);
        case "md5":
            return users.createMD5User(base);
        case "phpass":
            return users.createPHPassUser(base);
        case "sha":
            return users.createSHAUser({ ...base, passwordVersion: hashed.passwordVersion as ShaVersion | undefined });
        case "scrypt":
            return users.createScryptUser({
                ...base,
                passwordSalt: hashed.passwordSalt,
                passwordCpu: hashed.passwordCpu,
                passwordMemory: hashed.passwordMemory,
                passwordParallel: hashed.passwordParallel,
                passwordLength: hashed.passwordLength,
            });
        case "scryptModified":
            return users.createScryptModifiedUser({
                ...base,
                passwordSalt: hashed.passwordSalt,
                passwordSaltSeparator: hashed.passwordSaltSeparator,
                passwordSignerKey: hashed.passwordSignerKey,
            });
    }
}

/** The created user, and whether it is one an earlier, interrupted run made (see recognition.ts). */
export interface CreatedUser {
    user: AppwriteUser;
    recognised: boolean;
}

/** The sessions of an existing user, counted only on the rare path where a create met it. */
async function sessionCount(userId: string): Promise<number> {
    const users = await appwriteUsers();
    return (await retrying(() => users.listSessions({ userId, total: true }))).total;
}

/**
 * Creates the user. A conflict on its ID is the user an interrupted earlier run of this create made when
 * nothing tells them apart (recognition.ts); otherwise it says how to adopt it and what differs. A
 * conflict on email or phone says so.
 */
export async function createUser(ctx: ErrorContext, inputs: UserInputs): Promise<CreatedUser> {
    const ours = async () => {
        const user = await freshUser(inputs.userId);
        return user !== undefined && madeFrom(user, inputs) ? user : undefined;
    };
    try {
        return { user: await createForUser(inputs.userId, (users) => send(users, inputs), ours), recognised: false };
    } catch (err) {
        if (!isConflict(err)) throw describeError(ctx, err);
        const existing = await freshUser(inputs.userId).catch(() => undefined);
        if (existing === undefined) throw describeError(ctx, err, fixes.emailOrPhoneTaken);
        const differences = differencesFromCreate(existing, inputs, await sessionCount(inputs.userId).catch(() => 1));
        if (differences.length === 0) return { user: existing, recognised: true };
        const taken: AppwriteProviderError = describeError(
            ctx,
            err,
            `${fixes.adopt(inputs.userId)} It is not one an interrupted run of this create made: ${differences.join(", ")}.`,
        );
        taken.adoptable = true;
        throw taken;
    }
}
