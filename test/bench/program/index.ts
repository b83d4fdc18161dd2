import * as pulumi from "@pulumi/pulumi";
import { User, UserLabels, UserPrefs, UserStatus, UserTarget } from "pulumi-appwrite-users";

/**
 * `users` users named `<prefix>-00001`..., each declared the way a real program declares a person: a User with a
 * password, its labels, prefs, one extra email target and its status. Five resources per user.
 */
const config = new pulumi.Config();
const count = config.requireNumber("users");
const prefix = config.get("prefix") ?? "bench";
const password = config.requireSecret("password");

export const userCount = count;

for (let i = 1; i <= count; i++) {
    const id = `${prefix}-${String(i).padStart(5, "0")}`;
    const user = new User(id, { userId: id, email: `${id}@example.com`, name: `Bench user ${i}`, password });
    new UserLabels(id, { userId: user.userId, labels: ["bench", i % 2 === 0 ? "even" : "odd"] });
    new UserPrefs(id, { userId: user.userId, prefs: { locale: "en", theme: i % 3 === 0 ? "dark" : "light" } });
    new UserTarget(`${id}-alerts`, {
        userId: user.userId,
        targetId: `${id}-alerts`,
        providerType: "email",
        identifier: `${id}.alerts@example.com`,
    });
    new UserStatus(id, { userId: user.userId, blocked: false });
}
