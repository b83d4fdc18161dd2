/**
 * A UserSet's members as UserBundle sees them. The set stores each member's inputs and outputs under its
 * user ID (so the engine's display, which compares stored inputs, names the member and field that changed),
 * without `userId`, which is the key; each member is handed to UserBundle's provider with it put back.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { sameValue } from "../../parts/diff";
import { containsUnknown, isUnknown } from "../../validation/unknown";
import { userBundleProvider } from "../user-bundle/provider";
import { declaredInputsOf } from "../user/mapping";
import type { UserInputs } from "../user/schema";
import { isObject } from "./check";

type Props = Record<string, unknown>;

/** UserBundle's provider, which applies every member: every method present (it defines all of them). */
export const memberProvider = userBundleProvider as Required<ResourceProvider>;

/** The members of `users` (inputs or outputs) as UserBundle's props, by user ID, in key order. */
export function membersOf(props: Props): Map<string, Props> {
    const users = isObject(props.users) ? props.users : {};
    const members = new Map<string, Props>();
    for (const [userId, member] of Object.entries(users)) if (isObject(member)) members.set(userId, { ...member, userId });
    return members;
}

/** A member's props as the set stores them: without `userId`, which is the key. */
function stored(props: Props): Props {
    const { userId: _userId, ...rest } = props;
    return rest;
}

/** The members as the set stores them, sorted by user ID so that state and display are stable. */
export function usersValue(members: Map<string, Props>): Props {
    return Object.fromEntries([...members.keys()].sort().map((userId) => [userId, stored(members.get(userId) as Props)]));
}

/**
 * Output fields of a member (and of its targets) that hold the same value for almost every user. The set's
 * outputs leave them out when they do, which keeps a seed's state about a fifth smaller (the engine rewrites
 * the whole state at every step); UserBundle sees them restored.
 */
const USUAL_MEMBER_OUTPUTS: Props = {
    phone: null,
    passwordHash: null,
    adopt: false,
    emailVerification: false,
    phoneVerification: false,
    mfa: false,
    impersonator: false,
};
const USUAL_TARGET_OUTPUTS: Props = { providerId: null, name: "", takenOver: false, expired: false };

function withoutUsual(props: Props, usual: Props): Props {
    return Object.fromEntries(Object.entries(props).filter(([key, value]) => !(key in usual && value === usual[key])));
}

function packedTarget(target: unknown): unknown {
    if (!isObject(target)) return target;
    const packed = withoutUsual(target, USUAL_TARGET_OUTPUTS);
    if (packed.appwriteTargetId === packed.targetId) delete packed.appwriteTargetId;
    return packed;
}

function unpackedTarget(target: unknown): unknown {
    if (!isObject(target)) return target;
    return { ...USUAL_TARGET_OUTPUTS, appwriteTargetId: target.targetId, ...target };
}

/** The members' outputs as the set stores them: by user ID, sorted, each without its usual values. */
export function outputsValue(members: Map<string, Props>): Props {
    const packed = new Map<string, Props>();
    for (const [userId, outs] of members) {
        const member = withoutUsual(outs, USUAL_MEMBER_OUTPUTS);
        if (Array.isArray(member.targets)) member.targets = member.targets.map(packedTarget);
        packed.set(userId, member);
    }
    return usersValue(packed);
}

/** A member's outputs as UserBundle made them, from what the set stores (outputsValue). */
export function unpackedOutputs(member: Props): Props {
    const outs: Props = { ...USUAL_MEMBER_OUTPUTS, ...member };
    if (Array.isArray(outs.targets)) outs.targets = outs.targets.map(unpackedTarget);
    return outs;
}

/** The members of the set's stored outputs as UserBundle's outputs, by user ID. */
export function memberOutputsOf(outs: Props): Map<string, Props> {
    const members = membersOf(outs);
    for (const [userId, member] of members) members.set(userId, unpackedOutputs(member));
    return members;
}

/** The parts UserBundle compares even when they are not declared (an undeclared part is deleted). */
const PART_INPUTS = ["labels", "prefs", "blocked", "targets"] as const;

/**
 * Whether a member is exactly as the set's outputs record it: every declared input holds the value the
 * outputs hold (an output left out for holding its usual value holds that), every part it leaves out is
 * absent from the outputs too, and every user input it declares was declared before. UserBundle's diff
 * finds no change in such a member, so a seed's no-change `up` need not unpack and run it for each of
 * thousands of users; anything else is left to it.
 */
function unchangedMember(stored: Props, news: Props): boolean {
    const declared = stored.declaredInputs;
    if (!Array.isArray(declared)) return false;
    for (const key of Object.keys(news)) {
        const value = news[key];
        if (key === "userId" || value === undefined) continue;
        if (!sameValue(stored[key] ?? USUAL_MEMBER_OUTPUTS[key], value)) return false;
    }
    for (const key of PART_INPUTS) if (news[key] === undefined && stored[key] !== undefined) return false;
    return declaredInputsOf(news as UserInputs).every((key) => declared.includes(key));
}

/** What must happen to each member to go from the stored outputs to the declared inputs. */
export interface MemberPlan {
    added: string[];
    removed: string[];
    /** Members whose user must be made again (`passwordHash` changed): deleted, then created. */
    replaced: string[];
    changed: string[];
}

/**
 * The plan from the members of the set's stored outputs (membersOf), each member judged by UserBundle's
 * own diff unless it is unchanged; `firstOnly` stops at the first change found (diff).
 */
export async function planMembers(before: Map<string, Props>, after: Map<string, Props>, firstOnly = false): Promise<MemberPlan> {
    const plan: MemberPlan = { added: [], removed: [], replaced: [], changed: [] };
    const found = () => firstOnly && plan.added.length + plan.removed.length + plan.replaced.length + plan.changed.length > 0;
    for (const userId of before.keys()) {
        if (!after.has(userId)) plan.removed.push(userId);
        if (found()) return plan;
    }
    for (const [userId, news] of after) {
        const olds = before.get(userId);
        if (olds === undefined) plan.added.push(userId);
        else if (containsUnknown(news)) plan.changed.push(userId);
        else if (!unchangedMember(olds, news)) {
            const diff = await memberProvider.diff(userId, unpackedOutputs(olds), news);
            if (diff.replaces !== undefined && diff.replaces.length > 0) plan.replaced.push(userId);
            else if (diff.changes === true) plan.changed.push(userId);
        }
        if (found()) return plan;
    }
    return plan;
}

/** Whether the set's declared users are still unknown as a whole (preview). */
export const usersUnknown = (news: Props): boolean => isUnknown(news.users);

/** The values of a member that only one user or target in the project may hold. */
function uniqueValues(member: Props): string[] {
    const values: string[] = [];
    if (typeof member.email === "string") values.push(`email:${member.email.toLowerCase()}`);
    if (typeof member.phone === "string") values.push(`phone:${member.phone}`);
    for (const target of Array.isArray(member.targets) ? member.targets : []) {
        if (!isObject(target)) continue;
        if (typeof target.targetId === "string") values.push(`target:${target.targetId}`);
        if (typeof target.identifier === "string") values.push(`identifier:${target.identifier.toLowerCase()}`);
    }
    return values;
}

/**
 * The changed members split in two: those that give up an email, phone, target ID or identifier another
 * member now declares go first, so that the other member's write never collides with it.
 */
export function releasingFirst(changed: readonly string[], before: Map<string, Props>, after: Map<string, Props>): [string[], string[]] {
    const declaredBy = new Map<string, string>();
    for (const [userId, news] of after) for (const value of uniqueValues(news)) declaredBy.set(value, userId);
    const releases = (userId: string) =>
        uniqueValues(before.get(userId) ?? {}).some((value) => (declaredBy.get(value) ?? userId) !== userId);
    return [changed.filter(releases), changed.filter((userId) => !releases(userId))];
}

/** Runs `work` for every item, at most `limit` at once, and settles when all have (never rejects). */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const item = items[next++] as T;
            await work(item);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
