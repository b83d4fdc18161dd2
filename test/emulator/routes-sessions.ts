import { createHash, createHmac, randomBytes } from "node:crypto";
import { type Handler, requireUser, source } from "./context";
import { serverError, sessionNotFound } from "./errors";
import { clientInfo, sessionModel, tokenModel } from "./models-auth";
import type { SessionRecord, TokenRecord } from "./side-store";
import { formatDate, generateId } from "./store";
import { boolean, customId, range, readParams, toBoolean, uid } from "./validators";

/** TOKEN_EXPIRATION_LOGIN_LONG: a session lives a year unless the project sets `auths.duration`. */
const SESSION_DURATION_SECONDS = 31536000;
/** TOKEN_EXPIRATION_GENERIC: 15 minutes. */
const TOKEN_EXPIRE_DEFAULT_SECONDS = 900;
const JWT_DURATION_DEFAULT_SECONDS = 900;
const JWT_DURATION_MAX_SECONDS = 3600;
const TOKEN_TYPE_GENERIC = 8;

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
/** utopia's Token proof: `length` lower-case hex characters. */
const hexSecret = (length: number): string =>
    randomBytes(Math.ceil(length / 2))
        .toString("hex")
        .slice(0, length);
const base64url = (s: string | Buffer): string => Buffer.from(s).toString("base64url");

const userIdParam = { name: "userId", validator: uid };

/**
 * A server session: provider `server`, factor `server`, a 256-character secret stored as its SHA-256, and
 * the project's session length. The answer carries the secret encoded as Appwrite's session cookie value,
 * base64 of `{"id": userId, "secret": secret}`. Server sessions are not trimmed to the project's session
 * limit (that runs only on the Account API's session routes), and a blocked user still gets one.
 */
export const createSession: Handler = (ctx) => {
    const p = readParams(source(ctx), [{ name: "userId", validator: customId }]);
    const user = requireUser(ctx, p.userId);
    const secret = hexSecret(256);
    const now = formatDate(ctx.nowMs);
    const session: SessionRecord = {
        $id: generateId(ctx.nowMs),
        $createdAt: now,
        $updatedAt: now,
        userId: user.$id,
        userSeq: user.seq,
        expire: formatDate(ctx.nowMs + SESSION_DURATION_SECONDS * 1000),
        provider: "server",
        providerUid: "",
        providerAccessToken: "",
        providerAccessTokenExpiry: "",
        providerRefreshToken: "",
        ...clientInfo(ctx.caller.ip),
        secret: sha256(secret),
        userAgent: ctx.caller.userAgent,
        factors: ["server"],
        mfaUpdatedAt: "",
    };
    ctx.store.side.addSession(session);
    const encoded = Buffer.from(JSON.stringify({ id: user.$id, secret })).toString("base64");
    return { status: 201, body: sessionModel(session, encoded) };
};

export const listSessions: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, { name: "total", validator: boolean(true), optional: true, default: true }]);
    const user = requireUser(ctx, p.userId);
    const sessions = ctx.store.side.sessionsOf(user.seq).map((s) => sessionModel(s));
    return { status: 200, body: { total: p.total === null || toBoolean(p.total) ? sessions.length : 0, sessions } };
};

/** A session of another user is not found, as if it did not exist. */
export const deleteSession: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam, { name: "sessionId", validator: uid }]);
    const user = requireUser(ctx, p.userId);
    const session = ctx.store.side.sessions.get(String(p.sessionId));
    if (!session || session.userSeq !== user.seq) throw sessionNotFound();
    ctx.store.side.deleteSession(session.$id);
    return { status: 204 };
};

export const deleteSessions: Handler = (ctx) => {
    const p = readParams(source(ctx), [userIdParam]);
    ctx.store.side.deleteSessionsOf(requireUser(ctx, p.userId).seq);
    return { status: 204 };
};

/**
 * An HS256 JWT with the claims `userId`, `sessionId` and `exp` (now + duration; no `iat`), in that order
 * after the header `{"typ":"JWT","alg":"HS256"}`. `sessionId` is the named session of this user, the most
 * recent one for `recent`, and `""` when there is none; an unknown session ID is not an error. The param
 * takes 0, but Appwrite's JWT library (adhocore/jwt, `ValidatesJWT::validateConfig`) refuses a max age
 * under 1 second when the encoder is built, after the user is found: an uncaught error, so 500 Server Error.
 */
export const createJWT: Handler = (ctx) => {
    const p = readParams(source(ctx), [
        userIdParam,
        { name: "sessionId", validator: uid, optional: true, default: "recent" },
        { name: "duration", validator: range(0, JWT_DURATION_MAX_SECONDS), optional: true, default: JWT_DURATION_DEFAULT_SECONDS },
    ]);
    const user = requireUser(ctx, p.userId);
    const sessions = ctx.store.side.sessionsOf(user.seq);
    const wanted = p.sessionId ?? "recent";
    const session = wanted === "recent" ? sessions[sessions.length - 1] : sessions.find((s) => s.$id === wanted);
    const duration = Number(p.duration ?? JWT_DURATION_DEFAULT_SECONDS);
    if (duration < 1) throw serverError();
    const claims = { userId: user.$id, sessionId: session?.$id ?? "", exp: Math.floor(ctx.nowMs / 1000) + duration };
    const signingInput = `${base64url(JSON.stringify({ typ: "JWT", alg: "HS256" }))}.${base64url(JSON.stringify(claims))}`;
    const signature = createHmac("sha256", ctx.jwtSecret).update(signingInput).digest("base64url");
    return { status: 201, body: { jwt: `${signingInput}.${signature}` } };
};

/** A generic token: `length` hex characters (4–128, default 6) that expire after `expire` seconds. */
export const createToken: Handler = (ctx) => {
    const p = readParams(source(ctx), [
        userIdParam,
        { name: "length", validator: range(4, 128), optional: true, default: 6 },
        { name: "expire", validator: range(60, SESSION_DURATION_SECONDS), optional: true, default: TOKEN_EXPIRE_DEFAULT_SECONDS },
    ]);
    const user = requireUser(ctx, p.userId);
    const secret = hexSecret(Number(p.length ?? 6));
    const token: TokenRecord = {
        $id: generateId(ctx.nowMs),
        $createdAt: formatDate(ctx.nowMs),
        userId: user.$id,
        userSeq: user.seq,
        secret: sha256(secret),
        expire: formatDate(ctx.nowMs + Number(p.expire ?? TOKEN_EXPIRE_DEFAULT_SECONDS) * 1000),
        type: TOKEN_TYPE_GENERIC,
    };
    ctx.store.side.addToken(token);
    return { status: 201, body: tokenModel(token, secret) };
};
