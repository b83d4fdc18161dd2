import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectError, uniqueId, useEmulator } from "./helpers";

const h = useEmulator();

async function newUser(): Promise<string> {
    const userId = uniqueId();
    await h.users.create({ userId });
    return userId;
}

/** Splits a JWT, checks its HS256 signature with the emulator's key and returns header and claims. */
function decodeVerified(jwt: string): { header: unknown; claims: Record<string, unknown> } {
    const [header, payload, signature] = jwt.split(".") as [string, string, string];
    const expected = createHmac("sha256", h.emu.jwtSecret).update(`${header}.${payload}`).digest("base64url");
    expect(signature).toBe(expected);
    const json = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return { header: json(header), claims: json(payload) as Record<string, unknown> };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe("JWTs", () => {
    it("signs HS256 with the claims userId, sessionId and exp, expiring after 900 seconds by default", async () => {
        const userId = await newUser();
        const session = await h.users.createSession({ userId });
        const before = nowSeconds();
        const { jwt } = await h.users.createJWT({ userId });
        const after = nowSeconds();
        const { header, claims } = decodeVerified(jwt);
        expect(header).toEqual({ typ: "JWT", alg: "HS256" });
        expect(Object.keys(claims)).toEqual(["userId", "sessionId", "exp"]);
        expect(claims.userId).toBe(userId);
        expect(claims.sessionId).toBe(session.$id);
        expect(claims.exp).toBeGreaterThanOrEqual(before + 900);
        expect(claims.exp).toBeLessThanOrEqual(after + 900);
    });

    it("names the most recent session for `recent`, the given one when it is the user's, and none otherwise", async () => {
        const userId = await newUser();
        const first = await h.users.createSession({ userId });
        const latest = await h.users.createSession({ userId });
        const other = await h.users.createSession({ userId: await newUser() });
        const claimsFor = async (sessionId?: string) => decodeVerified((await h.users.createJWT({ userId, sessionId })).jwt).claims;
        expect((await claimsFor("recent")).sessionId).toBe(latest.$id);
        expect((await claimsFor(first.$id)).sessionId).toBe(first.$id);
        expect((await claimsFor(other.$id)).sessionId).toBe("");
        expect((await claimsFor("nosuchsession")).sessionId).toBe("");
        const lonely = await newUser();
        expect(decodeVerified((await h.users.createJWT({ userId: lonely })).jwt).claims.sessionId).toBe("");
    });

    it("takes a duration from 1 to 3600 seconds; the param's 0 passes validation and fails as a 500", async () => {
        const userId = await newUser();
        const before = nowSeconds();
        const longest = decodeVerified((await h.users.createJWT({ userId, duration: 3600 })).jwt).claims;
        expect(longest.exp).toBeGreaterThanOrEqual(before + 3600);
        const shortest = decodeVerified((await h.users.createJWT({ userId, duration: 1 })).jwt).claims;
        expect(shortest.exp).toBeLessThanOrEqual(nowSeconds() + 1);
        await expectError(h.users.createJWT({ userId, duration: 0 }), 500, "general_unknown", "Server Error");
        await expectError(h.users.createJWT({ userId: "nobody", duration: 0 }), 404, "user_not_found");
        await expectError(
            h.users.createJWT({ userId, duration: 3601 }),
            400,
            "general_argument_invalid",
            "Invalid `duration` param: Value must be a valid range between 0 and 3,600",
        );
        await expectError(h.users.createJWT({ userId, duration: -1 }), 400, "general_argument_invalid");
    });

    it("answers 404 for a missing user after checking the params", async () => {
        await expectError(h.users.createJWT({ userId: "nobody" }), 404, "user_not_found");
        await expectError(h.users.createJWT({ userId: "nobody", duration: 5000 }), 400, "general_argument_invalid");
    });
});

describe("tokens", () => {
    it("creates a 6-character hex secret that expires 15 minutes after creation by default", async () => {
        const userId = await newUser();
        const token = await h.users.createToken({ userId });
        expect(token).toMatchObject({ userId, phrase: "" });
        expect(token.secret).toMatch(/^[0-9a-f]{6}$/);
        expect(Date.parse(token.expire) - Date.parse(token.$createdAt)).toBe(900 * 1000);
    });

    it("takes a length from 4 to 128 and an expiry from 60 seconds to a year", async () => {
        const userId = await newUser();
        const long = await h.users.createToken({ userId, length: 128, expire: 31536000 });
        expect(long.secret).toMatch(/^[0-9a-f]{128}$/);
        expect(Date.parse(long.expire) - Date.parse(long.$createdAt)).toBe(31536000 * 1000);
        expect((await h.users.createToken({ userId, length: 15, expire: 60 })).secret).toHaveLength(15);
        await expectError(
            h.users.createToken({ userId, length: 3 }),
            400,
            "general_argument_invalid",
            "Invalid `length` param: Value must be a valid range between 4 and 128",
        );
        await expectError(
            h.users.createToken({ userId, expire: 59 }),
            400,
            "general_argument_invalid",
            "Invalid `expire` param: Value must be a valid range between 60 and 31,536,000",
        );
        await expectError(h.users.createToken({ userId, expire: 999999999999999 }), 400, "general_argument_invalid");
    });

    it("keeps only the secret's hash, and drops the user's tokens with the user", async () => {
        const userId = await newUser();
        const token = await h.users.createToken({ userId });
        const stored = h.emu.store.side.tokens.get(token.$id)!;
        expect(stored.secret).toBe(createHash("sha256").update(token.secret).digest("hex"));
        await h.users.delete({ userId });
        expect(h.emu.store.side.tokens.has(token.$id)).toBe(false);
    });
});
