import { createHmac } from "crypto";

/**
 * Fixed characters in front of the digest guarantee an upper-case letter, a lower-case letter, a digit
 * and a symbol, so the password passes every character-class rule an Appwrite project can switch on.
 * Later rounds use other prefixes so a one-letter user ID can still be kept out of the password.
 */
const PREFIXES = ["Sd1!", "Kw7#", "Qm4%", "Zx8@"] as const;
const MAX_ROUNDS = 256;
const CONTEXT = "pulumi-appwrite-users/seed-password/v1";

/** The shortest `passwordSecret` accepted: shorter secrets make the derived passwords guessable. */
const MIN_PASSWORD_SECRET_LENGTH = 16;

/**
 * The password of a seeded user: four fixed characters (`Sd1!` in nearly every case) followed by the
 * base64url HMAC-SHA256 of the user ID keyed with `secret` (47 ASCII characters). The same secret and ID
 * always give the same password, so CI can log in as any seeded user with only the secret; a different ID
 * or secret gives an unrelated password.
 * Appwrite's personal-data check refuses passwords that contain the user ID, so the rare digest that
 * contains it is skipped in favour of the next one, which keeps the result deterministic.
 *
 * @example
 * ```ts
 * const password = seededUserPassword(process.env.SEED_PASSWORD_SECRET ?? "", "staging-user-01");
 * ```
 */
export function seededUserPassword(secret: string, userId: string): string {
    // Plain JavaScript callers, and TypeScript ones casting `process.env.X`, can pass nothing at all.
    if (typeof secret !== "string" || secret === "") {
        throw new Error(
            `seededUserPassword: the password secret is missing (got ${secret === "" ? "an empty string" : String(secret)}); ` +
                "pass the secret the SeededUsers component derives passwords from (its passwordSecret, e.g. the seedPasswordSecret stack secret)",
        );
    }
    if (secret.length < MIN_PASSWORD_SECRET_LENGTH) {
        throw new Error(
            `passwordSecret must be at least ${MIN_PASSWORD_SECRET_LENGTH} characters long (got ${secret.length}); ` +
                "use a random stack secret, e.g. `pulumi config set --secret seedPasswordSecret $(openssl rand -base64 32)`",
        );
    }
    if (userId.length === 0) throw new Error("a seeded user's ID must not be empty");
    const candidate = (round: number) =>
        `${PREFIXES[round % PREFIXES.length]}${createHmac("sha256", secret)
            .update(round === 0 ? `${CONTEXT}:${userId}` : `${CONTEXT}:${userId}:${round}`)
            .digest("base64url")}`;
    for (let round = 0; round < MAX_ROUNDS; round++) {
        const password = candidate(round);
        if (!password.toLowerCase().includes(userId.toLowerCase())) return password;
    }
    return candidate(0);
}
