/**
 * The throwaway user `appwrite-users exec --label` runs a command as: made for the run with the label, so
 * that `appwrite-users sweep --label` finds it if the run is killed before it is deleted.
 */
import { ID, type Users } from "node-appwrite";
import { describeRequestError, isNotFound } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";

/** Makes a user with a unique ID and no credentials, labelled `label`, and returns its ID. */
export async function makeRunUser(users: Users, label: string): Promise<string> {
    const user = await users.create({ userId: ID.unique(), name: `appwrite-users exec (${label})` }).catch((err: unknown) => {
        throw describeRequestError(`creating a user labelled "${label}" for the run`, err);
    });
    await retrying(() => users.updateLabels({ userId: user.$id, labels: [label] })).catch(async (err: unknown) => {
        // Unlabelled, no sweep would find it: remove it now.
        await users.delete({ userId: user.$id }).catch(() => undefined);
        throw describeRequestError(`labelling user "${user.$id}" "${label}"`, err);
    });
    return user.$id;
}

/** Deletes the run's user (Appwrite ends its sessions with it); one already gone counts as deleted. */
export async function deleteRunUser(users: Users, userId: string): Promise<void> {
    await retrying(() => users.delete({ userId })).catch((err: unknown) => {
        if (!isNotFound(err)) throw describeRequestError(`deleting user "${userId}", made for this run`, err);
    });
}
