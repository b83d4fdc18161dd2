/** UserStatus's inputs. */
import { z } from "zod";
import { appwriteId, flag } from "../../validation/rules";
import { projectInput } from "../../parts/project";

export const userStatusSchema = z.object({
    userId: appwriteId,
    blocked: flag("true blocks the user, false lets them sign in"),
    endSessions: flag("true also deletes every session of the user when it is blocked").optional(),
    project: projectInput,
});

export type UserStatusInputs = z.infer<typeof userStatusSchema>;
