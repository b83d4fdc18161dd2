import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { insertUsers } from "../emulator/fixtures";
import { formatDate } from "../emulator/store";
import { useEmulatedAppwrite, uniqueId, type EmulatedAppwrite } from "../support/appwrite";
import { appwriteUsers, emulatorEnv } from "./run";

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((a) => (appwrite = a));

const env = () => emulatorEnv(appwrite);
const HOUR = 3600_000;

/** Users put straight into the emulator, registered `hoursAgo` hours ago with these labels. */
function usersAt(prefix: string, count: number, hoursAgo: number, labels: string[]): string[] {
    const at = formatDate(Date.now() - hoursAgo * HOUR);
    return insertUsers(appwrite.emulator.store, count, prefix, () => ({ registration: at, $createdAt: at, labels })).map((u) => u.$id);
}

/** A fresh label and users of each kind: old and labelled (to sweep), new and labelled, old with another label, old unlabelled. */
function population() {
    const label = uniqueId("ci").replace(/-/g, "").slice(0, 30);
    const tag = label.slice(-8);
    return {
        label,
        old: usersAt(`old${tag}`, 3, 5, ["keep", label]),
        young: usersAt(`new${tag}`, 2, 1, [label]),
        otherLabel: usersAt(`oth${tag}`, 2, 5, ["other"]),
        unlabelled: usersAt(`non${tag}`, 1, 5, []),
    };
}

const exists = async (userId: string) =>
    appwrite.users.get({ userId }).then(
        () => true,
        () => false,
    );

/** A `pulumi stack export` of stack `stack` that manages `userIds` (one User and one UserTarget each). */
function stateFile(stack: string, userIds: string[], config: Record<string, string> = {}): string {
    const urn = (type: string, name: string) => `urn:pulumi:${stack}::users::${type}::${name}`;
    const resources = [
        {
            urn: urn("pulumi:providers:pulumi-nodejs", "default"),
            custom: true,
            id: "p",
            type: "pulumi:providers:pulumi-nodejs",
            inputs: config,
        },
        ...userIds.flatMap((userId) => [
            {
                urn: urn("pulumi-nodejs:dynamic/appwrite:User", userId),
                custom: true,
                id: userId,
                type: "pulumi-nodejs:dynamic/appwrite:User",
                inputs: { userId },
                outputs: { userId },
            },
            {
                urn: urn("pulumi-nodejs:dynamic/appwrite:UserTarget", `${userId}-mail`),
                custom: true,
                id: `${userId}/mail`,
                type: "pulumi-nodejs:dynamic/appwrite:UserTarget",
                inputs: {},
                outputs: {},
            },
        ]),
    ];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sweep-")), "state.json");
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources } }));
    return file;
}

describe("appwrite-users sweep", () => {
    it("lists exactly the labelled users registered before the cutoff in a dry run, and deletes nothing", async () => {
        const { label, old } = population();
        const { code, stdout, stderr } = await appwriteUsers(["sweep", "--label", label, "--older-than", "2h"], env());
        expect(code).toBe(0);
        expect(
            stdout
                .trim()
                .split("\n")
                .map((line) => line.split("\t")[0]),
        ).toEqual(old);
        expect(stderr).toContain(`dry run: 3 user(s) with label "${label}"`);
        for (const userId of old) expect(await exists(userId)).toBe(true);
        expect(appwrite.emulator.writeRequests()).toBe(0);
    });

    it("deletes them with --yes, and nothing else", async () => {
        const { label, old, young, otherLabel, unlabelled } = population();
        const { code, stdout } = await appwriteUsers(
            ["sweep", "--label", label, "--older-than", "1h30m", "--yes", "--format", "json"],
            env(),
        );
        expect(code).toBe(0);
        expect(JSON.parse(stdout)).toMatchObject({ dryRun: false, label, deleted: old, failed: [], spared: [] });
        for (const userId of old) expect(await exists(userId)).toBe(false);
        for (const userId of [...young, ...otherLabel, ...unlabelled]) expect(await exists(userId)).toBe(true);
        expect(appwrite.emulator.requestCounts()["DELETE /v1/users/:userId"]).toBe(3);
    });

    it("spares the users the given stack manages", async () => {
        const { label, old } = population();
        const managed = old.slice(0, 2);
        const { code, stdout, stderr } = await appwriteUsers(
            ["sweep", "--label", label, "--older-than", "2h", "--yes", "--state", stateFile("ci", managed)],
            env(),
        );
        expect(code).toBe(0);
        expect(stdout).toMatch(new RegExp(`^deleted ${old[2]}\t`));
        for (const userId of managed) {
            expect(stderr).toContain(`sparing user "${userId}": the stack manages it`);
            expect(await exists(userId)).toBe(true);
        }
        expect(await exists(old[2]!)).toBe(false);
    });

    it("refuses a production stack, by name or by appwrite-users:productionStacks, unless --allow-production", async () => {
        const { label, old } = population();
        const byName = await appwriteUsers(
            ["sweep", "--label", label, "--older-than", "2h", "--yes", "--state", stateFile("production", [])],
            env(),
        );
        expect(byName.code).toBe(1);
        expect(byName.stderr).toContain('refusing to sweep for stack "production": its name says production');
        const listed = stateFile("live", [], { "appwrite-users:productionStacks": "live,eu" });
        const byList = await appwriteUsers(["sweep", "--label", label, "--older-than", "2h", "--yes", "--state", listed], env());
        expect(byList.stderr).toContain('refusing to sweep for stack "live": it is listed in appwrite-users:productionStacks');
        for (const userId of old) expect(await exists(userId)).toBe(true);
        const allowed = await appwriteUsers(
            ["sweep", "--label", label, "--older-than", "2h", "--yes", "--state", listed, "--allow-production"],
            env(),
        );
        expect(allowed.code).toBe(0);
        for (const userId of old) expect(await exists(userId)).toBe(false);
    });

    it("reports each failed deletion and exits 1", async () => {
        const { label, old } = population();
        appwrite.emulator.addKey("standard_noDelete", ["users.read"]);
        const { code, stderr } = await appwriteUsers(["sweep", "--label", label, "--older-than", "2h", "--yes"], {
            ...env(),
            APPWRITE_API_KEY: "standard_noDelete",
        });
        expect(code).toBe(1);
        for (const userId of old) expect(stderr).toContain(`failed to delete user "${userId}"`);
        expect(stderr).toContain("deleted 0 user(s); 3 could not be deleted");
    });

    it("refuses to run without a label, and with a duration or label Appwrite could not mean", async () => {
        const noLabel = await appwriteUsers(["sweep", "--older-than", "2h", "--yes"], env());
        expect(noLabel.code).toBe(1);
        expect(noLabel.stderr).toContain("--label is required");
        expect((await appwriteUsers(["sweep", "--label", "ci", "--older-than", "2 days"], env())).stderr).toContain(
            "--older-than must be a duration such as 90m, 2h, 7d",
        );
        expect((await appwriteUsers(["sweep", "--label", "ci", "--older-than", "0h"], env())).stderr).toContain(
            "--older-than must be a duration",
        );
        expect((await appwriteUsers(["sweep", "--label", "ci-run", "--older-than", "2h"], env())).stderr).toContain(
            '--label "ci-run" must be 1 to 36 ASCII letters or digits',
        );
        expect(appwrite.emulator.totalRequests()).toBe(0);
    });
});
