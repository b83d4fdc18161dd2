/**
 * What UserLabels and UserPrefs need to share a user's labels or prefs with the application
 * (`exclusive: false`). Appwrite replaces both wholesale on every write, so such a resource reads the live
 * value, merges its own part in and writes the whole value back.
 *
 * - Merges of the same value of the same user run one at a time in this process, each reading only after
 *   the previous one's write has answered, so two resources of one program never write over each other.
 *   A change made elsewhere between a merge's read and its write is lost: that window is one round trip.
 * - The read is always a fresh one (users.ts, `freshUser`), never an answer to a request sent before it.
 * - `check` remembers, per kind and user, which modes it has seen in this process, to refuse an exclusive
 *   and a non-exclusive resource for the same user in one program.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { currentProject } from "../appwrite/project-scope";
import { isUnknown } from "../validation/unknown";

export type SharedKind = "UserLabels" | "UserPrefs";

/** The last merge queued per kind and user; a new one starts when it has settled. */
const queues = new Map<string, Promise<unknown>>();

/** Runs `merge` after every merge queued before it for the same kind and user in this process. */
export function oneAtATime<T>(kind: SharedKind, userId: string, merge: () => Promise<T>): Promise<T> {
    const key = `${currentProject() ?? ""}:${kind}:${userId}`;
    const previous = queues.get(key) ?? Promise.resolve();
    const run = previous.then(merge, merge);
    const settled = run.then(
        () => undefined,
        () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
}

/** Whether a resource's inputs or outputs ask to own the whole value: `exclusive` is true unless set to false. */
export function isExclusive(props: Record<string, unknown>): boolean {
    return props.exclusive !== false;
}

/** The modes `check` has seen in this host process, per kind and user. */
const modesSeen = new Map<string, Set<boolean>>();

/**
 * Refuses an exclusive and a non-exclusive resource of one kind for the same user. The dynamic-provider
 * host is one process per operation, so this sees every resource of the program checked in the same
 * `preview` or `up` whose `userId` is known at check time; it cannot see other stacks or programs, nor, in
 * a preview, a resource whose `userId` is an output of a user not created yet.
 */
export function modeConflicts(kind: SharedKind, news: Record<string, unknown>): CheckFailure[] {
    const { userId, exclusive } = news;
    if (typeof userId !== "string" || isUnknown(userId) || (exclusive !== undefined && typeof exclusive !== "boolean")) return [];
    // The same user ID in two projects is two users.
    const key = `${currentProject() ?? ""}:${kind}:${userId}`;
    const mode = exclusive !== false;
    const seen = modesSeen.get(key) ?? new Set<boolean>();
    modesSeen.set(key, seen.add(mode));
    if (!seen.has(!mode)) return [];
    const what = kind === "UserLabels" ? "labels" : "prefs";
    return [
        {
            property: "exclusive",
            reason:
                `is ${String(mode)}, but another ${kind} in this program for user "${userId}" has exclusive: ${String(!mode)}; ` +
                `an exclusive ${kind} owns all of the user's ${what} and would remove the other's. Declare both with ` +
                "exclusive: false, or merge them into one resource",
        },
    ];
}
