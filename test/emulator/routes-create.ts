import { type Handler, type RouteContext, newTarget, source } from "./context";
import { serverError, userAlreadyExists } from "./errors";
import {
    BASE64_PATTERN,
    type HashOptions,
    SHA_LIBRARY_VERSIONS,
    SHA_VERSIONS,
    argon2Defaults,
    hashPlaintext,
    phpassRandomState,
} from "./hashing";
import { targetModel, userModel } from "./models";
import { type Json, formatDate, generateId, newUserRecord } from "./store";
import {
    type ParamSpec,
    customId,
    email,
    hashedPassword,
    integer,
    nullable,
    passwordFormat,
    phone,
    readParams,
    text,
    whiteList,
} from "./validators";

interface NewUser {
    userId: string;
    email: string | null;
    phone: string | null;
    name: string;
    password: string | null;
    hash: string;
    hashOptions: HashOptions;
}

/** Appwrite's shared createUser(): lower-cased email, unique clash as one 409, auto email and sms targets. */
function createUser(ctx: RouteContext, input: NewUser): { status: number; body: Json } {
    const now = formatDate(ctx.nowMs);
    const user = newUserRecord(
        {
            $id: input.userId === "unique()" ? generateId(ctx.nowMs) : input.userId,
            seq: 0,
            name: input.name,
            password: input.password,
            hash: input.hash,
            hashOptions: input.hashOptions,
            passwordUpdate: input.password === null ? null : now,
            email: input.email === null ? null : input.email.toLowerCase(),
            phone: input.phone,
        },
        now,
    );
    if (ctx.store.clashes(user)) throw userAlreadyExists();
    user.seq = ctx.store.nextSeq();
    ctx.store.insertUser(user);
    // A target identifier already taken (by any user) is swallowed: the response then lists that other target.
    const targets: Array<Record<string, Json>> = [];
    for (const [providerType, identifier] of [
        ["email", user.email],
        ["sms", user.phone],
    ] as const) {
        if (identifier === null) continue;
        const existing = ctx.store.targetByIdentifier(identifier);
        targets.push(targetModel(existing ?? newTarget(ctx, user, { providerType, identifier })));
    }
    return { status: 201, body: userModel(ctx.store, user, targets) };
}

export const createPlain: Handler = (ctx) => {
    const p = readParams(source(ctx), [
        { name: "userId", validator: customId },
        { name: "email", validator: nullable(email()), optional: true, default: null },
        { name: "phone", validator: nullable(phone()), optional: true, default: null },
        { name: "password", validator: passwordFormat(), optional: true, default: "" },
        { name: "name", validator: text(128), optional: true, default: "" },
    ]);
    const password = typeof p.password === "string" && p.password !== "" ? p.password : null;
    return createUser(ctx, {
        userId: p.userId as string,
        email: (p.email as string | null) ?? null,
        phone: (p.phone as string | null) ?? null,
        name: (p.name as string | null) ?? "",
        password: password === null ? null : hashPlaintext(password),
        hash: "argon2",
        hashOptions: argon2Defaults(),
    });
};

/** The params every pre-hashed create shares, with the algorithm's own params before `name`. */
function readHashed(ctx: RouteContext, extra: ParamSpec[]): Record<string, unknown> {
    return readParams(source(ctx), [
        { name: "userId", validator: customId },
        { name: "email", validator: email() },
        { name: "password", validator: hashedPassword },
        ...extra,
        { name: "name", validator: text(128), optional: true, default: "" },
    ]);
}

function createHashed(ctx: RouteContext, p: Record<string, unknown>, hash: string, hashOptions: HashOptions) {
    return createUser(ctx, {
        userId: p.userId as string,
        email: p.email as string,
        phone: null,
        name: (p.name as string | null) ?? "",
        password: p.password as string,
        hash,
        hashOptions,
    });
}

export const createArgon2: Handler = (ctx) => createHashed(ctx, readHashed(ctx, []), "argon2", argon2Defaults());

export const createBcrypt: Handler = (ctx) => createHashed(ctx, readHashed(ctx, []), "bcrypt", { type: "bcrypt", cost: 8 });

export const createMd5: Handler = (ctx) => createHashed(ctx, readHashed(ctx, []), "md5", { type: "md5" });

export const createPhpass: Handler = (ctx) =>
    createHashed(ctx, readHashed(ctx, []), "phpass", {
        type: "phpass",
        iteration_count_log2: 8,
        portable_hashes: false,
        random_state: phpassRandomState(ctx.nowMs),
    });

export const createSha: Handler = (ctx) => {
    const p = readHashed(ctx, [{ name: "passwordVersion", validator: whiteList(SHA_VERSIONS), optional: true, default: "" }]);
    const version = (p.passwordVersion as string | null) || "sha256";
    if (!SHA_LIBRARY_VERSIONS.has(version)) throw serverError();
    return createHashed(ctx, p, "sha", { version });
};

export const createScrypt: Handler = (ctx) => {
    const p = readHashed(ctx, [
        { name: "passwordSalt", validator: text(128) },
        { name: "passwordCpu", validator: integer },
        { name: "passwordMemory", validator: integer },
        { name: "passwordParallel", validator: integer },
        { name: "passwordLength", validator: integer },
    ]);
    const cpu = p.passwordCpu as number;
    const valid =
        cpu > 1 &&
        (cpu & (cpu - 1)) === 0 &&
        (p.passwordMemory as number) >= 1 &&
        (p.passwordParallel as number) >= 1 &&
        (p.passwordLength as number) >= 16 &&
        p.passwordSalt !== "0";
    if (!valid) throw serverError();
    return createHashed(ctx, p, "scrypt", {
        type: "scrypt",
        costCpu: cpu,
        costMemory: p.passwordMemory as number,
        costParallel: p.passwordParallel as number,
        length: p.passwordLength as number,
        salt: p.passwordSalt as string,
    });
};

export const createScryptModified: Handler = (ctx) => {
    const p = readHashed(ctx, [
        { name: "passwordSalt", validator: text(128) },
        { name: "passwordSaltSeparator", validator: text(128) },
        { name: "passwordSignerKey", validator: text(128) },
    ]);
    const salt = p.passwordSalt as string;
    const separator = p.passwordSaltSeparator as string;
    const signerKey = p.passwordSignerKey as string;
    const valid = [salt, separator, signerKey].every((s) => BASE64_PATTERN.test(s)) && salt !== "0" && signerKey !== "0";
    if (!valid) throw serverError();
    return createHashed(ctx, p, "scryptMod", { type: "scryptMod", salt, saltSeparator: separator, signerKey });
};
