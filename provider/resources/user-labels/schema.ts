/** UserLabels' inputs: Appwrite's label rule and its limit on how many a user may have. */
import { z } from "zod";
import { appwriteId, flag, text } from "../../validation/rules";
import { projectInput } from "../../parts/project";

const LABEL_RULE = "1 to 36 ASCII letters or digits (A-Z, a-z, 0-9), no spaces, hyphens or underscores";
export const MAX_LABELS = 1000;

export const userLabelsSchema = z.object({
    userId: appwriteId,
    labels: z
        .array(text(LABEL_RULE).regex(/^[A-Za-z0-9]{1,36}$/, { error: `must be ${LABEL_RULE}` }), {
            error: `must be a list of labels, each ${LABEL_RULE}`,
        })
        // Labels are a set (Appwrite keeps one of each), so the limit counts distinct labels.
        .superRefine((labels, ctx) => {
            const distinct = new Set(labels).size;
            if (distinct > MAX_LABELS)
                ctx.addIssue({ code: "custom", message: `has ${distinct} distinct labels; at most ${MAX_LABELS} are allowed` });
        }),
    exclusive: flag("true owns every label of the user, false only the declared ones").optional(),
    project: projectInput,
});
