export type { ResourceKind } from "./shim";
