/** User's inputs, to Appwrite's rules for each field and for pre-hashed passwords. */
import { z } from "zod";
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import type { CrossCheck } from "../../validation/check";
import { appwriteId, byteLength, email, flag, password, phone, text, userName } from "../../validation/rules";
import { projectInput } from "../../parts/project";

const hashText = text("the hash as stored by the old system, 8 to 256 bytes").refine((v) => byteLength(v) >= 8 && byteLength(v) <= 256, {
    error: "must be the hash as stored by the old system, 8 to 256 bytes",
});
const saltText = (what: string) =>
    text(`${what}: 1 to 128 characters`).refine((v) => v.length >= 1 && v.length <= 128 && v !== "0", {
        error: `must be ${what}: 1 to 128 characters, not "0"`,
    });
const base64Text = (what: string) =>
    text(`${what}: base64, 1 to 128 characters`).refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length <= 128 && v !== "0", {
        error: `must be ${what}: base64 (A-Z a-z 0-9 + / and = padding), at most 128 characters, not "0"`,
    });
const integer = (rule: string, ok: (n: number) => boolean) =>
    z.number({ error: `must be a number: ${rule}` }).refine((n) => Number.isInteger(n) && ok(n), { error: `must be ${rule}` });

/** SHA variants Appwrite both accepts and can verify (sha512/224 and sha512/256 pass its check, then fail). */
const SHA_VERSIONS = ["sha1", "sha224", "sha256", "sha384", "sha512", "sha3-224", "sha3-256", "sha3-384", "sha3-512"] as const;
const HASH_ALGORITHMS = ["argon2", "bcrypt", "md5", "phpass", "scrypt", "scryptModified", "sha"] as const;

const plainHash = <A extends string>(algorithm: A) => z.object({ algorithm: z.literal(algorithm), hash: hashText });

const passwordHashSchema = z.discriminatedUnion(
    "algorithm",
    [
        plainHash("argon2"),
        plainHash("bcrypt"),
        plainHash("md5"),
        plainHash("phpass"),
        z.object({
            algorithm: z.literal("sha"),
            hash: hashText,
            passwordVersion: z.enum(SHA_VERSIONS, { error: `must be one of ${SHA_VERSIONS.join(", ")}` }).optional(),
        }),
        z.object({
            algorithm: z.literal("scrypt"),
            hash: hashText,
            passwordSalt: saltText("the salt"),
            passwordCpu: integer("a power of 2 greater than 1 (CPU/memory cost N)", (n) => n > 1 && (n & (n - 1)) === 0),
            passwordMemory: integer("an integer of at least 1 (block size r)", (n) => n >= 1),
            passwordParallel: integer("an integer of at least 1 (parallelization p)", (n) => n >= 1),
            passwordLength: integer("an integer of at least 16 (key length in bytes)", (n) => n >= 16),
        }),
        z.object({
            algorithm: z.literal("scryptModified"),
            hash: hashText,
            passwordSalt: base64Text("the salt"),
            passwordSaltSeparator: base64Text("the salt separator"),
            passwordSignerKey: base64Text("the signer key"),
        }),
    ],
    { error: `must have an algorithm of ${HASH_ALGORITHMS.join(", ")}, with that algorithm's options` },
);

export type PasswordHash = z.infer<typeof passwordHashSchema>;

export const userSchema = z.object({
    userId: appwriteId,
    email: email.optional(),
    phone: phone.optional(),
    name: userName.optional(),
    password: password.optional(),
    passwordHash: passwordHashSchema.optional(),
    emailVerification: flag("whether the email is verified").optional(),
    phoneVerification: flag("whether the phone is verified").optional(),
    mfa: flag("whether multi-factor authentication is on").optional(),
    impersonator: flag("whether the user may impersonate other users").optional(),
    adopt: flag("whether to take over an existing user with this ID").optional(),
    project: projectInput,
});

export type UserInputs = z.infer<typeof userSchema>;

export const userCrossCheck: CrossCheck<UserInputs> = (news) => {
    const failures: CheckFailure[] = [];
    if (news.password !== undefined && news.passwordHash !== undefined) {
        failures.push({ property: "passwordHash", reason: "cannot be set together with password: declare one of them" });
    }
    if (news.passwordHash !== undefined && news.email === undefined) {
        failures.push({
            property: "email",
            reason: "is required with passwordHash: Appwrite imports pre-hashed passwords only for users with an email",
        });
    }
    return failures;
};
