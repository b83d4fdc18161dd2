import * as pulumi from "@pulumi/pulumi";
import { User, UserLabels, UserPrefs, UserStatus, UserTarget, type PrefsValue } from "pulumi-appwrite-users";

/** One user and its four companion resources, shaped like the quickstart's. */
export interface UserSpec {
    name: string;
    userId: string;
    email: string;
    displayName: string;
    emailVerification?: boolean;
    labels: string[];
    prefs: Record<string, PrefsValue>;
    target: { name: string; targetId: string; providerType: "email" | "sms"; identifier: string };
    blocked: boolean;
    /** Spread into the User's inputs as a JavaScript program or a spread would pass them, unchecked by TypeScript. */
    extraUserInputs?: Record<string, unknown>;
}

const config = new pulumi.Config();
const specs = config.requireObject<UserSpec[]>("users");
const password = config.getSecret("password");

export const userIds = specs.map((s) => {
    const user = new User(s.name, {
        userId: s.userId,
        email: s.email,
        name: s.displayName,
        ...(s.emailVerification !== undefined ? { emailVerification: s.emailVerification } : {}),
        ...(password !== undefined ? { password } : {}),
        ...s.extraUserInputs,
    });
    new UserLabels(s.name, { userId: user.userId, labels: s.labels });
    new UserPrefs(s.name, { userId: user.userId, prefs: s.prefs });
    new UserTarget(s.target.name, {
        userId: user.userId,
        targetId: s.target.targetId,
        providerType: s.target.providerType,
        identifier: s.target.identifier,
    });
    new UserStatus(s.name, { userId: user.userId, blocked: s.blocked });
    return user.id;
});
