/**
 * Every read of a user document goes through here. All five resource kinds read the same document, so
 * concurrent reads of one user within this process share a single GET. The sharing lasts only while that
 * GET is in flight, and writes end it early, so no read ever returns data from before an operation began.
 */
import { Query, type Models } from "node-appwrite";
import { appwriteUsers } from "./connection";
import { isNotFound } from "./errors";
import { retrying } from "./retry";

export type AppwriteUser = Models.User<Models.Preferences>;

/** Appwrite's list filters accept many values, but 100 per request keeps each URL short. */
const IDS_PER_REQUEST = 100;

const inFlight = new Map<string, Promise<AppwriteUser | undefined>>();

/**
 * Users listed in bulk ahead of many reads, answered by getUser without a request. Only the drift check
 * fills it (it reads a whole stack at once); the provider host never does, so its reads stay live.
 */
const prefetched = new Map<string, AppwriteUser | undefined>();

/** Lists these users in batches (listUsersByIds) and lets getUser answer for them, absent ones included. */
export async function prefetchUsers(ids: readonly string[]): Promise<void> {
    const found = await listUsersByIds(ids);
    for (const id of ids) prefetched.set(id, found.get(id));
}

export function clearPrefetchedUsers(): void {
    prefetched.clear();
}

/** The live user, or undefined when Appwrite has no user with this ID. Other failures are thrown as is. */
export function getUser(userId: string): Promise<AppwriteUser | undefined> {
    if (prefetched.has(userId)) return Promise.resolve(prefetched.get(userId));
    const pending = inFlight.get(userId);
    if (pending !== undefined) return pending;
    const read = fetchUser(userId);
    inFlight.set(userId, read);
    const done = () => {
        if (inFlight.get(userId) === read) inFlight.delete(userId);
    };
    read.then(done, done);
    return read;
}

async function fetchUser(userId: string): Promise<AppwriteUser | undefined> {
    const users = await appwriteUsers();
    try {
        return await retrying(() => users.get({ userId }));
    } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
    }
}

/**
 * Stops later reads of this user from joining a GET that began before a write; call it before writing.
 */
export function forgetUser(userId: string): void {
    inFlight.delete(userId);
    prefetched.delete(userId);
}

/**
 * The live users among `ids`, keyed by ID (absent IDs are simply missing), fetched with
 * `Query.equal("$id", [...])` in batches of 100 and paged, so a drift check of many users costs a few
 * requests instead of one per user.
 */
export async function listUsersByIds(ids: readonly string[]): Promise<Map<string, AppwriteUser>> {
    const users = await appwriteUsers();
    const unique = [...new Set(ids)];
    const found = new Map<string, AppwriteUser>();
    for (let start = 0; start < unique.length; start += IDS_PER_REQUEST) {
        const batch = unique.slice(start, start + IDS_PER_REQUEST);
        for (let offset = 0; ; offset += IDS_PER_REQUEST) {
            const page = await retrying(() =>
                users.list({
                    queries: [Query.equal("$id", batch), Query.limit(IDS_PER_REQUEST), Query.offset(offset)],
                    total: false,
                }),
            );
            for (const user of page.users) found.set(user.$id, user);
            // A batch matches at most one user per ID, so a full page of a full batch is the last one too.
            if (page.users.length < IDS_PER_REQUEST || offset + IDS_PER_REQUEST >= batch.length) break;
        }
    }
    return found;
}
