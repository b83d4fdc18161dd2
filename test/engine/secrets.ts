import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";

/**
 * The passphrase secrets manager's scheme: AES-256-GCM with a 12-byte nonce and a key derived from the passphrase
 * with PBKDF2-SHA256 (1,000,000 rounds, 8-byte salt). A value is stored as `v1:<nonce>:<ciphertext+tag>` (base64),
 * and the manager's state as `v1:<salt>:<the encryption of "pulumi">`, which is how a wrong passphrase is detected.
 */
export class PassphraseCrypter {
    private constructor(
        private readonly key: Buffer,
        /** The value stored as `secrets_providers.state.salt` and as `encryptionsalt` in a stack's config file. */
        readonly state: string,
    ) {}

    private static readonly keys = new Map<string, Buffer>();

    private static deriveKey(passphrase: string, salt: Buffer): Buffer {
        const cacheKey = `${salt.toString("base64")}\u0000${passphrase}`;
        let key = PassphraseCrypter.keys.get(cacheKey);
        if (key === undefined) {
            key = pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256");
            PassphraseCrypter.keys.set(cacheKey, key);
        }
        return key;
    }

    static create(passphrase: string): PassphraseCrypter {
        const salt = randomBytes(8);
        const key = PassphraseCrypter.deriveKey(passphrase, salt);
        const check = encrypt(key, "pulumi");
        return new PassphraseCrypter(key, `v1:${salt.toString("base64")}:${check}`);
    }

    static fromState(passphrase: string, state: string): PassphraseCrypter {
        const [version, salt, ...rest] = state.split(":");
        if (version !== "v1" || salt === undefined) throw new Error(`unsupported passphrase state ${state}`);
        const key = PassphraseCrypter.deriveKey(passphrase, Buffer.from(salt, "base64"));
        const crypter = new PassphraseCrypter(key, state);
        let check: string | undefined;
        try {
            check = crypter.decrypt(rest.join(":"));
        } catch {
            check = undefined;
        }
        if (check !== "pulumi") throw new Error("incorrect passphrase");
        return crypter;
    }

    encrypt(plaintext: string): string {
        return encrypt(this.key, plaintext);
    }

    decrypt(ciphertext: string): string {
        const [version, nonce, sealed] = ciphertext.split(":");
        if (version !== "v1" || nonce === undefined || sealed === undefined) {
            throw new Error("bad value: ciphertext is not v1");
        }
        const data = Buffer.from(sealed, "base64");
        const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(nonce, "base64"));
        decipher.setAuthTag(data.subarray(data.length - 16));
        return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
    }
}

function encrypt(key: Buffer, plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}
