/**
 * `User`: an Appwrite user's identity and credentials. Labels, prefs and block status are left to
 * UserLabels, UserPrefs and UserStatus, which own those values whole.
 *
 * - check:  validates with Appwrite's rules (schema.ts); no request.
 * - diff:   declared inputs against old outputs; replaces on `userId` and `passwordHash`; no request.
 * - create: `users.create` (password or none) or `users.create<Algorithm>User` (passwordHash), or with
 *           `adopt` the existing user, or the user an interrupted earlier run of this create made
 *           (recognition.ts); then `updatePhone`/`updateEmail`/`updateName`/`updatePassword`/
 *           `updateEmailVerification`/`updatePhoneVerification`/`updateMFA`/`updateImpersonator` only where
 *           Appwrite differs.
 * - read:   `users.get` through users.ts; a moved `passwordUpdate` shows as drift on `password`. Its
 *           inputs are only those the program declared (`declaredInputs`), with their live values.
 * - update: the same update calls, one per changed input.
 * - delete: `users.delete`; a user already gone counts as deleted.
 */
import type { Users } from "node-appwrite";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { appwriteUsers } from "../../appwrite/connection";
import { attempt, context, describeError, isConflict, partiallyApplied, type ErrorContext } from "../../appwrite/errors";
import { deleteUnlessGone, goneRead } from "../../appwrite/gone";
import { getUser, type AppwriteUser } from "../../appwrite/users";
import { writeUser } from "../../appwrite/writes";
import { diffDeclared, sameEmail, sameValue, type DiffSpec } from "../../parts/diff";
import { switchRefused } from "../../parts/kind-switch";
import type { Props } from "../../parts/props";
import { checkInputs, parseInputs } from "../../validation/check";
import { isUnknown } from "../../validation/unknown";
import { createUser } from "./create";
import { declaredInputsOf, fromState, toInputs, toOutputs, type Remembered, type UserOutputs } from "./mapping";
import { userCrossCheck, userSchema, type UserInputs } from "./schema";

interface Step {
    /** Worded into errors: "… failed for user "u1" while setting the email". */
    what: string;
    due: (view: UserOutputs) => boolean;
    send: (users: Users, userId: string) => Promise<AppwriteUser>;
    /** For email and phone: Appwrite answers 409 when the value is already set, so a conflict is checked against the live user. */
    settled?: (live: AppwriteUser) => boolean;
    /** Set for the password, which outputs remember only once Appwrite has it. */
    setsPassword?: true;
}

/** The writes that bring a user to `inputs`, in an order where each one's side effects are already known. */
function steps(inputs: UserInputs): Step[] {
    const { email, phone, name, password, emailVerification, phoneVerification, mfa, impersonator } = inputs;
    const all: (Step | false)[] = [
        email !== undefined && {
            what: "setting the email",
            due: (v) => !sameEmail(v.email, email),
            send: (u, userId) => u.updateEmail({ userId, email }),
            settled: (live) => live.email === email.toLowerCase(),
        },
        phone !== undefined && {
            what: "setting the phone",
            due: (v) => v.phone !== phone,
            send: (u, userId) => u.updatePhone({ userId, number: phone }),
            settled: (live) => live.phone === phone,
        },
        name !== undefined && {
            what: "setting the name",
            due: (v) => v.name !== name,
            send: (u, userId) => u.updateName({ userId, name }),
        },
        password !== undefined && {
            what: "setting the password",
            due: (v) => v.password !== password,
            send: (u, userId) => u.updatePassword({ userId, password }),
            setsPassword: true,
        },
        // After the email and phone: changing those resets their verification flags.
        emailVerification !== undefined && {
            what: "setting emailVerification",
            due: (v) => v.emailVerification !== emailVerification,
            send: (u, userId) => u.updateEmailVerification({ userId, emailVerification }),
        },
        phoneVerification !== undefined && {
            what: "setting phoneVerification",
            due: (v) => v.phoneVerification !== phoneVerification,
            send: (u, userId) => u.updatePhoneVerification({ userId, phoneVerification }),
        },
        mfa !== undefined && {
            what: "setting mfa",
            due: (v) => v.mfa !== mfa,
            send: (u, userId) => u.updateMFA({ userId, mfa }),
        },
        impersonator !== undefined && {
            what: "setting impersonator",
            due: (v) => v.impersonator !== impersonator,
            send: (u, userId) => u.updateImpersonator({ userId, impersonator }),
        },
    ];
    return all.filter((s): s is Step => s !== false);
}

/**
 * Sends the due steps one after another, each judged against the user as the previous answer left it.
 * If one fails after the user exists, the error carries the outputs so far (see errors.ts).
 */
async function converge(
    ctx: ErrorContext,
    inputs: UserInputs,
    start: UserOutputs,
    remembered: Remembered,
    existed: boolean,
): Promise<UserOutputs> {
    let view = start;
    let sent = existed;
    // A missing setting is named before any step, as the operation's failure rather than a step's.
    await attempt(ctx, appwriteUsers);
    for (const step of steps(inputs)) {
        if (!step.due(view)) continue;
        const stepCtx = { ...ctx, step: step.what };
        try {
            const user = await writeUser(inputs.userId, (users) => step.send(users, inputs.userId)).catch(async (err: unknown) => {
                const live = isConflict(err) && step.settled ? await getUser(inputs.userId) : undefined;
                if (live !== undefined && step.settled?.(live)) return live;
                throw err;
            });
            if (step.setsPassword) remembered = { ...remembered, password: inputs.password ?? null };
            view = toOutputs(user, remembered, inputs.email ?? view.email);
            sent = true;
        } catch (err) {
            if (!sent) throw describeError(stepCtx, err);
            throw partiallyApplied(err, stepCtx, inputs.userId, { ...view });
        }
    }
    return { ...view, ...remembered };
}

function rememberedFor(inputs: UserInputs, before: Remembered): Remembered {
    const passwordHash = inputs.passwordHash ?? (inputs.password !== undefined ? null : before.passwordHash);
    return {
        password: inputs.password === undefined ? null : before.password,
        passwordHash,
        adopt: inputs.adopt ?? false,
        declaredInputs: declaredInputsOf(inputs),
    };
}

/** How User compares its inputs; UserBundle names the changed fields of its user with it. */
export const userDiffSpec: DiffSpec = {
    replaceKeys: ["userId", "passwordHash"],
    ignoreKeys: ["adopt"],
    equality: { email: sameEmail },
    collides: (o, n) =>
        ["userId", "email", "phone"].some(
            (key) => isUnknown(n[key]) || (n[key] !== undefined && (key === "email" ? sameEmail : sameValue)(o[key], n[key])),
        ),
};

export const userProvider: dynamic.ResourceProvider = {
    async check(_olds: Props, news: Props) {
        return checkInputs(userSchema, news, userCrossCheck);
    },

    async diff(id: string, olds: Props, news: Props) {
        const refused = switchRefused("User", id, olds);
        if (refused !== undefined) throw refused;
        const result = diffDeclared(olds, news, userDiffSpec);
        // Declaring an input Appwrite already agrees with sends nothing, but the outputs must learn it, so
        // that read reports it from then on. An input no longer declared is simply not managed any more;
        // the next real update forgets it.
        const before = fromState(olds, String(news.userId)).declaredInputs;
        if (result.changes || before === null) return result;
        return declaredInputsOf(news as UserInputs).every((key) => before.includes(key)) ? result : { changes: true };
    },

    async create(news: Props) {
        const ctx = context("User", "create", news.userId);
        const inputs = await attempt(ctx, async () => parseInputs(userSchema, news, userCrossCheck));
        const adopted = inputs.adopt ? await attempt(ctx, () => getUser(inputs.userId)) : undefined;
        const created = adopted === undefined ? await createUser(ctx, inputs) : undefined;
        const user = adopted ?? (created as { user: AppwriteUser }).user;
        // A password sent with this create is in place; an adopted user's password is set only if declared,
        // and a recognised one (made by an interrupted run) gets it again, as its hash cannot be compared.
        const remembered: Remembered = {
            password: created?.recognised === false ? (inputs.password ?? null) : null,
            passwordHash: inputs.passwordHash ?? null,
            adopt: inputs.adopt ?? false,
            declaredInputs: declaredInputsOf(inputs),
        };
        const outs = await converge(ctx, inputs, toOutputs(user, remembered, inputs.email), remembered, true);
        return { id: inputs.userId, outs };
    },

    async read(id: string, props?: Props) {
        const user = await attempt(context("User", "read", id), () => getUser(id));
        if (user === undefined) return goneRead();
        const prior = fromState(props ?? {}, id);
        // Appwrite never returns a password; a passwordUpdate other than the one our last write saw means
        // someone else set it, so the declared password is no longer known to be the live one.
        const moved = prior.passwordUpdate !== (user.passwordUpdate || null);
        const password = prior.password !== null && moved ? null : prior.password;
        const outs = toOutputs(
            user,
            { password, passwordHash: prior.passwordHash, adopt: prior.adopt, declaredInputs: prior.declaredInputs },
            prior.email,
        );
        return { id, props: outs, inputs: toInputs(outs) };
    },

    async update(id: string, olds: Props, news: Props) {
        const ctx = context("User", "update", id);
        const inputs = await attempt(ctx, async () => parseInputs(userSchema, news, userCrossCheck));
        const before = fromState(olds, id);
        const remembered = rememberedFor(inputs, before);
        const outs = await converge(ctx, inputs, before, remembered, false);
        return { outs };
    },

    async delete(id: string) {
        await deleteUnlessGone(context("User", "delete", id), () => writeUser(id, (users) => users.delete({ userId: id })));
    },
};
