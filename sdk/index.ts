export type { ResourceKind } from "../provider/kinds";
export { User, type UserArgs, type UserOutputs, type PasswordHashArgs, type PasswordHashOutput } from "./user";
export { UserLabels, type UserLabelsArgs, type UserLabelsOutputs } from "./user-labels";
export {
    UserPrefs,
    type UserPrefsArgs,
    type UserPrefsOutputs,
    type PrefsValue,
    type PrefsInput,
    type PrefsInputList,
    type PrefsInputObject,
} from "./user-prefs";
export { UserTarget, type UserTargetArgs, type UserTargetOutputs, type TargetProviderType } from "./user-target";
export { UserStatus, type UserStatusArgs, type UserStatusOutputs } from "./user-status";
export {
    UserBundle,
    type UserBundleArgs,
    type UserBundleOutputs,
    type UserBundleTargetArgs,
    type UserBundleTargetOutputs,
} from "./user-bundle";
export {
    UserSet,
    type UserSetArgs,
    type UserSetOutputs,
    type UserSetMemberArgs,
    type UserSetMemberOutputs,
    type UserSetTargetOutputs,
} from "./user-set";
export {
    SeededUsers,
    type SeededUsersArgs,
    type SeedLayout,
    SEED_SETS,
    seedSetOf,
    seedSetName,
    type SeededUser,
    seededUserPassword,
    loadSeedFile,
    SeedFileError,
    type SeedUser,
    type SeedTarget,
    isProductionStack,
} from "./seeded-users";
export {
    getUser,
    listUsers,
    getUserOutput,
    listUsersOutput,
    type GetUserArgs,
    type ListUsersArgs,
    type UserKey,
    type LookupOptions,
    type LookupInputs,
} from "./lookups";
export type { UserInfo, UserTargetInfo, MfaFactorsInfo } from "./user-info";
export { withUserSession, type UserSession, type SessionUser } from "./user-session";
export type { ProjectArgs } from "./project";
