import { describe, expect, it } from "vitest";
import { PassphraseCrypter } from "./secrets";

// A passphrase secrets-manager state written by Pulumi itself (its diy backend tests use it with "abc123").
const PULUMI_STATE = "v1:4iF78gb0nF0=:v1:Co6IbTWYs/UdrjgY:FSrAWOFZnj9ealCUDdJL7LrUKXX9BA==";

describe("the passphrase secrets manager's scheme", () => {
    it("opens a state Pulumi wrote, with Pulumi's passphrase, and refuses another passphrase", () => {
        const crypter = PassphraseCrypter.fromState("abc123", PULUMI_STATE);
        expect(crypter.decrypt(crypter.encrypt('"s3cret"'))).toBe('"s3cret"');
        expect(() => PassphraseCrypter.fromState("not-it", PULUMI_STATE)).toThrow(/incorrect passphrase/);
    });

    it("writes values as v1:<nonce>:<ciphertext> with a fresh nonce each time", () => {
        const crypter = PassphraseCrypter.create("");
        const a = crypter.encrypt("same");
        const b = crypter.encrypt("same");
        expect(a).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
        expect(a).not.toBe(b);
        expect(PassphraseCrypter.fromState("", crypter.state).decrypt(a)).toBe("same");
    });
});
