/**
 * `pulumi-appwrite-users/provider`: the provider objects by resource kind and `configure`. New resources
 * store a `require` of their kind's own entry module (`provider/entry/*`, which exports one of these
 * objects); states written by 0.1.0 store a forwarder that calls
 * `require("pulumi-appwrite-users/provider").providers[kind]` and `.configure`, so these names stay for as
 * long as such states may be refreshed or destroyed.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { entryProvider } from "./parts/entry-provider";
import type { ResourceKind } from "./kinds";
import { userProvider } from "./resources/user/provider";
import { userBundleProvider } from "./resources/user-bundle/provider";
import { userLabelsProvider } from "./resources/user-labels/provider";
import { userPrefsProvider } from "./resources/user-prefs/provider";
import { userSetProvider } from "./resources/user-set/provider";
import { userStatusProvider } from "./resources/user-status/provider";
import { userTargetProvider } from "./resources/user-target/provider";

export { configure } from "./appwrite/connection";
export { AppwriteProviderError } from "./appwrite/errors";
export { RESOURCE_KINDS, entrySubpath, type ResourceKind } from "./kinds";
export { getUser, listUsersByIds } from "./appwrite/users";

export const providers: Record<ResourceKind, ResourceProvider> = {
    User: entryProvider(userProvider),
    UserLabels: entryProvider(userLabelsProvider),
    UserPrefs: entryProvider(userPrefsProvider),
    UserTarget: entryProvider(userTargetProvider),
    UserStatus: entryProvider(userStatusProvider),
    UserBundle: entryProvider(userBundleProvider),
    UserSet: entryProvider(userSetProvider, { heldBySets: false }),
};
