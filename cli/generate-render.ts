/**
 * What `appwrite-users generate` writes for the users it read: a TypeScript module declaring one
 * `UserBundle` per user with `adopt: true`, or a seed file for `SeededUsers`. Each declares only what the
 * user has: contact details, a name, the flags that are on, labels, prefs, a block, and the messaging
 * targets other than the ones Appwrite makes itself for the user's own email and phone. Never a password,
 * a hash or a session (Appwrite's user document holds no session, and its hash is left out).
 */
import { stringify as toYaml } from "yaml";
import type { ListedUser } from "./user-pages";

interface DeclaredTarget {
    targetId: string;
    providerType: string;
    identifier: string;
    providerId?: string;
    name?: string;
}

/** The inputs a user is declared with, in the order they are written. */
interface DeclaredUser {
    userId: string;
    email?: string;
    phone?: string;
    name?: string;
    emailVerification?: true;
    phoneVerification?: true;
    mfa?: true;
    impersonator?: true;
    labels?: string[];
    prefs?: Record<string, unknown>;
    blocked?: true;
    targets?: DeclaredTarget[];
}

/** Appwrite makes an email target for the user's email and an sms target for the phone, and moves them with it. */
function madeByAppwrite(user: ListedUser, target: ListedUser["targets"][number]): boolean {
    if (target.providerType === "email") return user.email !== "" && target.identifier.toLowerCase() === user.email.toLowerCase();
    return target.providerType === "sms" && user.phone !== "" && target.identifier === user.phone;
}

function declaredUser(user: ListedUser): DeclaredUser {
    const targets = user.targets
        .filter((t) => !madeByAppwrite(user, t))
        .map((t) => ({
            targetId: t.$id,
            providerType: t.providerType,
            identifier: t.identifier,
            ...(t.providerId ? { providerId: t.providerId } : {}),
            ...(t.name ? { name: t.name } : {}),
        }));
    const prefs = (user.prefs ?? {}) as Record<string, unknown>;
    return {
        userId: user.$id,
        ...(user.email ? { email: user.email } : {}),
        ...(user.phone ? { phone: user.phone } : {}),
        ...(user.name ? { name: user.name } : {}),
        ...(user.emailVerification ? { emailVerification: true } : {}),
        ...(user.phoneVerification ? { phoneVerification: true } : {}),
        ...(user.mfa ? { mfa: true } : {}),
        ...(user.impersonator === true ? { impersonator: true } : {}),
        ...(user.labels.length > 0 ? { labels: user.labels } : {}),
        ...(Object.keys(prefs).length > 0 ? { prefs } : {}),
        ...(user.status ? {} : { blocked: true }),
        ...(targets.length > 0 ? { targets } : {}),
    };
}

/** Where the users came from, for the header of the written file. */
export interface Origin {
    endpoint: string;
    projectId: string;
    filter: string;
    /**
     * The name of the `appwrite:projects` entry the users were read from, declared on every resource so
     * the program manages them in that project; left out, the stack's default project.
     */
    project?: string;
}

const header = (origin: Origin, count: number, comment: string) =>
    [
        `${comment} Written by \`appwrite-users generate\` from project "${origin.projectId}" at ${origin.endpoint}${origin.project === undefined ? "" : ` (appwrite:projects entry "${origin.project}")`} (${origin.filter}):`,
        `${comment} ${count} user(s), each declared as it was. Never holds a password, a password hash or a session.`,
    ].join("\n");

/**
 * A module that declares the users at its top level when a Pulumi program imports it
 * (`import { users } from "./users"`). Each is a UserBundle named after its user ID, with `adopt: true`:
 * `pulumi up` takes the existing user over, and sends nothing while the user is as declared.
 */
export function renderProgram(users: readonly ListedUser[], origin: Origin): string {
    const entries = users.map((user) => {
        const args = { ...declaredUser(user), ...(origin.project === undefined ? {} : { project: origin.project }), adopt: true };
        const body = JSON.stringify(args, null, 4).replace(/\n/g, "\n    ");
        return `    ${JSON.stringify(user.$id)}: new UserBundle(${JSON.stringify(user.$id)}, ${body}),`;
    });
    return [
        header(origin, users.length, "//"),
        "// `adopt: true` takes each user over at its first `pulumi up` and is only read then; it may stay.",
        'import { UserBundle } from "pulumi-appwrite-users";',
        "",
        "/** The declared users by user ID. */",
        "export const users: Record<string, UserBundle> = {",
        ...entries,
        "};",
        "",
    ].join("\n");
}

/**
 * A seed file for `SeededUsers` (`loadSeedFile` reads it): the same users, in the seed file's fields. A seed
 * file has no verification or MFA flags, and SeededUsers gives every user a password derived from its
 * secret, so this form copies users into another (staging) project rather than taking them over in place.
 */
export function renderSeedFile(users: readonly ListedUser[], origin: Origin): string {
    const seed = users.map((user) => {
        const { userId, email, phone, name, impersonator, labels, prefs, blocked, targets } = declaredUser(user);
        return {
            id: userId,
            ...(email === undefined ? {} : { email }),
            ...(phone === undefined ? {} : { phone }),
            ...(name === undefined ? {} : { name }),
            ...(impersonator === undefined ? {} : { impersonator }),
            ...(labels === undefined ? {} : { labels }),
            ...(prefs === undefined ? {} : { prefs }),
            ...(blocked === undefined ? {} : { blocked }),
            ...(targets === undefined ? {} : { targets }),
        };
    });
    return `${header(origin, users.length, "#")}\n${toYaml({ users: seed }, { lineWidth: 0 })}`;
}
