/**
 * The Account API routes that adding and using an authenticator app needs, as Appwrite 1.9.6 serves them
 * (Modules/Account/Http/Account/MFA): the caller is the user of the session in `X-Appwrite-Session`, whose
 * sign-in checks (blocked user, factors still owed) run in server.ts before these handlers.
 */
import { type Handler, type RouteContext, source } from "./context";
import {
    authenticatorAlreadyVerified,
    authenticatorNotFound,
    invalidToken,
    phoneDisabled,
    serverError,
    smtpDisabled,
    userNotFound,
} from "./errors";
import { sessionModel } from "./models-auth";
import { userModel } from "./models";
import { newTotpSecret, provisioningUri, totpAt } from "./totp";
import type { AuthenticatorRecord, ChallengeRecord } from "./side-store";
import { formatDate, generateId } from "./store";
import { readParams, text, whiteList } from "./validators";

/** TOKEN_EXPIRATION_CONFIRM: an MFA challenge lives an hour. */
const CHALLENGE_SECONDS = 3600;

function signedIn(ctx: RouteContext) {
    if (ctx.caller.account === undefined) throw userNotFound();
    return ctx.caller.account;
}

/** The Account model: the User model without the password, its hash and the hash options. */
function accountModel(ctx: RouteContext) {
    const { password: _password, hash: _hash, hashOptions: _options, ...account } = userModel(ctx.store, signedIn(ctx).user);
    return account;
}

export const getAccount: Handler = (ctx) => ({ status: 200, body: accountModel(ctx) });

/**
 * A new, unverified TOTP authenticator replacing an unverified one; a verified one must be deleted first.
 * The secret is answered once, with its provisioning URI (label: the user's email, issuer: the project name).
 */
export const createAuthenticator: Handler = (ctx) => {
    readParams(source(ctx), [{ name: "type", validator: whiteList(["totp"]) }]);
    const { user } = signedIn(ctx);
    const existing = ctx.store.side.totpOf(user.seq);
    if (existing?.verified === true) throw authenticatorAlreadyVerified();
    if (existing !== undefined) ctx.store.side.deleteAuthenticator(existing.$id);
    const secret = newTotpSecret();
    const authenticator: AuthenticatorRecord = {
        $id: generateId(ctx.nowMs),
        userId: user.$id,
        userSeq: user.seq,
        type: "totp",
        verified: false,
        secret,
    };
    ctx.store.side.addAuthenticator(authenticator);
    return { status: 200, body: { secret, uri: provisioningUri(secret, user.email ?? "", ctx.projectName) } };
};

/** `Challenge\TOTP::verify`: the code of the current period only, no window either side. */
const totpAccepted = (authenticator: AuthenticatorRecord | undefined, otp: unknown, nowMs: number): boolean => {
    // Appwrite reads `data.secret` of whatever authenticator it finds; with none it fails with a PHP error.
    if (authenticator === undefined) throw serverError();
    return authenticator.secret !== undefined && totpAt(authenticator.secret, nowMs) === otp;
};

/** Verifies the authenticator with a current code, and counts TOTP as a factor of this session. */
export const verifyAuthenticator: Handler = (ctx) => {
    const p = readParams(source(ctx), [
        { name: "type", validator: whiteList(["totp"]) },
        { name: "otp", validator: text(256) },
    ]);
    const { user, session } = signedIn(ctx);
    const authenticator = ctx.store.side.totpOf(user.seq);
    if (authenticator === undefined) throw authenticatorNotFound();
    if (authenticator.verified) throw authenticatorAlreadyVerified();
    if (!totpAccepted(authenticator, p.otp, ctx.nowMs)) throw invalidToken();
    ctx.store.side.addAuthenticator({ ...authenticator, verified: true });
    ctx.store.side.addSession({ ...session, factors: [...new Set([...session.factors, "totp"])] });
    return { status: 200, body: accountModel(ctx) };
};

/** Removes the user's authenticator, verified or not; no code is asked for and no session ends. */
export const deleteAuthenticator: Handler = (ctx) => {
    readParams(source(ctx), [{ name: "type", validator: whiteList(["totp"]) }]);
    const { user } = signedIn(ctx);
    const authenticator = ctx.store.side.totpOf(user.seq);
    if (authenticator === undefined) throw authenticatorNotFound();
    ctx.store.side.deleteAuthenticator(authenticator.$id);
    return { status: 204 };
};

/**
 * A challenge for one factor. Email and phone need a mail or SMS provider, which the emulator, like an
 * Appwrite without `_APP_SMTP_HOST` or `_APP_SMS_PROVIDER`, does not have. The factor is checked ignoring
 * case but stored as sent, so a challenge made with node-appwrite's `AuthenticationFactor.Recoverycode`
 * ("recoverycode") is never completed: Appwrite's completion matches `recoveryCode` exactly.
 */
export const createChallenge: Handler = (ctx) => {
    const p = readParams(source(ctx), [{ name: "factor", validator: whiteList(["email", "phone", "totp", "recoveryCode"]) }]);
    const { user } = signedIn(ctx);
    const factor = String(p.factor).toLowerCase();
    if (factor === "email") throw smtpDisabled();
    if (factor === "phone") throw phoneDisabled();
    const challenge: ChallengeRecord = {
        $id: generateId(ctx.nowMs),
        $createdAt: formatDate(ctx.nowMs),
        userId: user.$id,
        userSeq: user.seq,
        type: String(p.factor),
        expire: formatDate(ctx.nowMs + CHALLENGE_SECONDS * 1000),
    };
    ctx.store.side.challenges.set(challenge.$id, challenge);
    return {
        status: 201,
        body: { $id: challenge.$id, $createdAt: challenge.$createdAt, userId: challenge.userId, expire: challenge.expire },
    };
};

/**
 * Completes a challenge: a TOTP code of the current period, or one of the user's recovery codes (used up).
 * The factor joins the session's factors; any failure, an unknown challenge included, is `user_invalid_token`.
 */
export const completeChallenge: Handler = (ctx) => {
    const p = readParams(source(ctx), [
        { name: "challengeId", validator: text(256) },
        { name: "otp", validator: text(256) },
    ]);
    const { user, session } = signedIn(ctx);
    const challenge = ctx.store.side.challenges.get(String(p.challengeId));
    if (challenge === undefined) throw invalidToken();
    let accepted = false;
    if (challenge.type === "totp") accepted = totpAccepted(ctx.store.side.totpOf(user.seq), p.otp, ctx.nowMs);
    if (challenge.type === "recoveryCode") {
        const codes = user.mfaRecoveryCodes ?? [];
        accepted = codes.includes(String(p.otp));
        if (accepted) ctx.store.updateUser(user, { mfaRecoveryCodes: codes.filter((c) => c !== p.otp) }, ctx.nowMs);
    }
    if (!accepted) throw invalidToken();
    ctx.store.side.challenges.delete(challenge.$id);
    const updated = { ...session, factors: [...new Set([...session.factors, challenge.type])], mfaUpdatedAt: formatDate(ctx.nowMs) };
    ctx.store.side.addSession(updated);
    return { status: 200, body: sessionModel(updated, "") };
};
