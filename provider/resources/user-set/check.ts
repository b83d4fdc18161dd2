/**
 * UserSet's `check`: every member is validated with UserBundle's own schema and rules (a member is a
 * UserBundle's inputs without `userId`, which is its key), each failure named by its member
 * (`users["qa-0042"].email`), and what must be unique across the project is refused when two members
 * declare it: emails, phones, target IDs and target identifiers. No request is sent.
 */
import type { CheckFailure, CheckResult } from "@pulumi/pulumi/dynamic";
import { inputNames, isEngineKey } from "../../parts/input-names";
import { userBundleCrossCheck, userBundleSchema } from "../user-bundle/schema";
import { checkInputs } from "../../validation/check";
import { appwriteId, ID_RULE } from "../../validation/rules";
import { containsUnknown, isUnknown } from "../../validation/unknown";
import { userSetSchema } from "./schema";

type Props = Record<string, unknown>;

/** The inputs a UserSet has besides the engine's own. */
const SET_INPUTS = inputNames(userSetSchema);

export const isObject = (value: unknown): value is Props => value !== null && typeof value === "object" && !Array.isArray(value);

/** `users["qa-0042"]`, the path of a member in messages and failures. */
export const memberPath = (userId: string): string => `users[${JSON.stringify(userId)}]`;

/** A member's failure from UserBundle's check, moved under the member's path. */
function underMember(userId: string, failure: CheckFailure): CheckFailure {
    const property = failure.property === "inputs" || failure.property === "" ? "" : `.${failure.property}`;
    return { property: `${memberPath(userId)}${property}`, reason: failure.reason };
}

function memberFailures(userId: string, member: unknown): CheckFailure[] {
    const failures: CheckFailure[] = [];
    if (!appwriteId.safeParse(userId).success)
        failures.push({ property: memberPath(userId), reason: `has a user ID that must be ${ID_RULE}` });
    if (isUnknown(member)) return failures;
    if (!isObject(member))
        return [
            ...failures,
            { property: memberPath(userId), reason: "must be an object of the user's inputs (those of UserBundle but userId)" },
        ];
    if (member.project !== undefined) {
        failures.push({
            property: `${memberPath(userId)}.project`,
            reason: "is not an input of a member: a set's members live in the set's project, so set `project` on the UserSet",
        });
    }
    if (member.userId !== undefined && member.userId !== userId && !isUnknown(member.userId)) {
        failures.push({
            property: `${memberPath(userId)}.userId`,
            reason: `is "${String(member.userId)}", but the member's key is its user ID: leave userId out`,
        });
    }
    const checked = checkInputs(userBundleSchema, { ...member, userId }, userBundleCrossCheck);
    for (const failure of checked.failures ?? []) failures.push(underMember(userId, failure));
    return failures;
}

/** One value that must be unique in the project, and who declared it first. */
interface Claim {
    what: string;
    first: string;
}

/** Emails, phones, target IDs and target identifiers declared by two members. */
function collisions(users: Props): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const claims = new Map<string, Claim>();
    const claim = (key: string, what: string, path: string) => {
        const first = claims.get(key);
        if (first === undefined) claims.set(key, { what, first: path });
        else failures.push({ property: path, reason: `is ${what}, already declared at ${first.first}: it must be unique in the project` });
    };
    for (const [userId, member] of Object.entries(users)) {
        if (!isObject(member) || containsUnknown(member)) continue;
        const at = memberPath(userId);
        if (typeof member.email === "string") claim(`email:${member.email.toLowerCase()}`, `the email "${member.email}"`, `${at}.email`);
        if (typeof member.phone === "string") claim(`phone:${member.phone}`, `the phone "${member.phone}"`, `${at}.phone`);
        if (!Array.isArray(member.targets)) continue;
        member.targets.forEach((target: unknown, i) => {
            if (!isObject(target)) return;
            const path = `${at}.targets[${i}]`;
            if (typeof target.targetId === "string")
                claim(`target:${target.targetId}`, `the target ID "${target.targetId}"`, `${path}.targetId`);
            if (typeof target.identifier === "string" && typeof target.providerType === "string") {
                const identifier = target.providerType === "email" ? target.identifier.toLowerCase() : target.identifier;
                claim(
                    `identifier:${target.providerType}:${identifier}`,
                    `the ${target.providerType} identifier "${target.identifier}"`,
                    `${path}.identifier`,
                );
            }
        });
    }
    return failures;
}

export function checkUserSet(news: Props): CheckResult {
    const failures: CheckFailure[] = [];
    for (const key of Object.keys(news)) {
        if (!isEngineKey(key) && !SET_INPUTS.includes(key) && news[key] !== undefined) {
            failures.push({
                property: key,
                reason: `is not an input of UserSet, whose inputs are \`users\` (each user's inputs by user ID) and \`project\``,
            });
        }
    }
    if (news.project !== undefined && !isUnknown(news.project)) {
        const project = userSetSchema.shape.project.safeParse(news.project);
        if (!project.success) failures.push({ property: "project", reason: project.error.issues[0]?.message ?? "is not a project name" });
    }
    const { users } = news;
    if (isUnknown(users)) return failures.length === 0 ? { inputs: news } : { inputs: news, failures };
    if (users === undefined) {
        failures.push({
            property: "users",
            reason: "is required: the users of the set by user ID, each with UserBundle's inputs but userId",
        });
    } else if (!isObject(users)) {
        failures.push({ property: "users", reason: "must be an object of users by user ID, each with UserBundle's inputs but userId" });
    } else {
        for (const [userId, member] of Object.entries(users)) failures.push(...memberFailures(userId, member));
        failures.push(...collisions(users));
    }
    return failures.length === 0 ? { inputs: news } : { inputs: news, failures };
}
