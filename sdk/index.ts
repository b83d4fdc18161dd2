export type { ResourceKind } from "./shim";
export { User, type UserArgs, type UserOutputs, type PasswordHashArgs, type PasswordHashOutput } from "./user";
export { UserStatus, type UserStatusArgs, type UserStatusOutputs } from "./user-status";
