/** UserPrefs' inputs: a JSON object Appwrite (through PHP) will store as given, within its size limit. */
import { z } from "zod";
import { isListLike, nonJsonValues, normalizePrefs, phpJsonLength } from "../../validation/php-json";
import { appwriteId, flag } from "../../validation/rules";
import { projectInput } from "../../parts/project";

/** Appwrite's limit on `strlen(json_encode(prefs))`. */
export const MAX_PREFS_BYTES = 65535;

const PREFS_RULE = `a JSON object of at most ${MAX_PREFS_BYTES} bytes as Appwrite measures it`;

export const userPrefsSchema = z.object({
    userId: appwriteId,
    prefs: z.record(z.string(), z.unknown(), { error: `must be ${PREFS_RULE}, e.g. { locale: "en" }` }).superRefine((prefs, ctx) => {
        const notJson = nonJsonValues(prefs);
        for (const { path, reason } of notJson) ctx.addIssue({ code: "custom", path, message: reason });
        if (notJson.length > 0) return;
        if (isListLike(prefs)) {
            ctx.addIssue({
                code: "custom",
                message: "must have named keys: an object whose keys are just 0, 1, 2 ... reaches Appwrite as a list, which it refuses",
            });
        }
        const size = phpJsonLength(normalizePrefs(prefs));
        if (size > MAX_PREFS_BYTES) {
            ctx.addIssue({
                code: "custom",
                message: `is ${size} bytes as Appwrite measures it (PHP json_encode, which writes / as \\/ and each non-ASCII character as \\uXXXX); at most ${MAX_PREFS_BYTES} bytes are allowed`,
            });
        }
    }),
    exclusive: flag("true owns every preference of the user, false only the declared top-level keys").optional(),
    project: projectInput,
});
