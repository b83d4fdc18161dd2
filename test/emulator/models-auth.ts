import type { ClientInfo, IdentityRecord, LogRecord, MembershipRecord, SessionRecord, TokenRecord } from "./side-store";
import type { Json, UserRecord } from "./store";

/** Appwrite's English `locale.country.unknown`, which a local address (no GeoIP record) gets. */
const UNKNOWN_COUNTRY = "Unknown";

/**
 * What the emulator records about a request's client. Appwrite parses the user agent with Matomo's device
 * detector and looks the address up in GeoIP; the emulator does neither, so the device fields are empty, as
 * they are for an agent the detector does not know, and the country is GeoRecord's `--` for an address with
 * no record (a loopback or private one), which a session stores lower-cased (still `--`).
 */
export function clientInfo(ip: string): ClientInfo {
    return {
        ip,
        osCode: "",
        osName: "",
        osVersion: "",
        clientType: "",
        clientCode: "",
        clientName: "",
        clientVersion: "",
        clientEngine: "",
        clientEngineVersion: "",
        deviceName: "",
        deviceBrand: "",
        deviceModel: "",
        countryCode: "--",
    };
}

const deviceFields = (c: ClientInfo): Record<string, Json> => ({
    osCode: c.osCode,
    osName: c.osName,
    osVersion: c.osVersion,
    clientType: c.clientType,
    clientCode: c.clientCode,
    clientName: c.clientName,
    clientVersion: c.clientVersion,
    clientEngine: c.clientEngine,
    clientEngineVersion: c.clientEngineVersion,
    deviceName: c.deviceName,
    deviceBrand: c.deviceBrand,
    deviceModel: c.deviceModel,
});

/**
 * Appwrite's Session model. `secret` is what the document holds: the encoded secret in the create response,
 * the stored SHA-256 hash in a list (API keys see sensitive fields, so the hash is not blanked).
 */
export function sessionModel(s: SessionRecord, secret = s.secret): Record<string, Json> {
    return {
        $id: s.$id,
        $createdAt: s.$createdAt,
        $updatedAt: s.$updatedAt,
        userId: s.userId,
        expire: s.expire,
        provider: s.provider,
        providerUid: s.providerUid,
        providerAccessToken: s.providerAccessToken,
        providerAccessTokenExpiry: s.providerAccessTokenExpiry,
        providerRefreshToken: s.providerRefreshToken,
        ip: s.ip,
        ...deviceFields(s),
        countryCode: s.countryCode,
        countryName: UNKNOWN_COUNTRY,
        current: false,
        factors: s.factors,
        secret,
        mfaUpdatedAt: s.mfaUpdatedAt,
    };
}

/** Appwrite's Token model; the plain secret is only ever in the create response. */
export function tokenModel(t: TokenRecord, secret: string): Record<string, Json> {
    return { $id: t.$id, $createdAt: t.$createdAt, userId: t.userId, secret, expire: t.expire, phrase: "" };
}

export function identityModel(i: IdentityRecord): Record<string, Json> {
    return {
        $id: i.$id,
        $createdAt: i.$createdAt,
        $updatedAt: i.$updatedAt,
        userId: i.userId,
        provider: i.provider,
        providerUid: i.providerUid,
        providerEmail: i.providerEmail,
        providerAccessToken: i.providerAccessToken,
        providerAccessTokenExpiry: i.providerAccessTokenExpiry,
        providerRefreshToken: i.providerRefreshToken,
    };
}

/** The users route fills in the user's current name and email; `userPhone` and `userAccessedAt` stay empty. */
export function membershipModel(m: MembershipRecord, user: UserRecord): Record<string, Json> {
    return {
        $id: m.$id,
        $createdAt: m.$createdAt,
        $updatedAt: m.$updatedAt,
        userId: m.userId,
        userName: user.name ?? "",
        userEmail: user.email ?? "",
        userPhone: "",
        teamId: m.teamId,
        teamName: m.teamName,
        invited: m.invited,
        joined: m.joined,
        confirm: m.confirm,
        mfa: m.mfa,
        userAccessedAt: "",
        roles: m.roles,
    };
}

/** Appwrite's Log model as the logs route builds it: no GeoIP record gives country `--`. */
export function logModel(l: LogRecord): Record<string, Json> {
    return {
        event: l.event,
        userId: l.userId,
        userEmail: l.userEmail,
        userName: l.userName,
        mode: l.mode,
        userType: l.userType,
        ip: l.ip,
        time: l.time,
        ...deviceFields(l),
        countryCode: "--",
        countryName: UNKNOWN_COUNTRY,
    };
}
