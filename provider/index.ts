/**
 * `pulumi-appwrite-users/provider`: the provider objects by resource kind and `configure`. New resources
 * store a `require` of their kind's own entry module (`provider/entry/*`, which exports one of these
 * objects); states written by 0.1.0 store a forwarder that calls
 * `require("pulumi-appwrite-users/provider").providers[kind]` and `.configure`, so these names stay for as
 * long as such states may be refreshed or destroyed.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { entryProvider } from "./entry-provider";
import type { ResourceKind } from "./kinds";
import { userSetProvider } from "./resources/user-set/provider";
import { userProvider } from "./user";
import { userBundleProvider } from "./user-bundle";
import { userLabelsProvider } from "./user-labels";
import { userPrefsProvider } from "./user-prefs";
import { userStatusProvider } from "./user-status";
import { userTargetProvider } from "./user-target";

export { configure } from "./connection";
export { AppwriteProviderError } from "./errors";
export { RESOURCE_KINDS, entrySubpath, type ResourceKind } from "./kinds";
export { getUser, listUsersByIds } from "./users";

export const providers: Record<ResourceKind, ResourceProvider> = {
    User: entryProvider(userProvider),
    UserLabels: entryProvider(userLabelsProvider),
    UserPrefs: entryProvider(userPrefsProvider),
    UserTarget: entryProvider(userTargetProvider),
    UserStatus: entryProvider(userStatusProvider),
    UserBundle: entryProvider(userBundleProvider),
    UserSet: entryProvider(userSetProvider, { heldBySets: false }),
};
