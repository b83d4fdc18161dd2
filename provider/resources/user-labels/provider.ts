/**
 * UserLabels: the labels of one user. Appwrite replaces labels wholesale on every write. With `exclusive`
 * (the default) this resource owns all of them; with `exclusive: false` only the labels it declares, and
 * every write merges them into the live labels (parts/owned-value-provider.ts says how).
 *
 * - create, update, delete: `PUT /v1/users/{userId}/labels` (`updateLabels`), with the labels
 *   de-duplicated (Appwrite keeps the first occurrence of each and does not sort).
 * - Labels compare as a set; a merge over Appwrite's limit of labels writes nothing.
 */
import { describeLimit } from "../../appwrite/fixes";
import { ownedValueProvider } from "../../parts/owned-value-provider";
import { isUnknown } from "../../validation/unknown";
import { MAX_LABELS, userLabelsSchema } from "./schema";

/** The labels Appwrite would store for `labels`: first occurrences, in order. */
function uniqueLabels(labels: readonly string[]): string[] {
    return [...new Set(labels)];
}

/** Whether two label lists hold the same labels, ignoring order and duplicates (case matters, as in Appwrite). */
function sameLabelSet(a: unknown, b: unknown): boolean {
    if (!Array.isArray(a) || !Array.isArray(b) || b.some(isUnknown)) return false;
    const left = new Set(a);
    const right = new Set(b);
    return left.size === right.size && [...left].every((label) => right.has(label));
}

/** The live labels without `dropped`, then each of `declared` not already there, in Appwrite's order. */
function mergeLabels(live: readonly string[], dropped: readonly string[], declared: readonly string[]): string[] {
    const gone = new Set(dropped.filter((label) => !declared.includes(label)));
    return uniqueLabels([...live.filter((label) => !gone.has(label)), ...declared]);
}

const asLabels = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

export const userLabelsProvider = ownedValueProvider<string[]>({
    kind: "UserLabels",
    key: "labels",
    schema: userLabelsSchema,
    same: sameLabelSet,
    live: (user) => user?.labels ?? [],
    members: asLabels,
    outputs: (held, members) => (members === undefined ? [...asLabels(held)] : asLabels(held).filter((label) => members.includes(label))),
    merge: mergeLabels,
    holds: (live, merged) => merged.length === live.length && merged.every((label, i) => label === live[i]),
    overLimit: (merged, live, declared) => {
        if (merged.length <= MAX_LABELS) return undefined;
        const added = uniqueLabels(declared).filter((label) => !live.includes(label)).length;
        return describeLimit({
            what: `${merged.length} labels`,
            kept: `${merged.length - added} kept from Appwrite, ${added} added by this resource`,
            limit: `${MAX_LABELS}`,
            fix: "Declare fewer labels, or remove some the application set",
        });
    },
    empty: [],
    write: async (users, userId, labels) => (await users.updateLabels({ userId, labels: uniqueLabels(labels) })).labels,
});
