/**
 * "Who changed it": the latest audit log entry Appwrite lists for each drifted user (`users.listLogs`).
 * Appwrite lists under a user what that user did (its sign-ins and its own account changes); what an API
 * key or a console user did is logged under that actor, so a change made that way often has no entry
 * here. Logs that cannot be read are not an error: the change is unknown, and the report says why once.
 */
import { Query, type Models, type Users } from "node-appwrite";
import { appwriteType, isAppwriteException, missingScopes } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";
import type { LastChange } from "./drift-report";

export interface LastChanges {
    /** The latest entry per user ID; null when there is none to show. */
    byUser: Map<string, LastChange | null>;
    /** Why some or all changes are unknown; undefined when every drifted user had an entry. */
    note?: string;
}

/** Resolves a log's actor to words: the key by name, a console user, or a user of the project. */
export function actorOf(log: Models.Log): string {
    if (log.userType.startsWith("key")) return `API key "${log.userName || log.userEmail}"`;
    const who = log.userEmail || log.userName || log.userId || "unknown";
    if (log.userType === "admin" || log.mode === "admin") return `console user ${who}`;
    return `${who} (${log.userType || "user"})`;
}

const NO_ENTRIES =
    "Appwrite lists no log entry for some drifted users: users.listLogs shows what a user did itself " +
    "(sign-ins, its own account changes), while changes made with an API key or in the console are logged " +
    "under that key or console user; logs also expire with the project's audit retention.";

/** Log requests in flight at once. */
const CONCURRENCY = 8;

type Outcome = { change: LastChange | null; note?: string; fatal?: boolean };

async function latestOf(users: Users, userId: string): Promise<Outcome> {
    try {
        const { logs } = await retrying(() => users.listLogs({ userId, queries: [Query.limit(1)], total: false }));
        const [latest] = logs;
        return latest === undefined
            ? { change: null, note: NO_ENTRIES }
            : { change: { time: latest.time, event: latest.event, by: actorOf(latest) } };
    } catch (err) {
        if (appwriteType(err) === "user_not_found") return { change: null };
        const scopes = missingScopes(err);
        if (scopes.length > 0)
            return {
                change: null,
                fatal: true,
                note: `the API key lacks the ${scopes.join(" or ")} scope that users.listLogs needs, so who changed what is unknown.`,
            };
        if (isAppwriteException(err) && err.code >= 400 && err.code < 500 && err.code !== 429) {
            return {
                change: null,
                fatal: true,
                note: `this Appwrite does not list user logs (${err.message.replace(/\.\s*$/, "")}), so who changed what is unknown.`,
            };
        }
        return {
            change: null,
            fatal: true,
            note: `reading the user logs failed (${err instanceof Error ? err.message : String(err)}), so who changed what is unknown.`,
        };
    }
}

/**
 * Reads the latest log entry of each user, a few at a time. An answer that says logs cannot be read at all
 * (scope, route, a failing server) stops further requests; the users not yet read are unknown.
 */
export async function lastChanges(users: Users, userIds: readonly string[]): Promise<LastChanges> {
    const byUser = new Map<string, LastChange | null>(userIds.map((id) => [id, null]));
    let note: string | undefined;
    let stopped = false;
    let next = 0;
    const readNext = async () => {
        const userId = userIds[next++] as string;
        const outcome = await latestOf(users, userId);
        byUser.set(userId, outcome.change);
        if (stopped) return;
        if (outcome.fatal === true) {
            note = outcome.note;
            stopped = true;
        } else note ??= outcome.note;
    };
    // The first user alone, so that a key without the scope costs one request rather than one per worker.
    if (userIds.length > 0) await readNext();
    const worker = async () => {
        while (!stopped && next < userIds.length) await readNext();
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return { byUser, ...(note === undefined ? {} : { note }) };
}
