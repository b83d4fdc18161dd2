import { createHmac, randomBytes } from "node:crypto";

/**
 * TOTP as Appwrite's otphp library does it (RFC 6238 with its defaults): HMAC-SHA1, 6 digits, 30-second
 * periods from the Unix epoch, and a secret of 64 random bytes written in unpadded upper-case base32.
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const TOTP_PERIOD_SECONDS = 30;

function base32Encode(bytes: Buffer): string {
    let bits = 0;
    let value = 0;
    let out = "";
    for (const byte of bytes) {
        value = (value << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += ALPHABET[(value >>> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
    return out;
}

function base32Decode(text: string): Buffer {
    let bits = 0;
    let value = 0;
    const out: number[] = [];
    for (const char of text.replace(/=+$/, "").toUpperCase()) {
        const index = ALPHABET.indexOf(char);
        if (index < 0) throw new Error(`not base32: "${char}"`);
        value = (value << 5) | index;
        bits += 5;
        if (bits >= 8) {
            out.push((value >>> (bits - 8)) & 255);
            bits -= 8;
        }
    }
    return Buffer.from(out);
}

/** otphp's `generateSecret`: 64 random bytes, base32 without padding (103 characters). */
export const newTotpSecret = (): string => base32Encode(randomBytes(64));

/** The code of the period holding `atMs`, as otphp's `now()`/`at()` computes it. */
export function totpAt(secret: string, atMs: number): string {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS)));
    const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
    const offset = mac[mac.length - 1]! & 0xf;
    const binary = mac.readUInt32BE(offset) & 0x7fffffff;
    return String(binary % 1_000_000).padStart(6, "0");
}

/** otphp's provisioning URI: the issuer-prefixed label, then the issuer and secret as sorted query parameters. */
export function provisioningUri(secret: string, label: string, issuer: string): string {
    const query = `issuer=${encodeURIComponent(issuer)}&secret=${secret}`;
    return `otpauth://totp/${encodeURIComponent(`${issuer}:${label}`)}?${query}`;
}
