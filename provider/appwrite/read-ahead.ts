/**
 * Read-ahead of users in ID order, for refreshes of many users whose IDs are close together (a seed file
 * gives them a contiguous range). A batch of reads that goes out while read-ahead pays also lists the users
 * that follow it in ID order, up to a page; later reads of those users are answered from the page without a
 * request, and once half of a page has been read the next page is requested before anyone asks for it.
 * Reads of users after a page that is on its way wait for it rather than sending a request of their own.
 *
 * The real engine refreshes in state order, which for a seed is every user's `User` first and then the
 * other four resources of each user in turn, at whatever pace the engine manages (a few hundred reads a
 * second on two CPUs), a little out of ID order. A next page is sized from the pace at which the current
 * one is being read, so that it is read well within `maxAgeMs`: large pages while reads come fast,
 * `pageSize` when they slow. Once a page has paid, a leading page starts at its batch's first ID, so that
 * the users between the batch's IDs, which the engine reads a moment later, are in it.
 *
 * Rules that keep it honest:
 * - Until a page has paid, the leading request names the batch's IDs exactly (`equal` OR `greaterThan` the
 *   batch's last ID), so it answers every read of the batch, absent users included, as the plain batch would,
 *   and costs no request more (except where a full page leaves out a batch user, see leadPage).
 * - A page answers only reads of users it holds; any other read goes to a request of its own batch.
 * - A page that does not pay (fewer than a quarter of the users it read ahead were then read, judged when the
 *   reads have moved past it or it ages) stops read-ahead.
 * - A page answers for at most `maxAgeMs`, and never for a user this process has written (or is writing).
 * - Pages, and everything judged from them, are kept per project: a page of one project never answers a
 *   read of another (project-scope.ts names the project of the current call).
 */
import { nodeAppwrite } from "./load-node-appwrite";
import { appwriteUsers } from "./connection";
import { currentProject } from "./project-scope";
import { retrying } from "./retry";
import type { AppwriteUser } from "./users";

export interface ReadAheadSettings {
    /** Off, batches are only ever the reads that arrived together (tests compare the two). */
    readAhead: boolean;
    /** Users in a leading page, and the fewest in a next one. Appwrite's list has no upper limit; 100 matches the batches of IDs. */
    pageSize: number;
    /** The most users in one page: bounds the size of one answer (about 1 KB per user). */
    maxPageSize: number;
    /** How long a page may answer reads after its request was sent: "a few seconds". */
    maxAgeMs: number;
}

export const readAheadSettings: ReadAheadSettings = { readAhead: true, pageSize: 100, maxPageSize: 500, maxAgeMs: 5_000 };

/** Of the users a page read ahead, the share that must then be read for read-ahead to go on. */
const PAYING_SHARE = 1 / 4;

/** Users of a page that must have been read, as it read them ahead, before the IDs count as dense. */
const MIN_PROOF = 8;

/**
 * The share of `maxAgeMs` in which a next page should be read from when it is sent, at the pace its
 * predecessor is being read: the unread half of the predecessor first, then the whole next page.
 */
const AGE_SHARE_PER_PAGE = 0.6;

interface Page {
    sentAt: number;
    users: Map<string, AppwriteUser>;
    /** Users listed beyond those asked for, and those of them read since. */
    ahead: Set<string>;
    readSince: Set<string>;
    /** When the first of `ahead` was read: the pace of reads is measured from there. */
    firstReadAt: number | undefined;
    /** For a next page, the ID its users were listed after. */
    listedAfter: string | undefined;
    /** The first and last IDs in the page's order. */
    first: string | undefined;
    last: string | undefined;
    /** Where the next page starts: the last ID when the page was full, undefined when no user follows. */
    next: string | undefined;
}

/** The read-ahead of one project. */
interface ProjectPages {
    pages: Page[];
    /**
     * Pages requested and not yet answered, leading or next; `after` is the ID their users follow, `room` how many
     * users after it the page can hold besides the IDs its batch asked for (none when the batch fills the page).
     */
    inFlight: { after: string; page: Promise<Page | undefined>; next: boolean; room: number }[];
    stopped: boolean;
    /** Set once a page has paid: the managed IDs are then known to be dense, and leading pages start at a batch's first ID. */
    dense: boolean;
    written: Set<string>;
    /** When each user was last asked for in this process: a page's users read just before it came are not ahead. */
    lastAsked: Map<string, number>;
}

const byProject = new Map<string, ProjectPages>();

/** The read-ahead of the project the current call acts on. */
function mine(): ProjectPages {
    const name = currentProject() ?? "";
    let held = byProject.get(name);
    if (held === undefined) {
        held = { pages: [], inFlight: [], stopped: false, dense: false, written: new Set(), lastAsked: new Map() };
        byProject.set(name, held);
    }
    return held;
}

/** Forgets every page of every project and starts read-ahead afresh (tests; a new process starts this way). */
export function resetReadAhead(): void {
    byProject.clear();
}

/** No page answers for this user again in this process: it is about to be written. */
export function markWritten(userId: string): void {
    mine().written.add(userId);
}

/** Records that this user is being read, for judging whether later pages read ahead of the reads. */
export function noteRead(userId: string): void {
    mine().lastAsked.set(userId, performance.now());
}

/** The user, when a fresh page holds it; undefined when no page can answer. */
export function fromPages(userId: string): { user: AppwriteUser } | undefined {
    const own = mine();
    if (own.written.has(userId)) return undefined;
    const now = performance.now();
    const aged = own.pages.filter((p) => now - p.sentAt > readAheadSettings.maxAgeMs);
    if (aged.some((p) => !pays(p))) own.stopped = true;
    own.pages = own.pages.filter((p) => !aged.includes(p));
    const holding = own.pages.filter((p) => p.users.has(userId));
    const newest = holding.at(-1);
    if (newest === undefined) return undefined;
    // Pages overlap where a batch led one while another was on its way: the read counts for each of them.
    for (const page of holding) {
        if (!page.ahead.has(userId)) continue;
        page.firstReadAt ??= now;
        page.readSince.add(userId);
        if (page.readSince.size >= Math.max(MIN_PROOF, page.ahead.size * PAYING_SHARE)) own.dense = true;
    }
    prefetchAfter(newest);
    return { user: newest.users.get(userId) as AppwriteUser };
}

/** A page on its way that may hold this user (its IDs follow the page's start), for the read to wait for. */
export function pendingPageFor(userId: string): Promise<{ user: AppwriteUser } | undefined> | undefined {
    const own = mine();
    if (own.written.has(userId)) return undefined;
    // A page its own batch fills cannot hold this user: waiting for it would only delay the read's own request.
    const coming = own.inFlight.filter((f) => f.room > 0 && userId > f.after).at(-1);
    if (coming === undefined) return undefined;
    return coming.page.then(
        () => fromPages(userId),
        () => undefined,
    );
}

/**
 * Whether this batch should lead a page: read-ahead has not stopped, the pages the reads have moved past
 * paid, and the batch is not a lone read out of the blue (a read in an `up`, where a page would only cost bytes).
 * A page is judged once it is half its maximum age, as a read a little out of order can pass it sooner
 * (and in `fromPages` when it ages).
 */
export function shouldLead(ids: readonly string[]): boolean {
    const own = mine();
    if (own.stopped || !readAheadSettings.readAhead) return false;
    const first = [...ids].sort()[0] as string;
    const now = performance.now();
    const judged = (p: Page) => now - p.sentAt >= readAheadSettings.maxAgeMs / 2;
    if (own.pages.some((p) => p.last !== undefined && p.last < first && judged(p) && !pays(p))) {
        own.stopped = true;
        return false;
    }
    return ids.length >= 2 || own.pages.length > 0;
}

/**
 * One request that answers the batch `ids` and lists the users that follow in ID order, up to a page. Until a
 * page has paid it names the batch exactly (`equal` OR `greaterThan` the batch's last ID), which costs no
 * request more than the batch alone. Once one has, a batch of a few IDs (as the engine's reads make) lists from
 * its first ID, so that the users between the batch's IDs, which the engine reads out of order a moment later,
 * are in the page too.
 * `exactly` reads the batch users a full page left out: where a batch spans more than a page of users, and
 * where Appwrite orders IDs in another way than JavaScript does (e.g. by case).
 */
export async function leadPage(
    ids: readonly string[],
    exactly: (ids: readonly string[]) => Promise<Map<string, AppwriteUser>>,
): Promise<Map<string, AppwriteUser>> {
    const sorted = [...ids].sort();
    const first = sorted[0] as string;
    const last = sorted.at(-1) as string;
    const size = readAheadSettings.pageSize;
    const { Query } = nodeAppwrite();
    // A batch of many IDs likely spans more than a page of users: it is named exactly, whatever `dense` says.
    const page =
        mine().dense && ids.length <= size / 4
            ? await listPage([Query.greaterThanEqual("$id", first)], ids, { after: first, size, next: false })
            : await listPage([Query.or([Query.equal("$id", [...ids]), Query.greaterThan("$id", last)])], ids, {
                  after: last,
                  size,
                  next: false,
              });
    const found = new Map(ids.flatMap((id) => (page.users.has(id) ? [[id, page.users.get(id) as AppwriteUser]] : [])));
    const missing = page.next === undefined ? [] : ids.filter((id) => !found.has(id));
    if (missing.length > 0) for (const [id, user] of await exactly(missing)) found.set(id, user);
    return found;
}

function prefetchAfter(page: Page): void {
    const after = page.next;
    const own = mine();
    if (after === undefined || own.stopped || page.readSince.size < page.ahead.size / 2) return;
    // Another page may already hold the users after this one; a page led by a read far ahead (the engine reads a
    // little out of order) does not, and must not stop this chain.
    if (own.inFlight.some((f) => f.next && f.after >= after) || own.pages.some((p) => p !== page && holdsUsersAfter(p, after))) return;
    listPage([nodeAppwrite().Query.greaterThan("$id", after)], [], { after, size: nextPageSize(page), next: true }).catch(() => undefined);
}

/** Whether this page was listed right after `after`, or holds IDs on both sides of it. */
function holdsUsersAfter(page: Page, after: string): boolean {
    if (page.listedAfter === after) return true;
    return page.first !== undefined && page.first <= after && page.last !== undefined && page.last > after;
}

/**
 * Users the page after `page` should hold: as many as, at `page`'s pace, are read in AGE_SHARE_PER_PAGE of the
 * maximum age once the unread half of `page` has been.
 */
function nextPageSize(page: Page): number {
    const { pageSize, maxPageSize, maxAgeMs } = readAheadSettings;
    const since = page.firstReadAt === undefined ? 0 : performance.now() - page.firstReadAt;
    if (page.readSince.size < 2 || since <= 0) return pageSize;
    const usersPerMs = (page.readSince.size - 1) / since;
    const fits = usersPerMs * maxAgeMs * AGE_SHARE_PER_PAGE - page.users.size / 2;
    return Math.min(maxPageSize, Math.max(pageSize, Math.floor(fits)));
}

function pays(page: Page): boolean {
    return page.ahead.size === 0 || page.readSince.size >= page.ahead.size * PAYING_SHARE;
}

/** Sends one page's request; while it is on its way, reads of users after `after` wait for it. */
async function listPage(filters: string[], asked: readonly string[], range: { after: string; size: number; next: boolean }): Promise<Page> {
    const own = mine();
    const request = requestPage(filters, asked, range.size, range.next ? range.after : undefined);
    const coming = { after: range.after, page: request.catch(() => undefined), next: range.next, room: range.size - asked.length };
    own.inFlight.push(coming);
    try {
        return await request;
    } finally {
        own.inFlight = own.inFlight.filter((f) => f !== coming);
    }
}

async function requestPage(filters: string[], asked: readonly string[], size: number, listedAfter: string | undefined): Promise<Page> {
    const own = mine();
    const sentAt = performance.now();
    const users = await appwriteUsers();
    const { Query } = nodeAppwrite();
    const list = await retrying(() => users.list({ queries: [...filters, Query.orderAsc("$id"), Query.limit(size)], total: false }));
    const askedIds = new Set(asked);
    const last = list.users.at(-1)?.$id;
    const now = performance.now();
    // Users asked for within the last maxAge were read already (they came out of order, or this page came late):
    // whether they are read again says nothing about this page.
    const readJustBefore = (id: string) => now - (own.lastAsked.get(id) ?? -Infinity) <= readAheadSettings.maxAgeMs;
    const page: Page = {
        sentAt,
        users: new Map(list.users.map((u) => [u.$id, u])),
        ahead: new Set(list.users.map((u) => u.$id).filter((id) => !askedIds.has(id) && !readJustBefore(id))),
        readSince: new Set(),
        firstReadAt: undefined,
        listedAfter,
        first: list.users[0]?.$id,
        last,
        next: list.users.length >= size ? last : undefined,
    };
    own.pages.push(page);
    return page;
}
