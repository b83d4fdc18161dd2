/**
 * UserSet's inputs: the users it owns, by user ID, each with UserBundle's inputs but `userId` (its key) and
 * `project` (the set's, for all of its members).
 */
import { z } from "zod";
import { projectInput } from "../../parts/project";
import { userBundleSchema } from "../user-bundle/schema";

/** A member of a UserSet: a UserBundle's inputs without `userId`, which is the member's key in `users`. */
const userSetMemberSchema = userBundleSchema.omit({ userId: true, project: true });

export const userSetSchema = z.object({
    project: projectInput,
    users: z.record(z.string(), userSetMemberSchema, {
        error: "must be an object of users by user ID, each with UserBundle's inputs but userId",
    }),
});
