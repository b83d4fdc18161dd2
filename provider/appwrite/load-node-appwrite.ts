/**
 * node-appwrite, loaded when the first request is made rather than with the provider. `check` and `diff`
 * send no request, so a preview or an `up` with nothing to change never needs it, and loading it (with its
 * undici) is about half of the provider's own start in Pulumi's provider host, on the way to the first
 * `Check` of every run.
 */
import type * as NodeAppwrite from "node-appwrite";

let loaded: typeof NodeAppwrite | undefined;

export function nodeAppwrite(): typeof NodeAppwrite {
    loaded ??= require("node-appwrite") as typeof NodeAppwrite;
    return loaded;
}

/** Whether an error is node-appwrite's AppwriteException (or one shaped like it, from another copy of node-appwrite). */
export function isAppwriteException(err: unknown): err is NodeAppwrite.AppwriteException {
    if (!(err instanceof Error)) return false;
    return err.name === "AppwriteException" || (loaded !== undefined && err instanceof loaded.AppwriteException);
}
