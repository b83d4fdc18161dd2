/**
 * Seeds a staging Appwrite project with the 50 test users of users.yaml, each with its labels, prefs, block
 * status and targets, declared in UserSets (at most 64, whatever the file's size). `pulumi config set layout
 * resources` declares a User, UserLabels, UserPrefs, UserStatus and UserTargets per user instead (`bundles`:
 * one UserBundle per user). Setup, once per stack:
 *
 *   pulumi stack init staging
 *   pulumi config set appwrite:endpoint https://fra.cloud.appwrite.io/v1
 *   pulumi config set appwrite:projectId <project ID>
 *   pulumi config set --secret appwrite:apiKey <API key with users.read and users.write>
 *   pulumi config set --secret seedPasswordSecret "$(openssl rand -base64 32)"
 *   pulumi up
 *
 * CI logs in as a seeded user with the same secret:
 *   import { seededUserPassword } from "pulumi-appwrite-users";
 *   const password = seededUserPassword(process.env.SEED_PASSWORD_SECRET, "staging-user-01");
 *
 * The component refuses stacks named like production (prod, production, or appwrite-users:productionStacks).
 */
import * as pulumi from "@pulumi/pulumi";
import { SeededUsers, type SeedLayout } from "pulumi-appwrite-users";

const config = new pulumi.Config();

const seed = new SeededUsers("staging", {
    file: "users.yaml",
    passwordSecret: config.requireSecret("seedPasswordSecret"),
    layout: config.get("layout") as SeedLayout | undefined,
});

export const seededUserIds = seed.userIds;
