import type { ResourceKind } from "../provider/kinds";

/** One field whose live value differs from the one Pulumi holds. */
export interface FieldDrift {
    field: string;
    /** The value in the stack's state (`"[secret]"` for an encrypted value). */
    pulumi: unknown;
    /** The value Appwrite has now (null for a secret, whose live value is never read). */
    live: unknown;
    /** What happened when the value itself cannot be shown, e.g. a password changed outside Pulumi. */
    note?: string;
}

/** The latest entry Appwrite's log lists for a user (`users.listLogs`). */
export interface LastChange {
    /** ISO 8601 time of the entry. */
    time: string;
    /** Appwrite's audit event, e.g. `user.update` or `session.create`. */
    event: string;
    /** Who acted: the user itself, a console user, or an API key by name. */
    by: string;
}

/** One resource that drifted: fields changed, or the object deleted outside Pulumi. */
export interface ResourceDrift {
    urn: string;
    name: string;
    kind: ResourceKind;
    id: string;
    /** The user the resource belongs to. */
    userId: string;
    /** The entry of `appwrite:projects` the resource lives in; absent for the default project. */
    project?: string;
    status: "changed" | "deleted";
    fields: FieldDrift[];
    /** The latest log entry of the user; null when it is unknown (see `lastChangeNote`). */
    lastChange: LastChange | null;
}

/** One project's part of a check of a stack whose resources live in several projects. */
export interface ProjectDrift {
    /** The entry of `appwrite:projects`; null for the default project. */
    project: string | null;
    endpoint: string;
    projectId: string;
    checked: number;
    drifted: number;
}

export interface DriftReport {
    stack?: string;
    /** The project checked; with `projects`, the first of them. */
    endpoint: string;
    projectId: string;
    /** How many resources of this package the state holds and were compared. */
    checked: number;
    drift: ResourceDrift[];
    /** Why the last change of some drifted users is unknown, said once. */
    lastChangeNote?: string;
    /** Present when a resource lives in a named project: each project checked, the default one first. */
    projects?: ProjectDrift[];
}

export type Format = "table" | "json" | "markdown";
export const FORMATS: readonly Format[] = ["table", "json", "markdown"];

/** Shown for a value the stack export keeps encrypted; the tool never decrypts or needs it. */
export const REDACTED = "[secret]";

function show(value: unknown): string {
    if (value === undefined) return "(not set)";
    if (value === REDACTED) return value;
    return JSON.stringify(value);
}

interface Row {
    resource: string;
    kind: string;
    field: string;
    pulumi: string;
    live: string;
    change: string;
}

function showChange(change: LastChange | null): string {
    return change === null ? "unknown" : `${change.time} ${change.event} by ${change.by}`;
}

function rows(drift: readonly ResourceDrift[]): Row[] {
    return drift.flatMap((d) => {
        const change = showChange(d.lastChange);
        return d.status === "deleted"
            ? [{ resource: d.name, kind: d.kind, field: "-", pulumi: `exists (${d.id})`, live: "deleted outside Pulumi", change }]
            : d.fields.map((f) => ({
                  resource: d.name,
                  kind: d.kind,
                  field: f.field,
                  pulumi: show(f.pulumi),
                  live: f.note ?? show(f.live),
                  change,
              }));
    });
}

function changeNote(report: DriftReport): string[] {
    return report.lastChangeNote === undefined ? [] : ["", `Last change: ${report.lastChangeNote}`];
}

function summary(report: DriftReport): string {
    const projects =
        report.projects === undefined
            ? `project "${report.projectId}" at ${report.endpoint}`
            : `${report.projects.length} Appwrite projects`;
    const where = `${report.stack ? `stack "${report.stack}" vs ` : ""}${projects}`;
    if (report.drift.length === 0) return `No drift: ${report.checked} resources checked (${where}).`;
    const deleted = report.drift.filter((d) => d.status === "deleted").length;
    return (
        `Drift in ${report.drift.length} of ${report.checked} resources (${where})` +
        (deleted > 0 ? `; ${deleted} deleted outside Pulumi.` : ".")
    );
}

/** A stack in several projects is reported project by project: a heading and that project's rows. */
interface Section {
    heading: string | undefined;
    rows: Row[];
}

function sections(report: DriftReport): Section[] {
    if (report.projects === undefined) return [{ heading: undefined, rows: rows(report.drift) }];
    return report.projects.map((p) => {
        const name = p.project === null ? "Default project" : `Project "${p.project}"`;
        const state = p.drifted === 0 ? `no drift in ${p.checked} resources` : `drift in ${p.drifted} of ${p.checked} resources`;
        return {
            heading: `${name} (project "${p.projectId}" at ${p.endpoint}): ${state}.`,
            rows: rows(report.drift.filter((d) => (d.project ?? null) === p.project)),
        };
    });
}

const HEADERS: Row = { resource: "RESOURCE", kind: "KIND", field: "FIELD", pulumi: "PULUMI", live: "LIVE", change: "LAST CHANGE" };
const COLUMNS: (keyof Row)[] = ["resource", "kind", "field", "pulumi", "live", "change"];

function table(report: DriftReport): string {
    const all = rows(report.drift);
    const width = (c: keyof Row) => Math.max(...[HEADERS, ...all].map((r) => r[c].length));
    const line = (r: Row) => COLUMNS.map((c, i) => (i === COLUMNS.length - 1 ? r[c] : r[c].padEnd(width(c)))).join("  ");
    const body = sections(report).flatMap((section) => [
        ...(section.heading === undefined ? [] : ["", section.heading]),
        ...(section.rows.length === 0 ? [] : [...(section.heading === undefined ? [""] : []), line(HEADERS), ...section.rows.map(line)]),
    ]);
    if (body.length === 0) return `${summary(report)}\n`;
    return [summary(report), ...body, ...changeNote(report)].join("\n") + "\n";
}

function cell(text: string): string {
    return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function markdown(report: DriftReport): string {
    const heading = report.drift.length === 0 ? "### Appwrite users: no drift" : "### Appwrite users: drift detected";
    const body = sections(report).flatMap((section) => [
        ...(section.heading === undefined ? [] : ["", `#### ${section.heading}`]),
        ...(section.rows.length === 0
            ? []
            : [
                  "",
                  "| Resource | Kind | Field | Pulumi | Live | Last change |",
                  "|---|---|---|---|---|---|",
                  ...section.rows.map(
                      (r) =>
                          `| \`${cell(r.resource)}\` | ${r.kind} | ${cell(r.field)} | \`${cell(r.pulumi)}\` | ${r.live.startsWith("deleted") ? "**deleted outside Pulumi**" : `\`${cell(r.live)}\``} | ${cell(r.change)} |`,
                  ),
              ]),
    ]);
    if (body.length === 0) return `${heading}\n\n${summary(report)}\n`;
    return [
        heading,
        "",
        summary(report),
        ...body,
        ...changeNote(report),
        "",
        "Run `pulumi up --refresh` to put the declared values back (a plain `pulumi up` does not read Appwrite), or change the program to keep the live ones.",
        "",
    ].join("\n");
}

/** Renders the report in the chosen format; every format ends with a newline. */
export function formatReport(report: DriftReport, format: Format): string {
    switch (format) {
        case "json":
            return JSON.stringify(report, null, 2) + "\n";
        case "markdown":
            return markdown(report);
        case "table":
            return table(report);
    }
}
