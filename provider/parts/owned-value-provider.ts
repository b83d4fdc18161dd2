/**
 * UserLabels and UserPrefs are one mechanism: a value of the user that Appwrite replaces wholesale on
 * every write, owned whole (`exclusive`, the default) or only in the members the resource declares
 * (labels, or top-level prefs keys), merged into the live value (owned-value.ts). Each kind supplies only
 * what differs: how its values compare, merge and are measured against Appwrite's limit, and its request.
 *
 * - create, update: exclusive, the declared value is written. Not exclusive: a fresh read, then the live
 *   value less the members dropped from the program, with the declared ones; no write when that is what
 *   Appwrite holds, and none when the result is over Appwrite's limit.
 * - read: the user document, through users.ts; not exclusive, only the declared members are reported.
 * - delete: exclusive, the empty value is written; not exclusive, the live value less the declared
 *   members. A user already gone counts as done.
 * - Replaced when `userId` changes; switching `exclusive` is an in-place update.
 */
import type { Users } from "node-appwrite";
import type { CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import type { z } from "zod";
import { attempt, context, describeError, type ErrorContext } from "../appwrite/errors";
import { deleteUnlessGone, goneRead } from "../appwrite/gone";
import { freshUser, getUser, type AppwriteUser } from "../appwrite/users";
import { writeUser } from "../appwrite/writes";
import { checkInputs, parseInputs } from "../validation/check";
import { isUnknown } from "../validation/unknown";
import { diffDeclared, type DiffSpec, type Equality } from "./diff";
import { isExclusive, modeConflicts, oneAtATime, type SharedKind } from "./owned-value";
import type { Props } from "./props";

/** What one kind of owned value supplies; `V` is the value as declared and as Appwrite holds it. */
export interface OwnedValueKind<V> {
    kind: SharedKind;
    /** The input (and output) holding the value. */
    key: "labels" | "prefs";
    schema: z.ZodType<{ userId: string; exclusive?: boolean | undefined } & Record<string, unknown>>;
    /** Whether Appwrite would hold the same value for both; a value still unknown always differs. */
    same: Equality;
    /** The value as Appwrite holds it for this user (the user may be absent). */
    live: (user: AppwriteUser | undefined) => V;
    /** The declared members (labels, or top-level keys) of a declared or stored value. */
    members: (value: unknown) => string[];
    /** The value as outputs record it: all of `held`, or only the declared `members` of it. */
    outputs: (held: unknown, members?: readonly string[]) => V;
    /** The live value less `dropped` members, with `declared` in it. */
    merge: (live: V, dropped: readonly string[], declared: V) => V;
    /** Whether `merged` is exactly what Appwrite holds as `live`, so nothing needs writing. */
    holds: (live: V, merged: V) => boolean;
    /** Why writing `merged` would be over Appwrite's limit, or undefined when it is within it. */
    overLimit: (merged: V, live: V, declared: V) => string | undefined;
    /** The empty value a delete writes when exclusive. */
    empty: V;
    /** The one request that writes the whole value; answers with the value Appwrite now holds. */
    write: (users: Users, userId: string, value: V) => Promise<unknown>;
}

/** The provider of one kind of owned value. */
export function ownedValueProvider<V>(spec: OwnedValueKind<V>): ResourceProvider {
    const { kind, key, schema } = spec;

    function outputs(userId: string, held: unknown, exclusive: boolean | undefined, members?: readonly string[]): Props {
        return { userId, [key]: spec.outputs(held, members), exclusive: exclusive ?? null };
    }

    function write(ctx: ErrorContext, value: V): Promise<unknown> {
        return writeUser(ctx.userId, (users) => spec.write(users, ctx.userId, value));
    }

    /**
     * Reads the live value, merges (drops `dropped`, adds `declared`) and writes the result in one request,
     * unless it is what Appwrite holds; fails before writing when the result is over Appwrite's limit. A
     * user Appwrite does not have is left to the write, which Appwrite refuses with user_not_found.
     */
    function mergeInto(ctx: ErrorContext, dropped: readonly string[], declared: V): Promise<unknown> {
        return oneAtATime(kind, ctx.userId, async () => {
            const user = await freshUser(ctx.userId);
            const live = spec.live(user);
            const merged = spec.merge(live, dropped, declared);
            const over = spec.overLimit(merged, live, declared);
            if (over !== undefined) throw describeError(ctx, new Error(over));
            if (user !== undefined && spec.holds(live, merged)) return live;
            return write(ctx, merged);
        });
    }

    /** Owns `value` whole, or merges it in, and answers with the outputs. */
    async function apply(
        ctx: ErrorContext,
        userId: string,
        value: V,
        exclusive: boolean | undefined,
        dropped: readonly string[],
    ): Promise<Props> {
        if (exclusive !== false) return outputs(userId, await write(ctx, value), exclusive);
        return outputs(userId, await mergeInto(ctx, dropped, value), exclusive, spec.members(value));
    }

    /**
     * A value set by the new resource on the same user would be cleared by deleting the old one
     * afterwards, so whenever the user may be the same (even on a forced `--replace`), the old one goes first.
     */
    const sameUser = (olds: Props, news: Props) => isUnknown(news.userId) || news.userId === olds.userId;

    const diffSpec: DiffSpec = { replaceKeys: ["userId"], ignoreKeys: ["exclusive"], equality: { [key]: spec.same }, collides: sameUser };

    const parse = (ctx: ErrorContext, news: Props) =>
        attempt(ctx, async () => {
            const inputs = parseInputs(schema, news);
            return { userId: inputs.userId, value: inputs[key] as V, exclusive: inputs.exclusive };
        });

    return {
        async check(_olds: Props, news: Props): Promise<CheckResult> {
            return checkInputs(schema, news, () => modeConflicts(kind, news));
        },

        async diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
            const result = diffDeclared(olds, news, diffSpec);
            if (result.replaces) return result;
            // A switch of mode, or declaring the default, is an in-place update, so outputs record it.
            const changes = result.changes || (olds.exclusive ?? null) !== (news.exclusive ?? null);
            return { changes, deleteBeforeReplace: sameUser(olds, news) };
        },

        async create(news: Props): Promise<CreateResult> {
            const ctx = context(kind, "create", news.userId);
            const { userId, value, exclusive } = await parse(ctx, news);
            return { id: userId, outs: await attempt(ctx, () => apply(ctx, userId, value, exclusive, [])) };
        },

        async read(id: string, props?: Props): Promise<ReadResult> {
            const userId = id || String(props?.userId ?? "");
            const user = await attempt(context(kind, "read", userId), () => getUser(userId));
            if (user === undefined) return goneRead();
            const exclusive = typeof props?.exclusive === "boolean" ? props.exclusive : undefined;
            const members = exclusive === false ? spec.members(props?.[key]) : undefined;
            const outs = outputs(userId, spec.live(user), exclusive, members);
            const inputs: Props = { userId, [key]: outs[key], ...(exclusive !== undefined ? { exclusive } : {}) };
            return { id: userId, props: outs, inputs };
        },

        async update(_id: string, olds: Props, news: Props): Promise<UpdateResult> {
            const ctx = context(kind, "update", news.userId);
            const { userId, value, exclusive } = await parse(ctx, news);
            const sameMode = isExclusive(olds) === (exclusive !== false);
            if (sameMode && spec.same(olds[key], value)) return { outs: outputs(userId, olds[key], exclusive) };
            // Coming from exclusive, the old outputs may hold members the application set: only members
            // this resource declared without being exclusive count as dropped.
            const dropped = isExclusive(olds) ? [] : spec.members(olds[key]);
            return { outs: await attempt(ctx, () => apply(ctx, userId, value, exclusive, dropped)) };
        },

        async delete(id: string, props: Props): Promise<void> {
            const ctx = context(kind, "delete", props.userId ?? id);
            await deleteUnlessGone(ctx, () =>
                isExclusive(props) ? write(ctx, spec.empty) : mergeInto(ctx, spec.members(props[key]), spec.empty),
            );
        },
    };
}
