import { Query } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { expectError, rawCall, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();
const INVALID = "general_argument_invalid";
const CUSTOM_ID =
    "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";
const UID = "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore";
const PHONE = "Phone number must start with a '+' can have a maximum of fifteen digits.";
const cast = <T>(v: unknown): T => v as T;

describe("param validation answers 400 general_argument_invalid with Appwrite's messages", () => {
    it("rejects explicit empty strings on create: name, email, phone and password", async () => {
        const userId = uniqueId();
        await expectError(
            h.users.create({ userId, name: "" }),
            400,
            INVALID,
            "Invalid `name` param: Value must be a valid string and at least 1 chars and no longer than 128 chars",
        );
        await expectError(
            h.users.create({ userId, email: "" }),
            400,
            INVALID,
            "Invalid `email` param: Value must be a valid email address or null",
        );
        await expectError(h.users.create({ userId, phone: "" }), 400, INVALID, `Invalid \`phone\` param: ${PHONE} or null`);
        await expectError(
            h.users.create({ userId, password: "" }),
            400,
            INVALID,
            "Invalid `password` param: Password must be between 8 and 256 characters long.",
        );
    });

    it("accepts null for optional params and creates the user without them", async () => {
        const userId = uniqueId();
        const user = await rawCall(h, "POST", "/users", { userId, email: null, phone: null });
        expect(user).toMatchObject({ $id: userId, email: "", phone: "", targets: [] });
    });

    it("lets updateName clear the name with an empty string and ignores unknown extra params", async () => {
        const userId = uniqueId();
        await rawCall(h, "POST", "/users", { userId, name: "Named", unknownExtra: true });
        expect((await h.users.updateName({ userId, name: "" })).name).toBe("");
    });

    it("takes only JSON integers in the signed 32-bit range for scrypt costs", async () => {
        const params = {
            userId: uniqueId(),
            email: `${uniqueId()}@example.org`,
            password: "stored-hash",
            passwordSalt: "salt",
            passwordCpu: 16384,
            passwordMemory: 8,
            passwordParallel: 1,
            passwordLength: 64,
        };
        const description = "Value must be a valid signed 32-bit integer between -2,147,483,648 and 2,147,483,647";
        await expectError(
            rawCall(h, "POST", "/users/scrypt", { ...params, passwordCpu: "16384" }),
            400,
            INVALID,
            `Invalid \`passwordCpu\` param: ${description}`,
        );
        await expectError(
            rawCall(h, "POST", "/users/scrypt", { ...params, passwordLength: 2 ** 31 }),
            400,
            INVALID,
            `Invalid \`passwordLength\` param: ${description}`,
        );
        await expectError(
            rawCall(h, "POST", "/users/scrypt", { ...params, passwordMemory: undefined }),
            400,
            INVALID,
            'Param "passwordMemory" is not optional.',
        );
    });

    it("says a missing required param is not optional", async () => {
        await expectError(rawCall(h, "POST", "/users", {}), 400, INVALID, 'Param "userId" is not optional.');
        const userId = uniqueId();
        await h.users.create({ userId });
        await expectError(rawCall(h, "PUT", `/users/${userId}/labels`, {}), 400, INVALID, 'Param "labels" is not optional.');
        await expectError(rawCall(h, "PATCH", `/users/${userId}/prefs`, {}), 400, INVALID, 'Param "prefs" is not optional.');
        await expectError(
            rawCall(h, "PATCH", `/users/${userId}/phone`, { phone: "+14155550100" }),
            400,
            INVALID,
            'Param "number" is not optional.',
        );
    });

    it("validates IDs: Key rules up to 36 characters, or unique() for a server-made 20-hex ID", async () => {
        const max = `a${"b".repeat(35)}`;
        expect((await h.users.create({ userId: max })).$id).toBe(max);
        expect((await h.users.create({ userId: "a.b-c_d" })).$id).toBe("a.b-c_d");
        for (const bad of [`${max}c`, "_lead", ".lead", "-lead", "has space", "ümlaut"]) {
            await expectError(h.users.create({ userId: bad }), 400, INVALID, `Invalid \`userId\` param: ${CUSTOM_ID}`);
        }
        expect((await h.users.create({ userId: "unique()" })).$id).toMatch(/^[0-9a-f]{20}$/);
    });

    it("validates path IDs before looking the user up, with the UID description", async () => {
        await expectError(h.users.get({ userId: "_bad" }), 400, INVALID, `Invalid \`userId\` param: ${UID}`);
        await expectError(h.users.get({ userId: "no-such-user" }), 404, "user_not_found");
    });

    it("checks emails like PHP's FILTER_VALIDATE_EMAIL: dotted ASCII domains only", async () => {
        for (const bad of ["user@localhost", "no-at.example.org", "a@@b.org", "ü@example.org", "a@b.1c", "a b@example.org"]) {
            await expectError(
                h.users.create({ userId: uniqueId(), email: bad }),
                400,
                INVALID,
                "Invalid `email` param: Value must be a valid email address or null",
            );
        }
        const ok = await h.users.create({ userId: uniqueId(), email: "first.last+tag@sub.example.co.uk" });
        expect(ok.email).toBe("first.last+tag@sub.example.co.uk");
    });

    it("checks phones: + and 7 to 15 digits, and a known calling code", async () => {
        for (const good of ["+1415555", "+919367788755111", "+16175551201", "+447700900123"]) {
            expect((await h.users.create({ userId: uniqueId(), phone: good })).phone).toBe(good);
        }
        for (const bad of [
            "+141555",
            "+1234567890123456",
            "14155550100",
            "+1 415 555",
            "+1-415-5550",
            "+92300123456",
            "+8020000000",
            "+0123456789",
        ]) {
            await expectError(
                h.users.create({ userId: uniqueId(), phone: bad }),
                400,
                INVALID,
                `Invalid \`phone\` param: ${PHONE} or null`,
            );
        }
    });

    it("checks plaintext passwords are 8 to 256 bytes", async () => {
        await expectError(h.users.create({ userId: uniqueId(), password: "seven77" }), 400, INVALID);
        await expectError(h.users.create({ userId: uniqueId(), password: "x".repeat(257) }), 400, INVALID);
        // Multi-byte characters count by byte: four 2-byte characters are 8 bytes.
        expect((await h.users.create({ userId: uniqueId(), password: "éééé" })).password).toMatch(/^\$argon2id\$/);
        expect((await h.users.create({ userId: uniqueId(), password: "x".repeat(256) })).password).toMatch(/^\$argon2id\$/);
    });

    it("counts name length in characters, up to 128", async () => {
        expect((await h.users.create({ userId: uniqueId(), name: "é".repeat(128) })).name).toHaveLength(128);
        await expectError(h.users.create({ userId: uniqueId(), name: "n".repeat(129) }), 400, INVALID);
    });

    it("takes only JSON booleans for verification and MFA, but loose booleans for status", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        for (const [field, path] of [
            ["emailVerification", "verification"],
            ["phoneVerification", "verification/phone"],
            ["mfa", "mfa"],
        ] as const) {
            await expectError(
                rawCall(h, "PATCH", `/users/${userId}/${path}`, { [field]: "true" }),
                400,
                INVALID,
                `Invalid \`${field}\` param: Value must be a valid boolean`,
            );
            await expectError(rawCall(h, "PATCH", `/users/${userId}/${path}`, { [field]: 1 }), 400, INVALID);
        }
        expect((await h.users.updateStatus({ userId, status: cast<boolean>("false") })).status).toBe(false);
        expect((await h.users.updateStatus({ userId, status: cast<boolean>(1) })).status).toBe(true);
        expect((await h.users.updateStatus({ userId, status: cast<boolean>("0") })).status).toBe(false);
        await expectError(
            h.users.updateStatus({ userId, status: cast<boolean>("yes") }),
            400,
            INVALID,
            "Invalid `status` param: Value must be a valid boolean",
        );
    });

    it("rejects labels that are not 1 to 36 ASCII letters or digits, or more than 1000 of them", async () => {
        const userId = uniqueId();
        await h.users.create({ userId });
        const description =
            "Value must a valid array no longer than 1000 items and Value must be a valid string and at least 1 chars and no longer than 36 chars and only consist of '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W, X, Y, Z, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z' chars";
        for (const bad of [["invalid-label"], [""], ["x".repeat(37)], ["café"]]) {
            await expectError(h.users.updateLabels({ userId, labels: bad }), 400, INVALID, `Invalid \`labels\` param: ${description}`);
        }
        await expectError(h.users.updateLabels({ userId, labels: Array.from({ length: 1001 }, (_, i) => `l${i}`) }), 400, INVALID);
        expect((await h.users.updateLabels({ userId, labels: Array.from({ length: 1000 }, (_, i) => `l${i}`) })).labels).toHaveLength(1000);
    });

    it("rejects an empty search term and an empty target name", async () => {
        await expectError(
            h.users.list({ search: "" }),
            400,
            INVALID,
            "Invalid `search` param: Value must be a valid string and at least 1 chars and no longer than 256 chars",
        );
        const userId = uniqueId();
        await h.users.create({ userId });
        await expectError(
            h.users.createTarget({ userId, targetId: "t1", providerType: cast("push"), identifier: "tok", name: "" }),
            400,
            INVALID,
            "Invalid `name` param: Value must be a valid string and at least 1 chars and no longer than 128 chars",
        );
    });

    it("rejects select queries and attributes the Users validator does not know", async () => {
        await expectError(
            h.users.list({ queries: [Query.select(["name"])] }),
            400,
            INVALID,
            "Invalid `queries` param: Invalid query method: select",
        );
        await expectError(
            h.users.list({ queries: [Query.equal("password", "x")] }),
            400,
            INVALID,
            "Invalid `queries` param: Invalid query: Attribute not found in schema: password",
        );
        await expectError(
            h.users.list({ queries: [Query.equal("labels", "vip")] }),
            400,
            INVALID,
            'Invalid `queries` param: Invalid query: Cannot query equal on attribute "labels" because it is an array.',
        );
        await expectError(
            h.users.list({ queries: ["{not json"] }),
            400,
            INVALID,
            "Invalid `queries` param: Invalid query: Invalid query: Syntax error",
        );
        await expectError(h.users.list({ queries: [Query.limit(0)] }), 400, INVALID);
    });
});
