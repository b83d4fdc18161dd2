import * as pulumi from "@pulumi/pulumi";
import { getUserOutput, User, UserLabels, UserStatus } from "pulumi-appwrite-users";

// The default project comes from appwrite:endpoint, appwrite:projectId and the secret appwrite:apiKey; every
// other project is an entry of appwrite:projects, named by `project` (README.md sets them up). Only the names
// appear here and in the state: endpoints and keys stay in the stack config.
const config = new pulumi.Config();
/** The entries of appwrite:projects that get a copy of the service account. */
const regions = config.getObject<string[]>("regions") ?? ["eu", "us"];
/** Regions whose copy is blocked, e.g. while a region is being retired. */
const blockedIn = config.getObject<string[]>("blockedIn") ?? [];
/**
 * Where the main copy lives: the default project, unless this names an entry of appwrite:projects that is
 * not one of `regions` (there the regional copy already declares the user "ci-bot").
 */
const mainProject = config.get("mainProject");

/** The CI service account and its labels and status, in one project (undefined: the default one). */
function serviceAccount(name: string, project: string | undefined): User {
    const bot = new User(`ci-bot-${name}`, { project, userId: "ci-bot", email: "ci@example.com", name: `CI bot (${name})` });
    new UserLabels(`ci-bot-${name}`, { project, userId: bot.userId, labels: ["service", name] });
    new UserStatus(`ci-bot-${name}`, { project, userId: bot.userId, blocked: project !== undefined && blockedIn.includes(project) });
    return bot;
}

const main = serviceAccount("main", mainProject);
const regional = regions.map((region) => ({ region, bot: serviceAccount(region, region) }));

export const mainUserId = main.userId;
// A lookup reads from the project it names: the display name each regional project holds for the account.
export const regionalNames = Object.fromEntries(
    regional.map(({ region, bot }) => [region, getUserOutput({ project: region, userId: bot.userId }).name]),
);
