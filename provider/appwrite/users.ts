/**
 * Every read of a user document goes through here. All five resource kinds read the same document, and
 * Pulumi reads many resources at once (a refresh reads four per CPU in parallel, in state order), so reads
 * that arrive together are combined: reads of one user share a request, and reads of different users
 * arriving within a few ms share one list request, while a lone read is still one GET. While it pays, that
 * list request also reads ahead the users that follow in ID order, and later reads are answered from the
 * page (read-ahead.ts). A write stops later reads from joining a request sent before it and from being
 * answered by any page, and a page answers for a few seconds at most.
 *
 * All of it is kept per project (project-scope.ts names the project of the current call): reads of two
 * projects never share a batch, a request or a page, and each batch is sent with its own project's client.
 */
import { currentProject, inProject } from "./project-scope";
import {
    fromPages,
    leadPage,
    markWritten,
    noteRead,
    pendingPageFor,
    readAheadSettings,
    shouldLead,
    type ReadAheadSettings,
} from "./read-ahead";
import { fetchUser, IDS_PER_REQUEST, listBatch, listUsersByIds, type AppwriteUser } from "./user-requests";

export { listUsersByIds, type AppwriteUser } from "./user-requests";

export interface ReadBatching extends ReadAheadSettings {
    /**
     * How long the first read of a batch waits for others before its request is sent. Reads that Pulumi
     * runs in parallel reach the provider host within a millisecond or two of each other (as seen through
     * the engine harness), so a few ms gathers them, while a lone read waits far less than one round trip
     * to Appwrite.
     */
    windowMs: number;
}

const batching = { windowMs: 4 };

/** Changes how reads are batched and read ahead in this process (tests change the window, page and age). Returns the previous settings. */
export function configureReadBatching(next: Partial<ReadBatching>): ReadBatching {
    const previous = { ...batching, ...readAheadSettings };
    if (next.windowMs !== undefined) batching.windowMs = next.windowMs;
    if (next.readAhead !== undefined) readAheadSettings.readAhead = next.readAhead;
    if (next.pageSize !== undefined) readAheadSettings.pageSize = next.pageSize;
    if (next.maxPageSize !== undefined) readAheadSettings.maxPageSize = next.maxPageSize;
    if (next.maxAgeMs !== undefined) readAheadSettings.maxAgeMs = next.maxAgeMs;
    return previous;
}

interface Waiting {
    promise: Promise<AppwriteUser | undefined>;
    resolve(user: AppwriteUser | undefined): void;
    reject(err: unknown): void;
}

/** The reads of one project. */
interface ProjectReads {
    /** The project's name; undefined for the default project. */
    project: string | undefined;
    /** Reads a new read of the same user may join: those in the open batch and those sent and not forgotten. */
    joinable: Map<string, Promise<AppwriteUser | undefined>>;
    /** The batch collecting reads of distinct users until its window closes; no request has been sent for it. */
    open: { reads: Map<string, Waiting>; timer: NodeJS.Timeout } | undefined;
    /**
     * Users listed in bulk ahead of many reads, answered by getUser without a request. Only the drift check
     * fills it (it reads a whole stack at once); the provider host never does, so its reads stay live.
     */
    prefetched: Map<string, AppwriteUser | undefined>;
    /** UserSets' members not sent yet, each with its waiting read, until sets' reads pause or 100 gather. */
    setReads: { reads: Map<string, Waiting>; timer: NodeJS.Timeout } | undefined;
}

const byProject = new Map<string, ProjectReads>();

/** The reads of the project the current call acts on. */
function mine(): ProjectReads {
    const project = currentProject();
    let held = byProject.get(project ?? "");
    if (held === undefined) {
        held = { project, joinable: new Map(), open: undefined, prefetched: new Map(), setReads: undefined };
        byProject.set(project ?? "", held);
    }
    return held;
}

/** Lists these users of the current project in batches (listUsersByIds) and lets getUser answer for them, absent ones included. */
export async function prefetchUsers(ids: readonly string[]): Promise<void> {
    const { prefetched } = mine();
    const found = await listUsersByIds(ids);
    for (const id of ids) prefetched.set(id, found.get(id));
}

/** Forgets the users prefetched in every project. */
export function clearPrefetchedUsers(): void {
    for (const reads of byProject.values()) reads.prefetched.clear();
}

/**
 * How long a UserSet's read waits for other sets' reads to fill its list request. The engine keeps a few
 * reads going and starts the next as it checkpoints each, so sets' reads arrive one checkpoint apart (tens
 * of ms for 1,000 users, hundreds for 10,000, through the real CLI). A batch goes at 100 IDs, or once no
 * read has come for twice the last gap between reads (within QUIET_MIN and QUIET_MAX ms).
 */
const SET_READ_QUIET_MIN_MS = 30;
const SET_READ_QUIET_MAX_MS = 1000;
const setArrivals = { last: 0, gap: SET_READ_QUIET_MIN_MS };

/**
 * Reads a UserSet's members in list requests of up to 100 IDs shared with the project's other sets read
 * about then, and lets getUser answer for them (absent ones too) until forgetPrefetchedUsers.
 */
export async function readUsersTogether(ids: readonly string[]): Promise<void> {
    const own = mine();
    const now = Date.now();
    // A read after a longer pause starts a new run of reads (another refresh or preview).
    setArrivals.gap = now - setArrivals.last > SET_READ_QUIET_MAX_MS ? SET_READ_QUIET_MIN_MS : now - setArrivals.last;
    setArrivals.last = now;
    const unique = [...new Set(ids)];
    const reads = unique.map((id) => setRead(own, id));
    if (own.setReads !== undefined) {
        clearTimeout(own.setReads.timer);
        const quiet = Math.min(SET_READ_QUIET_MAX_MS, Math.max(SET_READ_QUIET_MIN_MS, 2 * setArrivals.gap));
        own.setReads.timer = setTimeout(() => flushSetReads(own), quiet);
    }
    const found = await Promise.all(reads);
    unique.forEach((id, i) => own.prefetched.set(id, found[i]));
}

function setRead(own: ProjectReads, userId: string): Promise<AppwriteUser | undefined> {
    const waiting = own.setReads?.reads.get(userId);
    if (waiting !== undefined) return waiting.promise;
    const added = newWaiting();
    own.setReads ??= { reads: new Map(), timer: setTimeout(() => flushSetReads(own), SET_READ_QUIET_MIN_MS) };
    own.setReads.reads.set(userId, added);
    if (own.setReads.reads.size >= IDS_PER_REQUEST) flushSetReads(own);
    return added.promise;
}

function flushSetReads(own: ProjectReads): void {
    if (own.setReads === undefined) return;
    const { reads, timer } = own.setReads;
    own.setReads = undefined;
    clearTimeout(timer);
    settle(
        reads,
        inProject(own.project, () => listBatch([...reads.keys()])),
    );
}

/** Lets getUser read these users live again (a UserSet's read is done with them). */
export function forgetPrefetchedUsers(ids: Iterable<string>): void {
    const { prefetched } = mine();
    for (const id of ids) prefetched.delete(id);
}

/**
 * The live user, or undefined when Appwrite has no user with this ID. Other failures are thrown as is,
 * to every read that shared the failed request, for each caller to word with its own resource.
 */
export function getUser(userId: string): Promise<AppwriteUser | undefined> {
    const { prefetched, joinable } = mine();
    if (prefetched.has(userId)) return Promise.resolve(prefetched.get(userId));
    noteRead(userId);
    const shared = joinable.get(userId);
    if (shared !== undefined) return shared;
    const paged = fromPages(userId);
    if (paged !== undefined) return Promise.resolve(paged.user);
    // A read joins a batch that is about to go out anyway rather than wait for a page that may not hold it.
    const pending = mine().open === undefined ? pendingPageFor(userId) : undefined;
    if (pending !== undefined) {
        const read = pending.then((found) => (found !== undefined ? found.user : batched(userId)));
        joinable.set(userId, read);
        const done = () => {
            if (joinable.get(userId) === read) joinable.delete(userId);
        };
        read.then(done, done);
        return read;
    }
    return batched(userId);
}

function batched(userId: string): Promise<AppwriteUser | undefined> {
    const own = mine();
    // A forgotten read still waiting in the open batch has sent nothing yet, so joining it is still fresh.
    const waiting = own.open?.reads.get(userId) ?? enqueue(own, userId);
    own.joinable.set(userId, waiting.promise);
    return waiting.promise;
}

function newWaiting(): Waiting {
    let resolve: Waiting["resolve"] = () => undefined;
    let reject: Waiting["reject"] = () => undefined;
    const promise = new Promise<AppwriteUser | undefined>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
}

function enqueue(own: ProjectReads, userId: string): Waiting {
    const waiting = newWaiting();
    const { promise } = waiting;
    const done = () => {
        if (own.joinable.get(userId) === promise) own.joinable.delete(userId);
    };
    promise.then(done, done);
    own.open ??= { reads: new Map(), timer: setTimeout(() => flush(own), batching.windowMs) };
    own.open.reads.set(userId, waiting);
    if (own.open.reads.size >= IDS_PER_REQUEST) flush(own);
    return waiting;
}

/**
 * Closes a project's open batch and sends it, with that project's client: one GET for a lone user, one
 * list request for several.
 */
function flush(own: ProjectReads): void {
    if (own.open === undefined) return;
    const { reads, timer } = own.open;
    own.open = undefined;
    clearTimeout(timer);
    const ids = [...reads.keys()];
    const [lone] = ids;
    const read = inProject(own.project, () =>
        shouldLead(ids)
            ? leadPage(ids, listBatch)
            : ids.length === 1 && lone !== undefined
              ? fetchUser(lone).then((user) => foundMap(user))
              : listBatch(ids),
    );
    settle(reads, read);
}

/** Answers every waiting read from one request's answer, or with its failure. */
function settle(reads: Map<string, Waiting>, read: Promise<Map<string, AppwriteUser>>): void {
    read.then(
        (found) => {
            for (const [id, waiting] of reads) waiting.resolve(found.get(id));
        },
        (err: unknown) => {
            for (const waiting of reads.values()) waiting.reject(err);
        },
    );
}

function foundMap(user: AppwriteUser | undefined): Map<string, AppwriteUser> {
    return new Map(user === undefined ? [] : [[user.$id, user]]);
}

/**
 * Stops later reads of this user from joining a request that began before a write; call it before writing.
 */
export function forgetUser(userId: string): void {
    const own = mine();
    markWritten(userId);
    own.joinable.delete(userId);
    own.prefetched.delete(userId);
}

/**
 * The user as Appwrite holds it now, for a merge or after a create's answer was lost. Forgetting the user
 * first means the read cannot join a request already sent (whose answer may predate a write); it can
 * only join a batch not yet sent.
 */
export function freshUser(userId: string): Promise<AppwriteUser | undefined> {
    forgetUser(userId);
    return getUser(userId);
}
