import * as pulumi from "@pulumi/pulumi";
import { UserSet, type UserSetMemberArgs } from "pulumi-appwrite-users";

/**
 * `sets` (config object): each set's members by set name. A member with `"password": "secret"` gets the
 * stack secret `password` (a secret config value, as a real program would pass it).
 */
const config = new pulumi.Config();
const sets = config.requireObject<Record<string, UserSetMemberArgs[]>>("sets");
const password = config.getSecret("password");

export const setIds = Object.entries(sets).map(([name, users]) => {
    const members = users.map((m) => (m.password === "secret" && password !== undefined ? { ...m, password } : m));
    return new UserSet(name, { users: members }).id;
});
