/**
 * The engine's sentinels for values not known yet (during a preview), as a provider's check and diff receive
 * them. The Node SDK sends the string one for every unknown; the engine itself also uses one per type.
 */
import { unknownValue } from "@pulumi/pulumi/runtime";

export const UNKNOWN: string = unknownValue;
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
