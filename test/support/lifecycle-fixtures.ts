/**
 * What the harness tests (test/engine) and the real-CLI tests (test/e2e) share: the user spec of
 * `test/engine/programs/users`, and the drift made in the quickstart.
 */
import type { Users } from "node-appwrite";
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

/** Changes the quickstart's users directly in Appwrite: one of each kind, and a deleted user. */
export async function driftQuickstart(users: Users): Promise<void> {
    await users.updateName({ userId: "ci-bot", name: "Renamed bot" });
    await users.updatePassword({ userId: "ci-bot", password: "changed-outside-pulumi-1" });
    await users.updateLabels({ userId: "ci-bot", labels: ["service", "admin"] });
    await users.updateTarget({ userId: "ci-bot", targetId: "ci-bot-alerts", identifier: "someone-else@example.com" });
    await users.updateEmail({ userId: "test-alice", email: "alice.new@example.com" });
    await users.updatePrefs({ userId: "test-alice", prefs: { locale: "fr" } });
    await users.updateStatus({ userId: "test-alice", status: false });
    await users.delete({ userId: "test-bob" });
}

/** What `preview --refresh` shows after `driftQuickstart`, as `op Kind name [properties]`, sorted. */
export const QUICKSTART_DRIFT = [
    "create User test-bob",
    "create UserLabels test-bob",
    "create UserPrefs test-bob",
    "create UserStatus test-bob",
    "create UserTarget test-bob-sms",
    "update User ci-bot [name,password]",
    // Appwrite resets emailVerification when the email changes, and test-alice declares it true.
    "update User test-alice [email,emailVerification]",
    "update UserLabels ci-bot [labels]",
    "update UserPrefs test-alice [prefs]",
    "update UserStatus test-alice [blocked]",
    "update UserTarget ci-bot-alerts [identifier]",
];
