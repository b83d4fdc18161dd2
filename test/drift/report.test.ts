import { describe, expect, it } from "vitest";
import { formatReport, type DriftReport } from "../../cli/drift-report";

const drifted: DriftReport = {
    stack: "staging",
    endpoint: "http://127.0.0.1:8787/v1",
    projectId: "p1",
    checked: 12,
    drift: [
        {
            urn: "urn:pulumi:staging::seed::pulumi-nodejs:dynamic/appwrite:User::ada",
            name: "ada",
            kind: "User",
            id: "ada",
            userId: "ada",
            status: "changed",
            lastChange: { time: "2026-01-02T03:04:05.000+00:00", event: "user.update", by: "ada@example.com (user)" },
            fields: [
                { field: "name", pulumi: "Ada", live: "Ada | Countess" },
                {
                    field: "password",
                    pulumi: "[secret]",
                    live: null,
                    note: "changed outside Pulumi (passwordUpdate 2026-01-02T03:04:05.000+00:00)",
                },
            ],
        },
        {
            urn: "urn:pulumi:staging::seed::pulumi-nodejs:dynamic/appwrite:UserLabels::ada",
            name: "ada",
            kind: "UserLabels",
            id: "ada",
            userId: "ada",
            status: "changed",
            lastChange: { time: "2026-01-02T03:04:05.000+00:00", event: "user.update", by: "ada@example.com (user)" },
            fields: [{ field: "labels", pulumi: ["qa", "beta"], live: ["qa"] }],
        },
        {
            urn: "urn:pulumi:staging::seed::pulumi-nodejs:dynamic/appwrite:UserTarget::bob-push",
            name: "bob-push",
            kind: "UserTarget",
            id: "bob/bob-push",
            userId: "bob",
            status: "deleted",
            fields: [],
            lastChange: null,
        },
    ],
    lastChangeNote: "Appwrite lists no log entry for some drifted users.",
};

const { lastChangeNote: _, ...withoutNote } = drifted;
const clean: DriftReport = { ...withoutNote, drift: [] };
const ADA_CHANGE = "2026-01-02T03:04:05.000+00:00 user.update by ada@example.com (user)";
const PASSWORD_NOTE = "changed outside Pulumi (passwordUpdate 2026-01-02T03:04:05.000+00:00)";
/** The LIVE column is as wide as its longest value, then two spaces. */
const live = (text: string) => text.padEnd(PASSWORD_NOTE.length + 2);

describe("drift report formats", () => {
    it("prints a table with one row per drifted field and per deleted object, with the user's last change and why it is unknown", () => {
        expect(formatReport(drifted, "table")).toBe(
            [
                'Drift in 3 of 12 resources (stack "staging" vs project "p1" at http://127.0.0.1:8787/v1); 1 deleted outside Pulumi.',
                "",
                `RESOURCE  KIND        FIELD     PULUMI                 ${live("LIVE")}LAST CHANGE`,
                `ada       User        name      "Ada"                  ${live('"Ada | Countess"')}${ADA_CHANGE}`,
                `ada       User        password  [secret]               ${live(PASSWORD_NOTE)}${ADA_CHANGE}`,
                `ada       UserLabels  labels    ["qa","beta"]          ${live('["qa"]')}${ADA_CHANGE}`,
                `bob-push  UserTarget  -         exists (bob/bob-push)  ${live("deleted outside Pulumi")}unknown`,
                "",
                "Last change: Appwrite lists no log entry for some drifted users.",
                "",
            ].join("\n"),
        );
    });

    it("says so in one line when nothing drifted", () => {
        expect(formatReport(clean, "table")).toBe(
            'No drift: 12 resources checked (stack "staging" vs project "p1" at http://127.0.0.1:8787/v1).\n',
        );
    });

    it("reports a stack in several projects project by project: a heading each, with only that project's rows", () => {
        const labels = drifted.drift[1] as DriftReport["drift"][number];
        const projects: DriftReport = {
            ...withoutNote,
            checked: 9,
            drift: [{ ...labels, project: "eu", lastChange: null }],
            projects: [
                { project: null, endpoint: "http://127.0.0.1:8787/v1", projectId: "p1", checked: 3, drifted: 0 },
                { project: "eu", endpoint: "https://fra.example.com/v1", projectId: "shop-eu", checked: 3, drifted: 1 },
                { project: "us", endpoint: "https://nyc.example.com/v1", projectId: "shop-us", checked: 3, drifted: 0 },
            ],
        };
        expect(formatReport(projects, "table").split("\n")).toEqual([
            'Drift in 1 of 9 resources (stack "staging" vs 3 Appwrite projects).',
            "",
            'Default project (project "p1" at http://127.0.0.1:8787/v1): no drift in 3 resources.',
            "",
            'Project "eu" (project "shop-eu" at https://fra.example.com/v1): drift in 1 of 3 resources.',
            "RESOURCE  KIND        FIELD   PULUMI         LIVE    LAST CHANGE",
            'ada       UserLabels  labels  ["qa","beta"]  ["qa"]  unknown',
            "",
            'Project "us" (project "shop-us" at https://nyc.example.com/v1): no drift in 3 resources.',
            "",
        ]);
    });

    it("prints the report itself as JSON", () => {
        expect(JSON.parse(formatReport(drifted, "json"))).toEqual(drifted);
    });

    it("prints a markdown table for a pull-request comment, with pipes escaped", () => {
        const markdown = formatReport(drifted, "markdown");
        expect(markdown.split("\n")).toEqual([
            "### Appwrite users: drift detected",
            "",
            'Drift in 3 of 12 resources (stack "staging" vs project "p1" at http://127.0.0.1:8787/v1); 1 deleted outside Pulumi.',
            "",
            "| Resource | Kind | Field | Pulumi | Live | Last change |",
            "|---|---|---|---|---|---|",
            `| \`ada\` | User | name | \`"Ada"\` | \`"Ada \\| Countess"\` | ${ADA_CHANGE} |`,
            `| \`ada\` | User | password | \`[secret]\` | \`changed outside Pulumi (passwordUpdate 2026-01-02T03:04:05.000+00:00)\` | ${ADA_CHANGE} |`,
            `| \`ada\` | UserLabels | labels | \`["qa","beta"]\` | \`["qa"]\` | ${ADA_CHANGE} |`,
            "| `bob-push` | UserTarget | - | `exists (bob/bob-push)` | **deleted outside Pulumi** | unknown |",
            "",
            "Last change: Appwrite lists no log entry for some drifted users.",
            "",
            "Run `pulumi up --refresh` to put the declared values back (a plain `pulumi up` does not read Appwrite), or change the program to keep the live ones.",
            "",
        ]);
        expect(formatReport(clean, "markdown")).toBe(
            '### Appwrite users: no drift\n\nNo drift: 12 resources checked (stack "staging" vs project "p1" at http://127.0.0.1:8787/v1).\n',
        );
    });
});
