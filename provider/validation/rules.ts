/**
 * Appwrite's own validation rules for the values several resources share (IDs, email addresses, phone
 * numbers, passwords, names, flags), written as zod schemas that word the rule in their errors.
 */
import { z } from "zod";

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/;
export const ID_RULE =
    "1 to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a period, hyphen or underscore";

/** A required string, worded with the rule it must follow. */
export function text(what: string) {
    return z.string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : `must be a string: ${what}`) });
}

/** A user, target or provider ID as Appwrite accepts it (its `Key` rules with the SQL adapter's 36-character limit). */
export const appwriteId = text(ID_RULE).regex(ID_PATTERN, { error: `must be ${ID_RULE}` });

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** What PHP's FILTER_VALIDATE_EMAIL, which Appwrite uses, accepts: ASCII, one @, a dotted domain. */
export function isEmail(value: string): boolean {
    const at = value.indexOf("@");
    if (value.length > 320 || at < 1 || at !== value.lastIndexOf("@")) return false;
    const local = value.slice(0, at);
    const labels = value.slice(at + 1).split(".");
    return (
        local.length <= 64 &&
        LOCAL_PART.test(local) &&
        labels.length >= 2 &&
        labels.every((label) => DOMAIN_LABEL.test(label)) &&
        /^[A-Za-z]/.test(labels[labels.length - 1] ?? "")
    );
}

export const EMAIL_RULE = "a valid email address such as ada@example.org (ASCII, one @, a domain with a dot)";
export const email = text(EMAIL_RULE).refine(isEmail, { error: `must be ${EMAIL_RULE}` });

const CALLING_CODES = new Set(
    (
        "1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 " +
        "86 90 91 94 95 98 212 213 216 218 220 221 222 223 224 226 227 228 229 231 232 233 234 236 237 238 239 240 241 " +
        "242 244 245 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 " +
        "298 299 350 351 352 353 354 356 357 358 359 370 371 372 373 374 375 376 377 378 380 381 385 386 387 389 417 " +
        "420 421 500 501 502 503 504 505 506 507 509 590 591 592 593 594 595 596 597 598 670 671 672 673 674 675 676 " +
        "677 678 679 680 681 682 683 686 687 688 689 691 692 850 852 853 855 856 880 886 960 961 962 963 964 965 966 " +
        "967 968 971 972 973 974 975 976 977 994 995 996"
    ).split(" "),
);

/** E.164 as Appwrite checks it: `+`, 7 to 15 digits, and a calling code on its list (longest match first). */
export function isPhone(value: string): boolean {
    if (!/^\+[1-9]\d{6,14}$/.test(value)) return false;
    const digits = value.slice(1);
    return [3, 2, 1].some((n) => CALLING_CODES.has(digits.slice(0, n)));
}

export const PHONE_RULE =
    "an E.164 number: '+', then 7 to 15 digits starting with a calling code Appwrite knows, e.g. +14155550100 (codes such as +92 are refused)";
export const phone = text(PHONE_RULE).refine(isPhone, { error: `must be ${PHONE_RULE}` });

export const byteLength = (value: string) => Buffer.byteLength(value, "utf8");
const PASSWORD_RULE = "8 to 256 bytes (a project password policy may ask for more)";
export const password = text(PASSWORD_RULE).refine((v) => byteLength(v) >= 8 && byteLength(v) <= 256, {
    error: `must be ${PASSWORD_RULE}`,
});

const NAME_RULE = "at most 128 characters";
export const userName = text(NAME_RULE).refine((v) => [...v].length <= 128, { error: `must be ${NAME_RULE}` });

export function flag(what: string) {
    return z.boolean({ error: `must be true or false: ${what}` });
}
