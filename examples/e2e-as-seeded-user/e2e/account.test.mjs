// An end-to-end test that acts as the seeded user `appwrite-users exec` made a session for. It reads what the
// app would read through the Account API, with the JWT exec put in the environment (APPWRITE_SESSION_SECRET
// works as well, with client.setSession). No password or API key is used here.
import process from "node:process";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Account, Client } from "node-appwrite";

function env(name) {
    const value = process.env[name];
    if (value === undefined) throw new Error(`${name} is not set: run this with appwrite-users exec --user ID --jwt -- npm run test:e2e`);
    return value;
}

const client = new Client().setEndpoint(env("APPWRITE_ENDPOINT")).setProject(env("APPWRITE_PROJECT_ID")).setJWT(env("APPWRITE_JWT"));
const account = new Account(client);

test("the seeded user signs in with the labels and prefs of users.yaml", async () => {
    const me = await account.get();
    assert.equal(me.$id, env("APPWRITE_USER_ID"));
    assert.ok(me.labels.includes("e2e"));
    assert.equal(me.prefs.onboarding, "done");
});
