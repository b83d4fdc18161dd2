import { randomBytes, scryptSync } from "node:crypto";

export type HashOptions = Record<string, string | number | boolean>;

/** Argon2 library defaults, with the raw snake_case keys Appwrite stores and returns. */
export const argon2Defaults = (): HashOptions => ({ type: "argon2", memory_cost: 65536, time_cost: 4, threads: 3 });

const b64 = (b: Buffer): string => b.toString("base64").replace(/=+$/, "");

/**
 * Hashes a plaintext password into an `$argon2id$…` string. The digest is a cheap scrypt, not argon2, so the
 * emulator stays fast; only the shape matters to clients, and the plaintext is never kept.
 */
export function hashPlaintext(password: string): string {
    const salt = randomBytes(16);
    const digest = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
    return `$argon2id$v=19$m=65536,t=4,p=3$${b64(salt)}$${b64(digest)}`;
}

/** Whether `password` is the plaintext `hashPlaintext` turned into `hash`, so tests can check which password a user got. */
export function plaintextMatches(hash: string, password: string): boolean {
    const [salt, digest] = hash.split("$").slice(-2);
    if (salt === undefined || digest === undefined) return false;
    return b64(scryptSync(password, Buffer.from(salt, "base64"), 32, { N: 1024, r: 8, p: 1 })) === digest;
}

/** phpass's random_state is PHP's `microtime() . getmypid()`. */
export function phpassRandomState(nowMs: number): string {
    const seconds = Math.floor(nowMs / 1000);
    const fraction = ((nowMs % 1000) / 1000).toFixed(8);
    return `${fraction} ${seconds}${process.pid}`;
}

export const SHA_VERSIONS = [
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512/224",
    "sha512/256",
    "sha512",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
];

/** The versions the hash library itself knows; the two sha512/t variants pass validation, then fail with 500. */
export const SHA_LIBRARY_VERSIONS = new Set([
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
]);

export const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
