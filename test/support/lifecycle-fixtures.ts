/**
 * What the harness tests (test/engine) and the real-CLI tests (test/e2e) share: the user spec of
 * `test/engine/programs/users`.
 */
import type { UserSpec } from "../engine/programs/users";

/** A user of `programs/users` with its four companions, `overrides` applied. */
export function userSpec(id: string, overrides: Partial<UserSpec> = {}): UserSpec {
    return {
        name: id,
        userId: id,
        email: `${id}@example.com`,
        displayName: `User ${id}`,
        labels: ["team", "beta"],
        prefs: { locale: "en" },
        target: { name: `${id}-alerts`, targetId: `${id}-alerts`, providerType: "email", identifier: `${id}.alerts@example.com` },
        blocked: false,
        ...overrides,
    };
}
