/**
 * TOTP codes (RFC 6238) with Appwrite's parameters: HMAC-SHA1, 6 digits, 30-second periods from the Unix
 * epoch, the secret in base32. Appwrite accepts only the code of the current period.
 */
import { createHmac } from "crypto";

export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ALGORITHM = "SHA1";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32Bytes(secret: string): Buffer {
    const bytes: number[] = [];
    let value = 0;
    let bits = 0;
    for (const char of secret.replace(/[\s=]/g, "").toUpperCase()) {
        const index = BASE32.indexOf(char);
        if (index === -1) throw new Error(`the TOTP secret is not base32: it has "${char}"`);
        value = (value << 5) | index;
        bits += 5;
        if (bits >= 8) {
            bytes.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return Buffer.from(bytes);
}

/** The code of the period that holds `atMs` (milliseconds since the epoch). */
export function totpCode(secret: string, atMs: number = Date.now()): string {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS)));
    const mac = createHmac("sha1", base32Bytes(secret)).update(counter).digest();
    const offset = (mac[mac.length - 1] as number) & 0x0f;
    return String((mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, "0");
}

/** Milliseconds left in the period that holds `atMs`. */
export const msLeftInPeriod = (atMs: number): number => TOTP_PERIOD_SECONDS * 1000 - (atMs % (TOTP_PERIOD_SECONDS * 1000));
