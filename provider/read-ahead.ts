/**
 * Read-ahead of users in ID order, for refreshes of many users whose IDs are close together (a seed file
 * gives them a contiguous range). A batch of reads that goes out while read-ahead pays also lists the users
 * that follow it in ID order, up to a page; later reads of those users are answered from the page without a
 * request, and once half of a page has been read the next page is requested before anyone asks for it.
 *
 * Rules that keep it honest:
 * - The leading request names the batch's IDs exactly (`equal` OR `greaterThan` the batch's last ID), so it
 *   answers every read of the batch, absent users included, as the plain batch would, and costs no request more
 *   (except where a full page leaves out a batch user, see leadPage).
 * - A page answers only reads of users it holds; any other read goes to a request of its own batch.
 * - A page that does not pay (fewer than a quarter of the users it read ahead were then read) stops read-ahead.
 * - A page answers for at most `maxAgeMs`, and never for a user this process has written (or is writing).
 */
import { Query } from "node-appwrite";
import { appwriteUsers } from "./connection";
import { retrying } from "./retry";
import type { AppwriteUser } from "./users";

export interface ReadAheadSettings {
    /** Off, batches are only ever the reads that arrived together (tests compare the two). */
    readAhead: boolean;
    /** Users per page. Appwrite's list has no upper limit; 100 matches the batches of IDs. */
    pageSize: number;
    /** How long a page may answer reads after its request was sent: "a few seconds". */
    maxAgeMs: number;
}

export const readAheadSettings: ReadAheadSettings = { readAhead: true, pageSize: 100, maxAgeMs: 5_000 };

/** Of the users a page read ahead, the share that must then be read for read-ahead to go on. */
const PAYING_SHARE = 1 / 4;

interface Page {
    sentAt: number;
    users: Map<string, AppwriteUser>;
    /** Users listed beyond those asked for, and those of them read since. */
    ahead: Set<string>;
    readSince: Set<string>;
    /** The last ID in the page's order. */
    last: string | undefined;
    /** Where the next page starts: the last ID when the page was full, undefined when no user follows. */
    next: string | undefined;
}

let pages: Page[] = [];
/** The next page, requested before anyone asked for its users; `after` is the ID it starts after. */
let prefetch: { after: string; page: Promise<Page | undefined> } | undefined;
let stopped = false;
const written = new Set<string>();

/** Forgets every page and starts read-ahead afresh (tests; a new process starts this way). */
export function resetReadAhead(): void {
    pages = [];
    prefetch = undefined;
    stopped = false;
    written.clear();
}

/** No page answers for this user again in this process: it is about to be written. */
export function markWritten(userId: string): void {
    written.add(userId);
}

/** The user, when a fresh page holds it; undefined when no page can answer. */
export function fromPages(userId: string): { user: AppwriteUser } | undefined {
    if (written.has(userId)) return undefined;
    const now = performance.now();
    pages = pages.filter((p) => now - p.sentAt <= readAheadSettings.maxAgeMs);
    for (const page of [...pages].reverse()) {
        const user = page.users.get(userId);
        if (user === undefined) continue;
        if (page.ahead.has(userId)) page.readSince.add(userId);
        prefetchAfter(page);
        return { user };
    }
    return undefined;
}

/** The next page when it is on its way and may hold this user (IDs after its start), so the read can wait for it. */
export function pendingPageFor(userId: string): Promise<{ user: AppwriteUser } | undefined> | undefined {
    if (prefetch === undefined || written.has(userId) || userId <= prefetch.after) return undefined;
    return prefetch.page.then(() => fromPages(userId), () => undefined);
}

/**
 * Whether this batch should lead a page: read-ahead has not stopped, the pages the reads have moved past
 * paid, and the batch is not a lone read out of the blue (a read in an `up`, where a page would only cost bytes).
 */
export function shouldLead(ids: readonly string[]): boolean {
    if (stopped || !readAheadSettings.readAhead) return false;
    const first = [...ids].sort()[0] as string;
    if (pages.some((p) => p.last !== undefined && p.last < first && !pays(p))) {
        stopped = true;
        return false;
    }
    return ids.length >= 2 || pages.length > 0;
}

/**
 * One request that answers the batch `ids` exactly and lists the users after them in ID order, up to a page.
 * `exactly` reads the few batch users a full page may have pushed out (only where Appwrite orders IDs in
 * another way than JavaScript does, e.g. by case).
 */
export async function leadPage(
    ids: readonly string[],
    exactly: (ids: readonly string[]) => Promise<Map<string, AppwriteUser>>,
): Promise<Map<string, AppwriteUser>> {
    const last = [...ids].sort().at(-1) as string;
    const page = await listPage([Query.or([Query.equal("$id", [...ids]), Query.greaterThan("$id", last)])], ids);
    const found = new Map(ids.flatMap((id) => (page.users.has(id) ? [[id, page.users.get(id) as AppwriteUser]] : [])));
    const missing = page.next === undefined ? [] : ids.filter((id) => !found.has(id));
    if (missing.length > 0) for (const [id, user] of await exactly(missing)) found.set(id, user);
    return found;
}

function prefetchAfter(page: Page): void {
    const after = page.next;
    if (after === undefined || stopped || prefetch?.after === after || page.readSince.size < page.ahead.size / 2) return;
    if (pages.some((p) => p.sentAt > page.sentAt)) return;
    const next = listPage([Query.greaterThan("$id", after)], []).catch(() => undefined);
    prefetch = { after, page: next };
    void next.then(() => {
        if (prefetch?.page === next) prefetch = undefined;
    });
}

function pays(page: Page): boolean {
    return page.ahead.size === 0 || page.readSince.size >= page.ahead.size * PAYING_SHARE;
}

async function listPage(filters: string[], asked: readonly string[]): Promise<Page> {
    const sentAt = performance.now();
    const size = readAheadSettings.pageSize;
    const users = await appwriteUsers();
    const list = await retrying(() => users.list({ queries: [...filters, Query.orderAsc("$id"), Query.limit(size)], total: false }));
    const askedIds = new Set(asked);
    const last = list.users.at(-1)?.$id;
    const page: Page = {
        sentAt,
        users: new Map(list.users.map((u) => [u.$id, u])),
        ahead: new Set(list.users.map((u) => u.$id).filter((id) => !askedIds.has(id))),
        readSince: new Set(),
        last,
        next: list.users.length >= size ? last : undefined,
    };
    pages.push(page);
    return page;
}
