/** The email metadata fields Appwrite adds to a User (utopia-php/emails), null when there is no email. */
export interface EmailMeta {
    emailCanonical: string | null;
    emailIsFree: boolean | null;
    emailIsDisposable: boolean | null;
    emailIsCorporate: boolean | null;
    emailIsCanonical: boolean | null;
}

// A small sample of the library's lists: enough for the domains tests and examples use.
const FREE_DOMAINS = new Set([
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "icloud.com",
    "aol.com",
    "gmx.com",
    "gmx.de",
    "mail.com",
    "proton.me",
    "protonmail.com",
    "yandex.com",
    "zoho.com",
]);
const DISPOSABLE_DOMAINS = new Set([
    "example.com",
    "mailinator.com",
    "guerrillamail.com",
    "10minutemail.com",
    "temp-mail.org",
    "yopmail.com",
    "trashmail.com",
    "sharklasers.com",
    "dispostable.com",
]);
const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

const NO_EMAIL: EmailMeta = {
    emailCanonical: null,
    emailIsFree: null,
    emailIsDisposable: null,
    emailIsCorporate: null,
    emailIsCanonical: null,
};

export function emailMeta(email: string | null): EmailMeta {
    if (!email) return NO_EMAIL;
    const at = email.lastIndexOf("@");
    if (at <= 0) return NO_EMAIL;
    let local = email.slice(0, at).toLowerCase();
    let domain = email.slice(at + 1).toLowerCase();
    if (GMAIL_DOMAINS.has(domain)) {
        local = local.split("+")[0]!.replaceAll(".", "");
        domain = "gmail.com";
    }
    const canonical = `${local}@${domain}`;
    const disposable = DISPOSABLE_DOMAINS.has(domain);
    const free = !disposable && FREE_DOMAINS.has(domain);
    return {
        emailCanonical: canonical,
        emailIsFree: free,
        emailIsDisposable: disposable,
        emailIsCorporate: !free && !disposable,
        emailIsCanonical: canonical === email,
    };
}
