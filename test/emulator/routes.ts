import type { Handler } from "./context";
import * as create from "./routes-create";
import * as targets from "./routes-targets";
import * as users from "./routes-users";

export type Scope = "users.read" | "users.write";

export interface Route {
  method: string;
  /** As used for request counts and faults: `PATCH /v1/users/:userId/email`. */
  pattern: string;
  scope: Scope;
  handler?: Handler;
  segments: string[];
}

const table: Array<[string, string, Handler | undefined]> = [
  ["POST", "/v1/users", create.createPlain],
  ["POST", "/v1/users/argon2", create.createArgon2],
  ["POST", "/v1/users/bcrypt", create.createBcrypt],
  ["POST", "/v1/users/md5", create.createMd5],
  ["POST", "/v1/users/phpass", create.createPhpass],
  ["POST", "/v1/users/scrypt", create.createScrypt],
  ["POST", "/v1/users/scrypt-modified", create.createScryptModified],
  ["POST", "/v1/users/sha", create.createSha],
  ["GET", "/v1/users", users.listUsers],
  // Real static routes that would otherwise be read as a user ID; the emulator does not serve them.
  ["GET", "/v1/users/identities", undefined],
  ["GET", "/v1/users/usage", undefined],
  ["GET", "/v1/users/:userId", users.getUser],
  ["DELETE", "/v1/users/:userId", users.deleteUser],
  ["PATCH", "/v1/users/:userId/name", users.updateName],
  ["PATCH", "/v1/users/:userId/email", users.updateEmail],
  ["PATCH", "/v1/users/:userId/phone", users.updatePhone],
  ["PATCH", "/v1/users/:userId/password", users.updatePassword],
  ["PATCH", "/v1/users/:userId/verification", users.updateEmailVerification],
  ["PATCH", "/v1/users/:userId/verification/phone", users.updatePhoneVerification],
  ["PATCH", "/v1/users/:userId/mfa", users.updateMfa],
  ["PUT", "/v1/users/:userId/labels", users.updateLabels],
  ["PATCH", "/v1/users/:userId/status", users.updateStatus],
  ["PATCH", "/v1/users/:userId/impersonator", users.updateImpersonator],
  ["GET", "/v1/users/:userId/prefs", users.getPrefs],
  ["PATCH", "/v1/users/:userId/prefs", users.updatePrefs],
  ["POST", "/v1/users/:userId/targets", targets.createTarget],
  ["GET", "/v1/users/:userId/targets", targets.listTargets],
  ["GET", "/v1/users/:userId/targets/:targetId", targets.getTarget],
  ["PATCH", "/v1/users/:userId/targets/:targetId", targets.updateTarget],
  ["DELETE", "/v1/users/:userId/targets/:targetId", targets.deleteTarget],
];

export const ROUTES: Route[] = table.map(([method, pattern, handler]) => ({
  method,
  pattern,
  handler,
  scope: method === "GET" ? "users.read" : "users.write",
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

/** Every Users route, implemented or not, lives under this prefix. */
export const isUsersPath = (pathname: string): boolean => pathname === "/v1/users" || pathname.startsWith("/v1/users/");
