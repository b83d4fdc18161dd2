import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Snapshot, Store } from "./store";

/** A state file that exists but cannot be used; the emulator refuses to start rather than replace it. */
export class StateFileError extends Error {
    constructor(file: string, reason: string) {
        super(`Cannot use state file ${file}: ${reason}. Fix or remove the file; the emulator will not overwrite it.`);
        this.name = "StateFileError";
    }
}

/** Optional lists: state files from before they were emulated lack them. */
const SIDE_LISTS = ["sessions", "tokens", "identities", "memberships", "authenticators", "logs"];

function isSnapshot(v: unknown): v is Snapshot {
    if (v === null || typeof v !== "object") return false;
    const s = v as Record<string, unknown>;
    return (
        s.format === "appwrite-users-emulator/1" &&
        Array.isArray(s.users) &&
        Array.isArray(s.targets) &&
        s.users.every((u) => u !== null && typeof u === "object" && typeof (u as { $id?: unknown }).$id === "string") &&
        s.targets.every((t) => t !== null && typeof t === "object" && typeof (t as { $id?: unknown }).$id === "string") &&
        SIDE_LISTS.every((name) => s[name] === undefined || Array.isArray(s[name]))
    );
}

/** Loads users and targets from the file into the store; a missing file is an empty start. */
export function loadState(file: string, store: Store): void {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw new StateFileError(file, (error as Error).message);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new StateFileError(file, `it is not valid JSON (${(error as Error).message})`);
    }
    if (!isSnapshot(value)) {
        throw new StateFileError(
            file,
            'it is not an emulator state file (expected {"format": "appwrite-users-emulator/1", "users": [...], "targets": [...]})',
        );
    }
    store.restore(value);
}

/** Writes the whole state to a temporary file and renames it over the old one, so a crash never tears it. */
export function saveState(file: string, store: Store): void {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(store.snapshot()));
    renameSync(temp, file);
}
