import type { Handler } from "./context";
import * as account from "./routes-account";
import * as create from "./routes-create";
import * as mfa from "./routes-mfa";
import * as related from "./routes-related";
import * as sessions from "./routes-sessions";
import * as targets from "./routes-targets";
import * as users from "./routes-users";

export type Scope = "users.read" | "users.write" | "sessions.read" | "sessions.write" | "public" | "account";

export interface Route {
    method: string;
    /** As used for request counts and faults: `PATCH /v1/users/:userId/email`. */
    pattern: string;
    /** The route's `scope` label: a caller needs any one of them. */
    scopes: Scope[];
    handler: Handler;
    /** The route's `audits.event` label: a successful request writes an audit log entry with it. */
    audit?: string;
    /** In Appwrite's `mfa` group: a session that still owes a factor may call it. */
    mfa: boolean;
    segments: string[];
}

const READ: Scope[] = ["users.read"];
const WRITE: Scope[] = ["users.write"];
const SESSIONS_READ: Scope[] = ["users.read", "sessions.read"];
const SESSIONS_WRITE: Scope[] = ["users.write", "sessions.write"];
const ACCOUNT: Scope[] = ["account"];
/** The Account routes that complete a sign-in (Appwrite's `mfa` group). */
const MFA_GROUP = new Set(["/v1/account/mfa/challenges"]);

/** Every route of Appwrite's Users service, with its scopes and audit event as its action class declares them. */
const table: Array<[string, string, Handler, Scope[], string?]> = [
    ["POST", "/v1/users", create.createPlain, WRITE, "user.create"],
    ["POST", "/v1/users/argon2", create.createArgon2, WRITE, "user.create"],
    ["POST", "/v1/users/bcrypt", create.createBcrypt, WRITE, "user.create"],
    ["POST", "/v1/users/md5", create.createMd5, WRITE, "user.create"],
    ["POST", "/v1/users/phpass", create.createPhpass, WRITE, "user.create"],
    ["POST", "/v1/users/scrypt", create.createScrypt, WRITE, "user.create"],
    ["POST", "/v1/users/scrypt-modified", create.createScryptModified, WRITE, "user.create"],
    ["POST", "/v1/users/sha", create.createSha, WRITE, "user.create"],
    ["GET", "/v1/users", users.listUsers, READ],
    // Static routes first, so that they are not read as a user ID.
    ["GET", "/v1/users/identities", related.listIdentities, READ],
    ["DELETE", "/v1/users/identities/:identityId", related.deleteIdentity, WRITE, "identity.delete"],
    ["GET", "/v1/users/:userId", users.getUser, READ],
    ["DELETE", "/v1/users/:userId", users.deleteUser, WRITE, "user.delete"],
    ["PATCH", "/v1/users/:userId/name", users.updateName, WRITE, "user.update"],
    ["PATCH", "/v1/users/:userId/email", users.updateEmail, WRITE, "user.update"],
    ["PATCH", "/v1/users/:userId/phone", users.updatePhone, WRITE, "user.update"],
    ["PATCH", "/v1/users/:userId/password", users.updatePassword, WRITE, "user.update"],
    ["PATCH", "/v1/users/:userId/verification", users.updateEmailVerification, WRITE, "verification.update"],
    ["PATCH", "/v1/users/:userId/verification/phone", users.updatePhoneVerification, WRITE, "verification.update"],
    ["PATCH", "/v1/users/:userId/mfa", users.updateMfa, WRITE, "user.update"],
    ["PUT", "/v1/users/:userId/labels", users.updateLabels, WRITE, "user.update"],
    ["PATCH", "/v1/users/:userId/status", users.updateStatus, WRITE, "user.update"],
    ["PATCH", "/v1/users/:userId/impersonator", users.updateImpersonator, WRITE, "user.update"],
    ["GET", "/v1/users/:userId/prefs", users.getPrefs, READ],
    ["PATCH", "/v1/users/:userId/prefs", users.updatePrefs, WRITE],
    // Its `audits.resource` label lacks braces ('target/response.$id'), so it never renders and no entry is written.
    ["POST", "/v1/users/:userId/targets", targets.createTarget, WRITE],
    ["GET", "/v1/users/:userId/targets", targets.listTargets, READ],
    ["GET", "/v1/users/:userId/targets/:targetId", targets.getTarget, READ],
    ["PATCH", "/v1/users/:userId/targets/:targetId", targets.updateTarget, WRITE, "target.update"],
    ["DELETE", "/v1/users/:userId/targets/:targetId", targets.deleteTarget, WRITE, "target.delete"],
    ["POST", "/v1/users/:userId/sessions", sessions.createSession, SESSIONS_WRITE, "session.create"],
    ["GET", "/v1/users/:userId/sessions", sessions.listSessions, SESSIONS_READ],
    ["DELETE", "/v1/users/:userId/sessions", sessions.deleteSessions, SESSIONS_WRITE, "session.delete"],
    ["DELETE", "/v1/users/:userId/sessions/:sessionId", sessions.deleteSession, SESSIONS_WRITE, "session.delete"],
    ["POST", "/v1/users/:userId/jwts", sessions.createJWT, WRITE],
    ["POST", "/v1/users/:userId/tokens", sessions.createToken, WRITE, "tokens.create"],
    ["GET", "/v1/users/:userId/mfa/factors", mfa.listFactors, READ],
    ["PATCH", "/v1/users/:userId/mfa/recovery-codes", mfa.createRecoveryCodes, WRITE, "user.update"],
    ["GET", "/v1/users/:userId/mfa/recovery-codes", mfa.getRecoveryCodes, READ],
    ["PUT", "/v1/users/:userId/mfa/recovery-codes", mfa.regenerateRecoveryCodes, WRITE, "user.update"],
    ["DELETE", "/v1/users/:userId/mfa/authenticators/:type", mfa.deleteAuthenticator, WRITE, "user.update"],
    ["GET", "/v1/users/:userId/mfa/challenges/:challengeId", mfa.getChallenge, READ],
    ["GET", "/v1/users/:userId/memberships", related.listMemberships, READ],
    ["GET", "/v1/users/:userId/logs", related.listLogs, READ],
    ["GET", "/v1/health/version", related.healthVersion, ["public"]],
    // The Account API's routes for authenticator apps, for a user signed in with a session.
    ["GET", "/v1/account", account.getAccount, ACCOUNT],
    ["POST", "/v1/account/mfa/authenticators/:type", account.createAuthenticator, ACCOUNT],
    ["PUT", "/v1/account/mfa/authenticators/:type", account.verifyAuthenticator, ACCOUNT],
    ["DELETE", "/v1/account/mfa/authenticators/:type", account.deleteAuthenticator, ACCOUNT],
    ["POST", "/v1/account/mfa/challenges", account.createChallenge, ACCOUNT],
    ["PUT", "/v1/account/mfa/challenges", account.completeChallenge, ACCOUNT],
];

export const ROUTES: Route[] = table.map(([method, pattern, handler, scopes, audit]) => ({
    method,
    pattern,
    handler,
    scopes,
    audit,
    mfa: MFA_GROUP.has(pattern),
    segments: pattern.split("/").slice(1),
}));

export interface Match {
    route: Route;
    path: Record<string, string>;
}

/** Finds the route for a request path; static segments win over params because they come first. */
export function matchRoute(method: string, pathname: string): Match | undefined {
    const parts = pathname.split("/").slice(1);
    for (const route of ROUTES) {
        if (route.method !== method || route.segments.length !== parts.length) continue;
        const path: Record<string, string> = {};
        let ok = true;
        for (let i = 0; i < parts.length && ok; i++) {
            const seg = route.segments[i]!;
            const part = parts[i]!;
            if (seg.startsWith(":")) {
                if (part === "") ok = false;
                else path[seg.slice(1)] = safeDecode(part);
            } else ok = seg === part;
        }
        if (ok) return { route, path };
    }
    return undefined;
}

function safeDecode(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/** Appwrite's other services: real routes the emulator does not serve, answered 501 rather than 404. */
const OTHER_SERVICES = new Set([
    "account",
    "avatars",
    "console",
    "databases",
    "documentsdb",
    "functions",
    "graphql",
    "health",
    "locale",
    "messaging",
    "migrations",
    "project",
    "projects",
    "proxy",
    "sites",
    "storage",
    "tablesdb",
    "teams",
    "tokens",
    "vcs",
    "vectorsdb",
]);

/** True for a path under one of Appwrite's services other than Users. */
export const isOtherServicePath = (pathname: string): boolean => OTHER_SERVICES.has(pathname.split("/")[2] ?? "");
