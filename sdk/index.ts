export type { ResourceKind } from "../provider/kinds";
export { User, type UserArgs, type UserOutputs, type PasswordHashArgs, type PasswordHashOutput } from "./user";
export { UserLabels, type UserLabelsArgs, type UserLabelsOutputs } from "./user-labels";
export { UserPrefs, type UserPrefsArgs, type UserPrefsOutputs, type PrefsValue } from "./user-prefs";
export { UserTarget, type UserTargetArgs, type UserTargetOutputs, type TargetProviderType } from "./user-target";
export { UserStatus, type UserStatusArgs, type UserStatusOutputs } from "./user-status";
export {
    SeededUsers,
    type SeededUsersArgs,
    type SeededUser,
    seededUserPassword,
    loadSeedFile,
    SeedFileError,
    type SeedUser,
    type SeedTarget,
    isProductionStack,
} from "./seeded-users";
