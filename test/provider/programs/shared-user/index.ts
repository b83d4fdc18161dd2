import * as pulumi from "@pulumi/pulumi";
import { User, UserLabels, UserPrefs, UserStatus } from "pulumi-appwrite-users";

/**
 * A support user whose labels and prefs two teams declare side by side, without either owning the whole
 * value, while the application sets labels and prefs of its own. `mixed: true` makes one of the label
 * resources exclusive, which check refuses; `blocked: true` blocks the user and ends its sessions.
 */
const config = new pulumi.Config();
const mixed = config.getBoolean("mixed") ?? false;
const blocked = config.getBoolean("blocked") ?? false;

const user = new User("support", { userId: "support", name: "Support desk", impersonator: true });
new UserLabels("infra-labels", { userId: user.userId, labels: ["service", "ops"], exclusive: false });
new UserLabels("team-labels", { userId: user.userId, labels: ["oncall"], exclusive: mixed });
new UserPrefs("infra-prefs", { userId: user.userId, prefs: { locale: "en" }, exclusive: false });
new UserPrefs("team-prefs", { userId: user.userId, prefs: { pager: "+14155550100", rota: { week: 2 } }, exclusive: false });
new UserStatus("support", { userId: user.userId, blocked, endSessions: true });

export const userId = user.userId;
