/**
 * The provider objects by resource kind, loaded by the shim in `sdk/shim.ts` at call time inside
 * Pulumi's dynamic-provider host, and `configure`, which the shim calls with the stack config.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import type { ResourceKind } from "../sdk/shim";
import { userProvider } from "./user";
import { userLabelsProvider } from "./user-labels";
import { userPrefsProvider } from "./user-prefs";
import { userStatusProvider } from "./user-status";
import { userTargetProvider } from "./user-target";

export { configure } from "./connection";
export { AppwriteProviderError } from "./errors";
export { getUser, listUsersByIds } from "./users";

export const providers: Record<ResourceKind, ResourceProvider> = {
    User: userProvider,
    UserLabels: userLabelsProvider,
    UserPrefs: userPrefsProvider,
    UserTarget: userTargetProvider,
    UserStatus: userStatusProvider,
};
