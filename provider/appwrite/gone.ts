/**
 * The one place that decides what "already gone" means. A user (or target) Appwrite no longer has is
 * done for a delete, and for a read is the answer the dynamic-provider contract gives for a deleted
 * resource: no ID, so the engine drops it from the state on refresh. A wrong project is a 404 too, but is
 * never taken for "gone" (errors.ts, `isNotFound`).
 */
import type { ReadResult } from "@pulumi/pulumi/dynamic";
import { AppwriteProviderError, attempt, isNotFound, type ErrorContext } from "./errors";

/** Whether `err` (as Appwrite threw it, or already worded by errors.ts) says the user or target does not exist. */
export function isGone(err: unknown): boolean {
    return isNotFound(err) || (err instanceof AppwriteProviderError && isNotFound(err.cause));
}

/** What `read` answers for a resource Appwrite no longer has. */
export function goneRead(): ReadResult {
    return {};
}

/** Whether a read found its resource (its answer carries an ID). */
export function wasFound(read: ReadResult | undefined): read is ReadResult & { id: string } {
    return read?.id !== undefined && read.id !== "";
}

/** Runs a delete, counting a user or target already gone as deleted; any other failure is worded with `ctx`. */
export async function deleteUnlessGone(ctx: ErrorContext, run: () => Promise<unknown>): Promise<void> {
    await attempt(ctx, async () => {
        try {
            await run();
        } catch (err) {
            if (!isGone(err)) throw err;
        }
    });
}
