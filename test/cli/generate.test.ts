import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { loadSeedFile } from "../../sdk/seed-file";
import { insertUsers } from "../emulator/fixtures";
import { useEmulatedAppwrite, uniqueId, uniquePhone, type EmulatedAppwrite } from "../support/appwrite";
import { appwriteUsers, emulatorEnv } from "./run";

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

const env = () => emulatorEnv(appwrite);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "generate-"));

/** A user with everything generate declares: a password, a phone, flags, labels, prefs, a block and a target of its own. */
async function richUser(label: string): Promise<{ userId: string; phone: string }> {
    const userId = uniqueId("rich");
    const phone = uniquePhone();
    const users = appwrite.users;
    await users.create({ userId, email: `${userId}@example.com`, phone, password: "a long password 1", name: "Rich" });
    await users.updateLabels({ userId, labels: [label, "vip"] });
    await users.updatePrefs({ userId, prefs: { theme: "dark", n: 2 } });
    await users.updateEmailVerification({ userId, emailVerification: true });
    await users.updateStatus({ userId, status: false });
    await users.createTarget({
        userId,
        targetId: `${userId}-alerts`,
        providerType: "email" as never,
        identifier: `${userId}.alerts@example.com`,
        name: "Alerts",
    });
    return { userId, phone };
}

describe("appwrite-users generate", () => {
    it("reads 1,000 users in 11 requests, 100 a page", async () => {
        const prefix = uniqueId("many").replace(/-/g, "").slice(0, 12);
        insertUsers(appwrite.emulator.store, 1000, prefix, () => ({ labels: [prefix] }));
        appwrite.emulator.resetRequestCounts();
        const { code, stdout, stderr } = await appwriteUsers(["generate", "--label", prefix], env());
        expect(code).toBe(0);
        expect(stderr).toBe("appwrite-users generate: 1000 user(s) declared\n");
        expect(stdout.match(/new UserBundle\(/g)).toHaveLength(1000);
        expect(appwrite.emulator.requestCounts()).toEqual({ "GET /v1/users": 11 });
    });

    it("declares what the user has and nothing of its password, leaving out the targets Appwrite made", async () => {
        const label = uniqueId("gen").replace(/-/g, "");
        const { userId, phone } = await richUser(label);
        const { stdout } = await appwriteUsers(["generate", "--label", label], env());
        expect(stdout).toContain('import { UserBundle } from "pulumi-appwrite-users";');
        const args = JSON.parse(/new UserBundle\("[^"]+", (\{[\s\S]*\})\),\n\};/.exec(stdout)![1]!) as Record<string, unknown>;
        expect(args).toEqual({
            userId,
            email: `${userId}@example.com`,
            phone,
            name: "Rich",
            emailVerification: true,
            labels: [label, "vip"],
            prefs: { theme: "dark", n: 2 },
            blocked: true,
            targets: [{ targetId: `${userId}-alerts`, providerType: "email", identifier: `${userId}.alerts@example.com`, name: "Alerts" }],
            adopt: true,
        });
        expect(stdout).not.toMatch(/"(password|passwordHash|hash|hashOptions|sessions?)":|argon2/);
    });

    it("filters by search and by a query in Appwrite's JSON form", async () => {
        const label = uniqueId("flt").replace(/-/g, "");
        const [blocked, active] = [await richUser(label), await richUser(label)];
        await appwrite.users.updateStatus({ userId: active.userId, status: true });
        const query = JSON.stringify({ method: "equal", attribute: "status", values: [false] });
        const byQuery = await appwriteUsers(["generate", "--label", label, "--query", query], env());
        expect(byQuery.stdout).toContain(`"${blocked.userId}": new UserBundle(`);
        expect(byQuery.stdout).not.toContain(active.userId);
        // Full-text search matches words, and the ID's word before the dash is every rich user's.
        const bySearch = await appwriteUsers(["generate", "--search", active.userId.split("-")[1]!], env());
        expect(bySearch.stdout.match(/new UserBundle\("([^"]+)"/g)).toEqual([`new UserBundle("${active.userId}"`]);
        expect((await appwriteUsers(["generate", "--query", "status=false"], env())).stderr).toContain(
            "--query takes a query in Appwrite's JSON form",
        );
    });

    it("writes a seed file that loadSeedFile loads, and refuses to overwrite it without --force", async () => {
        const label = uniqueId("yml").replace(/-/g, "");
        const { userId, phone } = await richUser(label);
        const dir = tmp();
        const written = await appwriteUsers(["generate", "--label", label, "--out", "seed.yaml", "--cwd", dir], env());
        expect(written.code).toBe(0);
        expect(loadSeedFile("seed.yaml", dir)).toEqual([
            {
                id: userId,
                email: `${userId}@example.com`,
                phone,
                name: "Rich",
                labels: [label, "vip"],
                prefs: { theme: "dark", n: 2 },
                blocked: true,
                targets: [
                    { targetId: `${userId}-alerts`, providerType: "email", identifier: `${userId}.alerts@example.com`, name: "Alerts" },
                ],
            },
        ]);
        appwrite.emulator.resetRequestCounts();
        const again = await appwriteUsers(["generate", "--label", label, "--out", "seed.yaml", "--cwd", dir], env());
        expect({ code: again.code, requests: appwrite.emulator.totalRequests() }).toEqual({ code: 1, requests: 0 });
        expect(again.stderr).toContain("seed.yaml exists; pass --force to overwrite it");
        fs.writeFileSync(path.join(dir, "seed.yaml"), "users: []\n");
        expect((await appwriteUsers(["generate", "--label", label, "--out", "seed.yaml", "--cwd", dir, "--force"], env())).code).toBe(0);
        expect(loadSeedFile("seed.yaml", dir).map((u) => u.id)).toEqual([userId]);
    });

    it("takes the format from --out, and refuses one that contradicts it", async () => {
        const dir = tmp();
        expect((await appwriteUsers(["generate", "--out", "users.txt", "--cwd", dir], env())).stderr).toContain(
            "name a .ts, .yaml or .yml file, or give --format",
        );
        expect((await appwriteUsers(["generate", "--out", "users.ts", "--format", "yaml", "--cwd", dir], env())).stderr).toContain(
            "--format yaml does not match",
        );
        expect(fs.readdirSync(dir)).toEqual([]);
    });
});
