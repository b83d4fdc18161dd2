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
            status: "changed",
            fields: [
                { field: "name", pulumi: "Ada", live: "Ada | Countess" },
                { field: "password", pulumi: "[secret]", live: null, note: "changed outside Pulumi (passwordUpdate 2026-01-02T03:04:05.000+00:00)" },
            ],
        },
        {
            urn: "urn:pulumi:staging::seed::pulumi-nodejs:dynamic/appwrite:UserLabels::ada",
            name: "ada",
            kind: "UserLabels",
            id: "ada",
            status: "changed",
            fields: [{ field: "labels", pulumi: ["qa", "beta"], live: ["qa"] }],
        },
        {
            urn: "urn:pulumi:staging::seed::pulumi-nodejs:dynamic/appwrite:UserTarget::bob-push",
            name: "bob-push",
            kind: "UserTarget",
            id: "bob/bob-push",
            status: "deleted",
            fields: [],
        },
    ],
};

const clean: DriftReport = { ...drifted, drift: [] };

describe("drift report formats", () => {
    it("prints a table with one row per drifted field and per deleted object", () => {
        expect(formatReport(drifted, "table")).toBe(
            [
                'Drift in 3 of 12 resources (stack "staging" vs project "p1" at http://127.0.0.1:8787/v1); 1 deleted outside Pulumi.',
                "",
                "RESOURCE  KIND        FIELD     PULUMI                 LIVE",
                'ada       User        name      "Ada"                  "Ada | Countess"',
                "ada       User        password  [secret]               changed outside Pulumi (passwordUpdate 2026-01-02T03:04:05.000+00:00)",
                'ada       UserLabels  labels    ["qa","beta"]          ["qa"]',
                "bob-push  UserTarget  -         exists (bob/bob-push)  deleted outside Pulumi",
                "",
            ].join("\n"),
        );
    });

    it("says so in one line when nothing drifted", () => {
        expect(formatReport(clean, "table")).toBe('No drift: 12 resources checked (stack "staging" vs project "p1" at http://127.0.0.1:8787/v1).\n');
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
            "| Resource | Kind | Field | Pulumi | Live |",
            "|---|---|---|---|---|",
            '| `ada` | User | name | `"Ada"` | `"Ada \\| Countess"` |',
            "| `ada` | User | password | `[secret]` | `changed outside Pulumi (passwordUpdate 2026-01-02T03:04:05.000+00:00)` |",
            '| `ada` | UserLabels | labels | `["qa","beta"]` | `["qa"]` |',
            "| `bob-push` | UserTarget | - | `exists (bob/bob-push)` | **deleted outside Pulumi** |",
            "",
            "Run `pulumi up` to put the declared values back, or change the program to keep the live ones.",
            "",
        ]);
        expect(formatReport(clean, "markdown")).toBe(
            '### Appwrite users: no drift\n\nNo drift: 12 resources checked (stack "staging" vs project "p1" at http://127.0.0.1:8787/v1).\n',
        );
    });
});
