/**
 * The documents Appwrite keeps beside a user: sessions, tokens, identities, memberships, authenticators and
 * audit logs. They are keyed by the owner's `$sequence` as well as its ID, as Appwrite's subqueries match
 * `userInternalId`, so a user re-created under the same ID never sees the old one's documents.
 */

/** The device and place fields Appwrite's Detector and GeoIP fill in for a session or a log. */
export interface ClientInfo {
    ip: string;
    osCode: string;
    osName: string;
    osVersion: string;
    clientType: string;
    clientCode: string;
    clientName: string;
    clientVersion: string;
    clientEngine: string;
    clientEngineVersion: string;
    deviceName: string;
    deviceBrand: string;
    deviceModel: string;
    countryCode: string;
}

export interface SessionRecord extends ClientInfo {
    $id: string;
    $createdAt: string;
    $updatedAt: string;
    userId: string;
    userSeq: number;
    expire: string;
    provider: string;
    providerUid: string;
    providerAccessToken: string;
    providerAccessTokenExpiry: string;
    providerRefreshToken: string;
    /** SHA-256 of the secret; the secret itself exists only in the create response. */
    secret: string;
    userAgent: string;
    factors: string[];
    mfaUpdatedAt: string;
}

export interface TokenRecord {
    $id: string;
    $createdAt: string;
    userId: string;
    userSeq: number;
    /** SHA-256 of the secret. */
    secret: string;
    expire: string;
    type: number;
}

export interface IdentityRecord {
    $id: string;
    $createdAt: string;
    $updatedAt: string;
    userId: string;
    userSeq: number;
    provider: string;
    providerUid: string;
    providerEmail: string;
    providerAccessToken: string;
    providerAccessTokenExpiry: string;
    providerRefreshToken: string;
}

export interface MembershipRecord {
    $id: string;
    $createdAt: string;
    $updatedAt: string;
    userId: string;
    userSeq: number;
    teamId: string;
    teamName: string;
    invited: string;
    joined: string;
    confirm: boolean;
    mfa: boolean;
    roles: string[];
}

export interface AuthenticatorRecord {
    $id: string;
    userId: string;
    userSeq: number;
    type: "totp";
    verified: boolean;
    /** The base32 TOTP secret (Appwrite's `data.secret`); absent for authenticators given by older state files. */
    secret?: string;
}

/** An MFA challenge of the Account API. Short-lived, so it is kept in memory only, never in a state file. */
export interface ChallengeRecord {
    $id: string;
    $createdAt: string;
    userId: string;
    userSeq: number;
    /** The factor as the request spelt it. */
    type: string;
    expire: string;
}

/** One audit entry as Appwrite's audit worker writes it; `actorSeq` is what `getLogsByUser` matches. */
export interface LogRecord extends ClientInfo {
    event: string;
    resource: string;
    /** The `$sequence` of the user who acted; null for API keys and guests. */
    actorSeq: number | null;
    userId: string;
    userName: string;
    userEmail: string;
    userType: string;
    mode: string;
    userAgent: string;
    time: string;
}

export interface SideSnapshot {
    sessions?: SessionRecord[];
    tokens?: TokenRecord[];
    identities?: IdentityRecord[];
    memberships?: MembershipRecord[];
    authenticators?: AuthenticatorRecord[];
    logs?: LogRecord[];
}

type Owned = { userSeq: number };

/** Documents in creation order (Map insertion order), with a mutation callback for state-file writes. */
export class SideStore {
    readonly sessions = new Map<string, SessionRecord>();
    readonly tokens = new Map<string, TokenRecord>();
    readonly identities = new Map<string, IdentityRecord>();
    readonly memberships = new Map<string, MembershipRecord>();
    readonly authenticators = new Map<string, AuthenticatorRecord>();
    readonly challenges = new Map<string, ChallengeRecord>();
    readonly logs: LogRecord[] = [];

    constructor(private readonly changed: () => void) {}

    private owned<T extends Owned>(map: Map<string, T>, userSeq: number): T[] {
        return [...map.values()].filter((d) => d.userSeq === userSeq);
    }

    sessionsOf(userSeq: number): SessionRecord[] {
        return this.owned(this.sessions, userSeq);
    }

    membershipsOf(userSeq: number): MembershipRecord[] {
        return this.owned(this.memberships, userSeq);
    }

    totpOf(userSeq: number): AuthenticatorRecord | undefined {
        return this.owned(this.authenticators, userSeq).find((a) => a.type === "totp");
    }

    logsBy(userSeq: number): LogRecord[] {
        return this.logs.filter((l) => l.actorSeq === userSeq);
    }

    addSession(session: SessionRecord): void {
        this.sessions.set(session.$id, session);
        this.changed();
    }

    addToken(token: TokenRecord): void {
        this.tokens.set(token.$id, token);
        this.changed();
    }

    /** An audit entry alone writes no state file (every audited request would); the next change saves it. */
    addLog(log: LogRecord): void {
        this.logs.push(log);
    }

    deleteSession(id: string): void {
        if (this.sessions.delete(id)) this.changed();
    }

    deleteIdentity(id: string): void {
        if (this.identities.delete(id)) this.changed();
    }

    addAuthenticator(authenticator: AuthenticatorRecord): void {
        this.authenticators.set(authenticator.$id, authenticator);
        this.changed();
    }

    deleteAuthenticator(id: string): void {
        if (this.authenticators.delete(id)) this.changed();
    }

    /** Removes every session of a user (delete all, password change) and says how many there were. */
    deleteSessionsOf(userSeq: number): number {
        const doomed = this.sessionsOf(userSeq);
        for (const s of doomed) this.sessions.delete(s.$id);
        if (doomed.length > 0) this.changed();
        return doomed.length;
    }

    /** What a user delete removes: identities at once in Appwrite, the rest in its deletes worker. Logs stay. */
    dropUser(userSeq: number): void {
        for (const map of [this.sessions, this.tokens, this.identities, this.memberships, this.authenticators, this.challenges] as Array<
            Map<string, Owned>
        >) {
            for (const [id, doc] of map) if (doc.userSeq === userSeq) map.delete(id);
        }
        this.changed();
    }

    snapshot(): Required<SideSnapshot> {
        return {
            sessions: [...this.sessions.values()],
            tokens: [...this.tokens.values()],
            identities: [...this.identities.values()],
            memberships: [...this.memberships.values()],
            authenticators: [...this.authenticators.values()],
            logs: [...this.logs],
        };
    }

    /** Loads documents whose owner exists; `seqOf` maps a user ID to its `$sequence`. */
    restore(snapshot: SideSnapshot, seqOf: (userId: string) => number | undefined): void {
        for (const map of [this.sessions, this.tokens, this.identities, this.memberships, this.authenticators]) map.clear();
        this.logs.length = 0;
        const load = <T extends Owned & { $id: string; userId: string }>(map: Map<string, T>, docs: T[] | undefined): void => {
            for (const doc of docs ?? []) {
                const seq = seqOf(doc.userId);
                if (seq !== undefined) map.set(doc.$id, { ...doc, userSeq: seq });
            }
        };
        load(this.sessions, snapshot.sessions);
        load(this.tokens, snapshot.tokens);
        load(this.identities, snapshot.identities);
        load(this.memberships, snapshot.memberships);
        load(this.authenticators, snapshot.authenticators);
        for (const log of snapshot.logs ?? []) {
            this.logs.push({ ...log, actorSeq: log.userId === "" ? null : (seqOf(log.userId) ?? log.actorSeq ?? null) });
        }
    }
}
