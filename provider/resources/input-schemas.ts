/**
 * Each resource's input schema by kind: what `check` validates, and the names each kind knows (unknown-key
 * hints point a key to the kind that has it).
 */
import type { z } from "zod";
import type { ResourceKind } from "../kinds";
import { userSchema } from "./user/schema";
import { userBundleSchema } from "./user-bundle/schema";
import { userLabelsSchema } from "./user-labels/schema";
import { userPrefsSchema } from "./user-prefs/schema";
import { userSetSchema } from "./user-set/schema";
import { userStatusSchema } from "./user-status/schema";
import { userTargetSchema } from "./user-target/schema";

export const INPUT_SCHEMAS: Readonly<Record<ResourceKind, z.ZodType>> = {
    User: userSchema,
    UserLabels: userLabelsSchema,
    UserPrefs: userPrefsSchema,
    UserTarget: userTargetSchema,
    UserStatus: userStatusSchema,
    UserBundle: userBundleSchema,
    UserSet: userSetSchema,
};
