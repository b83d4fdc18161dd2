import * as pulumi from "@pulumi/pulumi";
import { User, UserLabels, UserPrefs, UserStatus, UserTarget } from "pulumi-appwrite-users";

// Connection settings come from the stack config (appwrite:endpoint, appwrite:projectId and the secret
// appwrite:apiKey), never from this program, so they stay out of the stored provider code.
const config = new pulumi.Config();

// A service account for CI: its password is a stack secret (`pulumi config set --secret ciBotPassword`),
// stored encrypted in the state and never shown in a diff.
const ciBot = new User("ci-bot", {
    userId: "ci-bot",
    email: "ci-bot@example.com",
    name: "CI bot",
    password: config.requireSecret("ciBotPassword"),
});
new UserLabels("ci-bot", { userId: ciBot.userId, labels: ["service"] });
new UserPrefs("ci-bot", { userId: ciBot.userId, prefs: { role: "ci", notifications: false } });
new UserTarget("ci-bot-alerts", {
    userId: ciBot.userId,
    targetId: "ci-bot-alerts",
    providerType: "email",
    identifier: "ci-alerts@example.com",
    name: "CI alerts",
});
new UserStatus("ci-bot", { userId: ciBot.userId, blocked: false });

// Two test users with the labels and preferences the app's test suites expect, and a second way to
// reach each of them besides the target Appwrite creates for their email.
interface TestUser {
    id: string;
    email: string;
    name: string;
    locale: string;
    target: { providerType: "email" | "sms"; identifier: string };
}

const testUsers: TestUser[] = [
    {
        id: "test-alice",
        email: "alice@example.com",
        name: "Alice (test)",
        locale: "en",
        target: { providerType: "email", identifier: "alice.alerts@example.com" },
    },
    {
        id: "test-bob",
        email: "bob@example.com",
        name: "Bob (test)",
        locale: "de",
        target: { providerType: "sms", identifier: "+14155550102" },
    },
];

const users = testUsers.map((t) => {
    const user = new User(t.id, { userId: t.id, email: t.email, name: t.name, emailVerification: true });
    new UserLabels(t.id, { userId: user.userId, labels: ["test", "beta"] });
    new UserPrefs(t.id, { userId: user.userId, prefs: { locale: t.locale, theme: "dark" } });
    new UserTarget(`${t.id}-${t.target.providerType}`, {
        userId: user.userId,
        targetId: `${t.id}-${t.target.providerType}`,
        providerType: t.target.providerType,
        identifier: t.target.identifier,
    });
    new UserStatus(t.id, { userId: user.userId, blocked: false });
    return user;
});

export const serviceAccountId = ciBot.id;
export const testUserIds = users.map((u) => u.id);
