import { randomBytes } from "node:crypto";
import type { HashOptions } from "./hashing";
import { type SideSnapshot, SideStore } from "./side-store";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Prefs = { [key: string]: Json };

/** A user document as the database holds it (nulls where Appwrite stores null). */
export interface UserRecord {
    $id: string;
    $createdAt: string;
    $updatedAt: string;
    seq: number;
    name: string | null;
    password: string | null;
    hash: string;
    hashOptions: HashOptions;
    registration: string;
    status: boolean;
    labels: string[];
    passwordUpdate: string | null;
    email: string | null;
    phone: string | null;
    emailVerification: boolean;
    phoneVerification: boolean;
    mfa: boolean;
    prefs: Prefs | Json[];
    accessedAt: string | null;
    impersonator: boolean;
    /** Absent in state files written before MFA recovery codes were emulated: none. */
    mfaRecoveryCodes?: string[];
    /** The user's targets in creation order. */
    targetIds: string[];
}

export interface TargetRecord {
    $id: string;
    $createdAt: string;
    $updatedAt: string;
    seq: number;
    name: string | null;
    userId: string;
    providerId: string | null;
    providerType: string;
    identifier: string;
    expired: boolean;
}

export interface Snapshot extends SideSnapshot {
    format: "appwrite-users-emulator/1";
    seq: number;
    users: UserRecord[];
    targets: TargetRecord[];
}

/** Datetimes as Appwrite formats them: `2026-08-21T12:34:56.789+00:00`. */
export const formatDate = (ms: number): string => new Date(ms).toISOString().replace("Z", "+00:00");

/** Appwrite's server-side IDs: PHP uniqid() (13 hex) plus 7 random hex characters. */
export function generateId(nowMs = Date.now()): string {
    const seconds = Math.floor(nowMs / 1000)
        .toString(16)
        .padStart(8, "0");
    const micros = ((nowMs % 1000) * 1000 + Math.floor(Math.random() * 1000)).toString(16).padStart(5, "0");
    return seconds + micros + randomBytes(4).toString("hex").slice(0, 7);
}

/** The fields a creation sets; `at` is its time. */
export type NewUserFields = Pick<
    UserRecord,
    "$id" | "seq" | "name" | "password" | "hash" | "hashOptions" | "passwordUpdate" | "email" | "phone"
>;

/** A user as Appwrite creates one: active, unverified, without MFA, labels, prefs, targets or sessions. */
export function newUserRecord(fields: NewUserFields, at: string): UserRecord {
    return {
        $id: fields.$id,
        $createdAt: at,
        $updatedAt: at,
        seq: fields.seq,
        name: fields.name,
        password: fields.password,
        hash: fields.hash,
        hashOptions: fields.hashOptions,
        registration: at,
        status: true,
        labels: [],
        passwordUpdate: fields.passwordUpdate,
        email: fields.email,
        phone: fields.phone,
        emailVerification: false,
        phoneVerification: false,
        mfa: false,
        prefs: {},
        accessedAt: null,
        impersonator: false,
        mfaRecoveryCodes: [],
        targetIds: [],
    };
}

const same = (a: unknown, b: unknown): boolean =>
    a === b || (typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b));

/**
 * The key of the unique index on target identifiers. Appwrite stores an identifier as given (only a user's
 * own email is lower-cased first), but its MariaDB tables use the server's default utf8mb4 collation
 * (utopia-php/database creates the database with `DEFAULT CHARACTER SET utf8mb4` and no collation; on
 * MariaDB 10.11 that is utf8mb4_general_ci), so `_key_identifier` and `Query::equal('identifier')` ignore case.
 */
function identifierKey(identifier: string): string {
    return identifier.toLowerCase();
}

/**
 * Users and targets with the unique indexes Appwrite has (user ID, email, phone; target ID, identifier), so
 * every lookup is a Map access. Map insertion order is creation order, which is the default list order.
 */
export class Store {
    readonly users = new Map<string, UserRecord>();
    readonly targets = new Map<string, TargetRecord>();
    private readonly byEmail = new Map<string, string>();
    private readonly byPhone = new Map<string, string>();
    private readonly byIdentifier = new Map<string, string>();
    private seq = 0;
    /** Sessions, tokens, identities, memberships, authenticators and logs. */
    readonly side = new SideStore(() => {
        this.revision++;
    });
    private listeners: Array<() => void> = [];
    /** Bumped by every mutation, so a request that changed nothing writes no state file. */
    private revision = 0;
    private notified = 0;

    /** Called once per request that changed something, so a state file can be written. */
    onChange(listener: () => void): void {
        this.listeners.push(listener);
    }

    /** Tells the listeners about changes made since the last call, if any. */
    flush(): void {
        if (this.revision === this.notified) return;
        this.notified = this.revision;
        for (const l of this.listeners) l();
    }

    nextSeq(): number {
        return ++this.seq;
    }

    user(id: string): UserRecord | undefined {
        return this.users.get(id);
    }

    userIdByEmail(email: string): string | undefined {
        return this.byEmail.get(email);
    }

    userIdByPhone(phone: string): string | undefined {
        return this.byPhone.get(phone);
    }

    targetByIdentifier(identifier: string): TargetRecord | undefined {
        const id = this.byIdentifier.get(identifierKey(identifier));
        return id === undefined ? undefined : this.targets.get(id);
    }

    /** True when the ID, email or phone is already taken (the unique-index clash of a create). */
    clashes(user: Pick<UserRecord, "$id" | "email" | "phone">): boolean {
        return (
            this.users.has(user.$id) ||
            (user.email !== null && this.byEmail.has(user.email)) ||
            (user.phone !== null && this.byPhone.has(user.phone))
        );
    }

    insertUser(user: UserRecord): void {
        this.revision++;
        this.users.set(user.$id, user);
        if (user.email !== null) this.byEmail.set(user.email, user.$id);
        if (user.phone !== null) this.byPhone.set(user.phone, user.$id);
    }

    /** Applies changes; `$updatedAt` moves only when a value really changed, as in utopia database. */
    updateUser(user: UserRecord, changes: Partial<UserRecord>, nowMs: number): boolean {
        const keys = (Object.keys(changes) as Array<keyof UserRecord>).filter((k) => !same(user[k], changes[k]));
        if (keys.length === 0) return false;
        if (keys.includes("email")) {
            if (user.email !== null) this.byEmail.delete(user.email);
            if (changes.email != null) this.byEmail.set(changes.email, user.$id);
        }
        if (keys.includes("phone")) {
            if (user.phone !== null) this.byPhone.delete(user.phone);
            if (changes.phone != null) this.byPhone.set(changes.phone, user.$id);
        }
        Object.assign(user, changes);
        user.$updatedAt = formatDate(nowMs);
        this.revision++;
        return true;
    }

    deleteUser(user: UserRecord): void {
        this.revision++;
        for (const targetId of [...user.targetIds]) {
            const target = this.targets.get(targetId);
            if (target) this.deleteTarget(target);
        }
        this.side.dropUser(user.seq);
        this.users.delete(user.$id);
        if (user.email !== null) this.byEmail.delete(user.email);
        if (user.phone !== null) this.byPhone.delete(user.phone);
    }

    userTargets(user: UserRecord): TargetRecord[] {
        const out: TargetRecord[] = [];
        for (const id of user.targetIds) {
            const t = this.targets.get(id);
            if (t) out.push(t);
        }
        return out;
    }

    insertTarget(target: TargetRecord): void {
        this.revision++;
        this.targets.set(target.$id, target);
        this.byIdentifier.set(identifierKey(target.identifier), target.$id);
        this.users.get(target.userId)?.targetIds.push(target.$id);
    }

    updateTarget(target: TargetRecord, changes: Partial<TargetRecord>, nowMs: number): boolean {
        const keys = (Object.keys(changes) as Array<keyof TargetRecord>).filter((k) => !same(target[k], changes[k]));
        if (keys.length === 0) return false;
        if (keys.includes("identifier") && changes.identifier !== undefined) {
            this.byIdentifier.delete(identifierKey(target.identifier));
            this.byIdentifier.set(identifierKey(changes.identifier), target.$id);
        }
        Object.assign(target, changes);
        target.$updatedAt = formatDate(nowMs);
        this.revision++;
        return true;
    }

    deleteTarget(target: TargetRecord): void {
        this.revision++;
        this.targets.delete(target.$id);
        const key = identifierKey(target.identifier);
        if (this.byIdentifier.get(key) === target.$id) this.byIdentifier.delete(key);
        const owner = this.users.get(target.userId);
        if (owner) owner.targetIds = owner.targetIds.filter((id) => id !== target.$id);
    }

    snapshot(): Snapshot {
        return {
            format: "appwrite-users-emulator/1",
            seq: this.seq,
            users: [...this.users.values()],
            targets: [...this.targets.values()],
            ...this.side.snapshot(),
        };
    }

    /** Replaces the contents with a snapshot (state file load). Indexes are rebuilt from the records. */
    restore(snapshot: Snapshot): void {
        this.users.clear();
        this.targets.clear();
        this.byEmail.clear();
        this.byPhone.clear();
        this.byIdentifier.clear();
        const users = [...snapshot.users].sort((a, b) => a.seq - b.seq);
        for (const u of users) this.insertUser({ ...u, targetIds: [] });
        const targets = [...snapshot.targets].sort((a, b) => a.seq - b.seq);
        for (const t of targets) if (this.users.has(t.userId)) this.insertTarget({ ...t });
        this.side.restore(snapshot, (id) => this.users.get(id)?.seq);
        this.seq = Math.max(snapshot.seq, ...users.map((u) => u.seq), ...targets.map((t) => t.seq), 0);
        this.notified = this.revision;
    }
}
