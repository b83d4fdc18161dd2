import { randomBytes } from "node:crypto";
import { type Handler, requireUser, source } from "./context";
import { authenticatorNotFound, invalidToken, recoveryCodesAlreadyExist, recoveryCodesNotFound } from "./errors";
import { readParams, text, uid, whiteList } from "./validators";

const userIdParam = { name: "userId", validator: uid };

/** Type::generateBackupCodes: six codes of ten lower-case hex characters. */
const backupCodes = (): string[] => Array.from({ length: 6 }, () => randomBytes(5).toString("hex"));

/**
 * Which factors the user could use, with the default project policy (TOTP, email and phone on, custom off).
 * `recoveryCode` is never set by the route, so it is always the model's default, false.
 */
export const listFactors: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam]);
    const user = requireUser(ctx, p.userId);
    const totp = ctx.store.side.totpOf(user.seq);
    return {
        status: 200,
        body: {
            totp: totp?.verified === true,
            phone: Boolean(user.phone) && user.phoneVerification,
            email: Boolean(user.email) && user.emailVerification,
            recoveryCode: false,
            custom: false,
        },
    };
};

/** Creating codes when the user has some is a 409: existing codes can only be read or regenerated. */
export const createRecoveryCodes: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam]);
    const user = requireUser(ctx, p.userId);
    if ((user.mfaRecoveryCodes ?? []).length > 0) throw recoveryCodesAlreadyExist();
    const recoveryCodes = backupCodes();
    ctx.store.updateUser(user, { mfaRecoveryCodes: recoveryCodes }, ctx.nowMs);
    // The SDK declares 201, but the action never sets a status, so Appwrite answers 200.
    return { status: 200, body: { recoveryCodes } };
};

export const getRecoveryCodes: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam]);
    const codes = requireUser(ctx, p.userId).mfaRecoveryCodes ?? [];
    if (codes.length === 0) throw recoveryCodesNotFound();
    return { status: 200, body: { recoveryCodes: codes } };
};

/** Regenerating replaces every code, and needs codes to exist. */
export const regenerateRecoveryCodes: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam]);
    const user = requireUser(ctx, p.userId);
    if ((user.mfaRecoveryCodes ?? []).length === 0) throw recoveryCodesNotFound();
    const recoveryCodes = backupCodes();
    ctx.store.updateUser(user, { mfaRecoveryCodes: recoveryCodes }, ctx.nowMs);
    return { status: 200, body: { recoveryCodes } };
};

/** Removes the user's TOTP authenticator, verified or not. Only a state file can give a user one. */
export const deleteAuthenticator: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, { name: "type", validator: whiteList(["totp"]) }]);
    const user = requireUser(ctx, p.userId);
    const totp = ctx.store.side.totpOf(user.seq);
    if (!totp) throw authenticatorNotFound();
    ctx.store.side.deleteAuthenticator(totp.$id);
    return { status: 204 };
};

/** Custom-factor challenges come from the Account API, which the emulator lacks, so none is ever found. */
export const getChallenge: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, { name: "challengeId", validator: text(256) }]);
    requireUser(ctx, p.userId);
    throw invalidToken();
};
