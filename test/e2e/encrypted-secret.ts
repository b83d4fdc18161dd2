import { runtime } from "@pulumi/pulumi";
import { expect } from "vitest";

/** A secret as the backend's file and `pulumi stack export` hold it: Pulumi's secret signature and the value encrypted. */
export const ENCRYPTED_SECRET = { [runtime.specialSigKey]: runtime.specialSecretSig, ciphertext: expect.any(String) };
