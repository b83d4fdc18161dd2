import { createHmac } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { seededUserPassword } from "../../sdk/seed-password";

/** The test vectors of "Seeded users' passwords" in docs/guides/seed-files.md, read from the page itself. */
function readmeVectors(): { secret: string; userId: string; round: number; password: string }[] {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "guides", "seed-files.md"), "utf8");
    const table = readme.split("<!-- seed-password-vectors -->")[1]?.split("<!-- /seed-password-vectors -->")[0] ?? "";
    return [...table.matchAll(/^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|\s*`([^`]+)`\s*\|$/gm)].map((m) => ({
        secret: m[1] ?? "",
        userId: m[2] ?? "",
        round: Number(m[3]),
        password: m[4] ?? "",
    }));
}

/** The page's algorithm, step by step, written apart from the code so the two check each other. */
function documentedPassword(secret: string, userId: string): { round: number; password: string } {
    const context = "pulumi-appwrite-users/seed-password/v1";
    const prefixes = ["Sd1!", "Kw7#", "Qm4%", "Zx8@"];
    const candidate = (round: number) => {
        const message = round === 0 ? `${context}:${userId}` : `${context}:${userId}:${round}`;
        return `${prefixes[round % 4]}${createHmac("sha256", Buffer.from(secret, "utf8")).update(message, "utf8").digest("base64url")}`;
    };
    for (let round = 0; round < 256; round++) {
        if (!candidate(round).toLowerCase().includes(userId.toLowerCase())) return { round, password: candidate(round) };
    }
    return { round: 0, password: candidate(0) };
}

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

    it("match the documented test vectors, which cover every prefix and a later round of each", () => {
        const vectors = readmeVectors();
        expect(new Set(vectors.map((v) => v.round % 4))).toEqual(new Set([0, 1, 2, 3]));
        expect(vectors.some((v) => v.round >= 4)).toBe(true);
        for (const vector of vectors) {
            expect(seededUserPassword(vector.secret, vector.userId), `${vector.userId} with ${vector.secret}`).toBe(vector.password);
            expect(documentedPassword(vector.secret, vector.userId)).toEqual({ round: vector.round, password: vector.password });
        }
    });

    it("are what the documented algorithm gives for every one- and two-character ID", () => {
        const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        const ids = [...chars, ...[...chars].flatMap((a) => [...chars.slice(0, 8)].map((b) => `${a}${b}`))];
        for (const id of ids) expect(seededUserPassword(secret, id)).toBe(documentedPassword(secret, id).password);
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

    it("name the missing secret when none is given", () => {
        const unset = process.env.PULUMI_APPWRITE_USERS_UNSET_VARIABLE as string;
        expect(() => seededUserPassword(unset, "alice")).toThrow(
            "seededUserPassword: the password secret is missing (got undefined); pass the secret the SeededUsers component derives passwords from (its passwordSecret, e.g. the seedPasswordSecret stack secret)",
        );
        expect(() => seededUserPassword("", "alice")).toThrow("the password secret is missing (got an empty string)");
    });

    it("refuse a secret too short to keep them unguessable", () => {
        expect(() => seededUserPassword("short", "alice")).toThrow(
            "passwordSecret must be at least 16 characters long (got 5); use a random stack secret, e.g. `pulumi config set --secret seedPasswordSecret $(openssl rand -base64 32)`",
        );
    });
});
