/**
 * UserSet: many users in one resource, each with everything a UserBundle manages, known by user ID. A seed
 * of thousands of users is then a few dozen resources, which is what Pulumi's engine and its backends cost
 * by (every step rewrites the whole state). Each member is applied by UserBundle's own provider, so it is
 * validated, compared and written exactly as a bundle would be.
 *
 * - check:  every member with UserBundle's schema, failures named `users["qa-0042"].email`; emails, phones,
 *           target IDs and identifiers declared twice are refused (check.ts). No request.
 * - diff:   a change when any member is added, removed or changed (UserBundle's diff); never a replace:
 *           members are replaced inside the set. Pulumi shows which member and field changed from the
 *           stored inputs, which are keyed by user ID.
 * - create: every member's bundle create, a few at a time (requests in flight are bounded process-wide).
 * - update: removed members and those being replaced are deleted first, then changed members (those
 *           giving up a unique value another member now declares before the others), then new ones made.
 * - read:   the members' users listed 100 IDs per request, then each member's bundle read from that list.
 * - delete: every member's user deleted; one already gone counts as done.
 *
 * The outputs are each member's UserBundle outputs by user ID, without the values almost every user holds
 * (members.ts), restored before UserBundle sees them.
 *
 * A failure of some members records the rest: the error carries the set's ID and its outputs so far
 * (`__provider` included), so Pulumi keeps what was done and the next `up` does only what is missing; the
 * message names every member that failed, with Appwrite's error.
 */
import { randomUUID } from "node:crypto";
import type { CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import { maxConcurrency } from "../../appwrite/in-flight";
import { AppwriteProviderError, bundlePartFailed, setMembersFailed } from "../../appwrite/errors";
import { forgetPrefetchedUsers, readUsersTogether } from "../../appwrite/users";
import { checkUserSet } from "./check";
import { noteHeldBySet } from "./held-users";
import {
    eachLimited,
    memberOutputsOf,
    memberProvider,
    membersOf,
    outputsValue,
    planMembers,
    releasingFirst,
    usersUnknown,
    usersValue,
} from "./members";

type Props = Record<string, unknown>;

/** The members' outputs as they stand in Appwrite so far, and the members that failed. */
class Progress {
    readonly failed: AppwriteProviderError[] = [];
    wrote = false;
    constructor(
        readonly operation: string,
        readonly outs: Map<string, Props>,
    ) {}

    /** Runs one member's step; a failure is kept with the member's outputs so far (a half-made user is recorded). */
    async run(userId: string, what: string, step: () => Promise<Props | undefined>): Promise<boolean> {
        try {
            const outs = await step();
            if (outs === undefined) this.outs.delete(userId);
            else this.outs.set(userId, outs);
            this.wrote = true;
            return true;
        } catch (err) {
            const partial = err instanceof AppwriteProviderError ? err.properties : undefined;
            if (partial !== undefined) {
                this.outs.set(userId, { ...partial, userId });
                this.wrote = true;
            }
            this.failed.push(bundlePartFailed(err, { resource: "UserSet", operation: this.operation, userId }, what));
            return false;
        }
    }

    /** The set's outputs: `__provider` as the engine sent it (an init error's outputs are stored as they are). */
    result(news: Props): Props {
        return { ...(news.__provider === undefined ? {} : { __provider: news.__provider }), users: outputsValue(this.outs) };
    }
}

const created = async (news: Props): Promise<Props> => (await memberProvider.create(news)).outs as Props;

export const userSetProvider: ResourceProvider = {
    async check(_olds: Props, news: Props): Promise<CheckResult> {
        noteHeldBySet(membersOf(news).keys());
        return checkUserSet(news);
    },

    async diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
        if (usersUnknown(news)) return { changes: true };
        const plan = await planMembers(membersOf(olds), membersOf(news), true);
        const changes = plan.added.length + plan.removed.length + plan.replaced.length + plan.changed.length > 0;
        return { changes };
    },

    async create(news: Props): Promise<CreateResult> {
        const members = membersOf(news);
        noteHeldBySet(members.keys());
        const id = randomUUID();
        const progress = new Progress("create", new Map());
        await eachLimited([...members.keys()], maxConcurrency(), async (userId) => {
            await progress.run(userId, "creating the user", () => created(members.get(userId) as Props));
        });
        if (progress.failed.length > 0) {
            const outs = progress.wrote ? progress.result(news) : undefined;
            throw setMembersFailed("create", progress.failed, members.size, outs && id, outs);
        }
        return { id, outs: { users: outputsValue(progress.outs) } };
    },

    async read(id: string, props?: Props): Promise<ReadResult> {
        const before = memberOutputsOf(props ?? {});
        const ids = [...before.keys()];
        // Listed 100 per request, with the users of other sets read at the same moment; each member's read
        // then finds its user among them.
        await readUsersTogether(ids);
        const outs = new Map<string, Props>();
        const inputs = new Map<string, Props>();
        const failed: AppwriteProviderError[] = [];
        try {
            await eachLimited(ids, 64, async (userId) => {
                try {
                    const found = await memberProvider.read(userId, before.get(userId) as Props);
                    if (found.id === undefined || found.id === "") return;
                    outs.set(userId, { ...found.props, userId });
                    inputs.set(userId, { ...found.inputs, userId });
                } catch (err) {
                    failed.push(bundlePartFailed(err, { resource: "UserSet", operation: "read", userId }, "reading the user"));
                }
            });
        } finally {
            forgetPrefetchedUsers(ids);
        }
        if (failed.length > 0) throw setMembersFailed("read", failed, ids.length);
        return { id, props: { users: outputsValue(outs) }, inputs: { users: usersValue(inputs) } };
    },

    async update(id: string, olds: Props, news: Props): Promise<UpdateResult> {
        const before = memberOutputsOf(olds);
        const after = membersOf(news);
        noteHeldBySet(after.keys());
        const plan = await planMembers(membersOf(olds), after);
        const progress = new Progress("update", new Map(before));
        const limit = maxConcurrency();
        const remove = async (userId: string) => {
            await progress.run(userId, "deleting the user", async () => {
                await memberProvider.delete(userId, before.get(userId) as Props);
                return undefined;
            });
        };
        const update = async (userId: string) => {
            await progress.run(
                userId,
                "updating the user",
                async () => (await memberProvider.update(userId, before.get(userId) as Props, after.get(userId) as Props)).outs as Props,
            );
        };
        const create = async (userId: string) => {
            if (progress.outs.has(userId)) return; // a replaced member whose delete failed is left for the next up
            await progress.run(userId, "creating the user", () => created(after.get(userId) as Props));
        };
        // User IDs, emails, target IDs and identifiers are unique in the project: whatever gives one up goes first.
        await eachLimited([...plan.removed, ...plan.replaced], limit, remove);
        const [releasing, others] = releasingFirst(plan.changed, before, after);
        await eachLimited(releasing, limit, update);
        await eachLimited(others, limit, update);
        await eachLimited([...plan.replaced, ...plan.added], limit, create);
        if (progress.failed.length > 0) {
            const total = plan.removed.length + plan.replaced.length + plan.changed.length + plan.added.length;
            throw setMembersFailed("update", progress.failed, total, id, progress.result(news));
        }
        return { outs: { users: outputsValue(progress.outs) } };
    },

    async delete(_id: string, props: Props): Promise<void> {
        const members = memberOutputsOf(props);
        const progress = new Progress("delete", new Map(members));
        await eachLimited([...members.keys()], maxConcurrency(), async (userId) => {
            await progress.run(userId, "deleting the user", async () => {
                await memberProvider.delete(userId, members.get(userId) as Props);
                return undefined;
            });
        });
        // Members deleted before a failure are gone from Appwrite: the next delete counts them as done.
        if (progress.failed.length > 0) throw setMembersFailed("delete", progress.failed, members.size);
    },
};
