import { createHmac } from "crypto";
import { describe, expect, it } from "vitest";
import { seededUserPassword } from "../../sdk/seed-password";

const secret = "s3cret-for-staging-seeds-0123456789";

describe("seeded user passwords", () => {
    it("are the same for the same secret and user ID on every call", () => {
        expect(seededUserPassword(secret, "alice")).toBe(seededUserPassword(secret, "alice"));
    });

    it("are pinned, so a package upgrade never changes the passwords CI logs in with", () => {
        expect(seededUserPassword(secret, "alice")).toBe("Sd1!wL5JakRNoERzJUQqn-T0j-BP0PYD48IMPIrtOf-GJGQ");
    });

    it("follow the documented format, so CI in any language can derive them", () => {
        const digest = createHmac("sha256", secret).update("pulumi-appwrite-users/seed-password/v1:bob").digest("base64url");
        expect(seededUserPassword(secret, "bob")).toBe(`Sd1!${digest}`);
    });

    it("differ between users and between secrets", () => {
        const passwords = new Set([
            seededUserPassword(secret, "alice"),
            seededUserPassword(secret, "bob"),
            seededUserPassword(`${secret}!`, "alice"),
            seededUserPassword(`${secret}!`, "bob"),
        ]);
        expect(passwords.size).toBe(4);
    });

    it("meet Appwrite's length rule and every character class a project policy can require", () => {
        for (const id of ["alice", "a", "s", "1", "user-0042", "x".repeat(36)]) {
            const password = seededUserPassword(secret, id);
            expect(Buffer.byteLength(password)).toBeGreaterThanOrEqual(8);
            expect(Buffer.byteLength(password)).toBeLessThanOrEqual(256);
            expect(password).toMatch(/[A-Z]/);
            expect(password).toMatch(/[a-z]/);
            expect(password).toMatch(/\d/);
            expect(password).toMatch(/[^\p{L}\p{N}\s]/u);
        }
    });

    it("never contain the user ID, which Appwrite's personal-data check refuses", () => {
        for (const id of ["s", "d", "1", "S", "a", "Sd", "sd1"]) {
            expect(seededUserPassword(secret, id).toLowerCase()).not.toContain(id.toLowerCase());
        }
    });

    it("refuse a secret too short to keep them unguessable", () => {
        expect(() => seededUserPassword("short", "alice")).toThrow(
            "passwordSecret must be at least 16 characters long (got 5); use a random stack secret, e.g. `pulumi config set --secret seedPasswordSecret $(openssl rand -base64 32)`",
        );
    });
});
