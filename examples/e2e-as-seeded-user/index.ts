/**
 * The users the end-to-end tests act as, from users.yaml. Their passwords are derived from the stack secret
 * seedPasswordSecret, but the tests need none: `appwrite-users exec` gives them a session of their own.
 */
import * as pulumi from "@pulumi/pulumi";
import { SeededUsers } from "pulumi-appwrite-users";

const config = new pulumi.Config();

const seed = new SeededUsers("e2e", {
    file: "users.yaml",
    passwordSecret: config.requireSecret("seedPasswordSecret"),
});

export const seededUserIds = seed.userIds;
