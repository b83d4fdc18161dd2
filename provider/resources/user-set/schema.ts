/** UserSet's inputs: the users it owns, by user ID, each with UserBundle's inputs but `userId` (its key). */
import { z } from "zod";
import { userBundleSchema } from "../user-bundle/schema";

/** A member of a UserSet: a UserBundle's inputs without `userId`, which is the member's key in `users`. */
export const userSetMemberSchema = userBundleSchema.omit({ userId: true });

export const userSetSchema = z.object({
    users: z.record(z.string(), userSetMemberSchema, { error: "must be an object of users by user ID, each with UserBundle's inputs but userId" }),
});
