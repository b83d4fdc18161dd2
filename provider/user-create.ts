/**
 * The first request of `User.create`: the plain create for a password (or none), or the pre-hashed create
 * matching `passwordHash.algorithm`. Sent at most once per lost answer (see retry.ts), and worded so that
 * an existing user ID points at `adopt`.
 */
import type { Users } from "node-appwrite";
import { PasswordHash as ShaVersion } from "node-appwrite";
import { describeError, fixes, isConflict, type ErrorContext } from "./errors";
import { createOnce } from "./retry";
import type { UserInputs } from "./schema";
import { madeFrom } from "./user-mapping";
import { forgetUser, getUser, type AppwriteUser } from "./users";

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

/** Creates the user; a conflict on its ID says how to adopt it, a conflict on email or phone says so. */
export async function createUser(ctx: ErrorContext, users: Users, inputs: UserInputs): Promise<AppwriteUser> {
    forgetUser(inputs.userId);
    const ours = async () => {
        forgetUser(inputs.userId);
        const user = await getUser(inputs.userId);
        return user !== undefined && madeFrom(user, inputs) ? user : undefined;
    };
    try {
        return await createOnce(() => send(users, inputs), ours);
    } catch (err) {
        if (!isConflict(err)) throw describeError(ctx, err);
        const existing = await getUser(inputs.userId).catch(() => undefined);
        throw describeError(ctx, err, existing !== undefined ? fixes.adopt(inputs.userId) : fixes.emailOrPhoneTaken);
    }
}
