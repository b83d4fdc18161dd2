/**
 * The requests that read user documents: one user by ID, or many by a list filter on their IDs. users.ts
 * decides when to send them and shares their answers; drift checks send lists of their own.
 */
import type { Models } from "node-appwrite";
import { nodeAppwrite } from "./load-node-appwrite";
import { appwriteUsers } from "./connection";
import { isGone } from "./gone";
import { retrying } from "./retry";

export type AppwriteUser = Models.User<Models.Preferences>;

/** Appwrite's list filters accept many values, but 100 per request keeps each URL short. */
export const IDS_PER_REQUEST = 100;

export async function fetchUser(userId: string): Promise<AppwriteUser | undefined> {
    const users = await appwriteUsers();
    try {
        return await retrying(() => users.get({ userId }));
    } catch (err) {
        if (isGone(err)) return undefined;
        throw err;
    }
}

/**
 * One list request for at most 100 distinct IDs. IDs are unique, so a limit of the batch's size brings
 * every match in one page; an ID missing from the answer is a user Appwrite does not have.
 */
export async function listBatch(ids: readonly string[]): Promise<Map<string, AppwriteUser>> {
    const users = await appwriteUsers();
    const { Query } = nodeAppwrite();
    const page = await retrying(() => users.list({ queries: [Query.equal("$id", [...ids]), Query.limit(ids.length)], total: false }));
    return new Map(page.users.map((user) => [user.$id, user]));
}

/**
 * The live users among `ids`, keyed by ID (absent IDs are simply missing), fetched with
 * `Query.equal("$id", [...])` in batches of 100, so a drift check of many users costs a few requests
 * instead of one per user.
 */
export async function listUsersByIds(ids: readonly string[]): Promise<Map<string, AppwriteUser>> {
    const unique = [...new Set(ids)];
    const batches: string[][] = [];
    for (let start = 0; start < unique.length; start += IDS_PER_REQUEST) batches.push(unique.slice(start, start + IDS_PER_REQUEST));
    // Sent together: the process-wide bound on requests in flight (in-flight.ts) paces them.
    const found = new Map<string, AppwriteUser>();
    for (const listed of await Promise.all(batches.map((batch) => listBatch(batch)))) for (const [id, user] of listed) found.set(id, user);
    return found;
}
