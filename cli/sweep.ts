import { Query, type Users } from "node-appwrite";
import { appwriteUsers } from "../provider/appwrite/connection";
import { configure } from "../provider/index";
import { describeRequestError, isNotFound } from "../provider/appwrite/errors";
import { retrying } from "../provider/appwrite/retry";
import { isProductionStack, PRODUCTION_STACKS_KEY, productionStacksFromConfig } from "../sdk/seed-guard";
import { type CliIO, EXIT_ERROR, EXIT_OK, optionsOrHelp, required, UsageError } from "./command";
import { CONNECTION_USAGE } from "./connect";
import { asProviderConfig, partialCredentials, resolveCredentials } from "./credentials";
import type { StateSource } from "./drift-args";
import { loadStack } from "./drift-source";
import { managedUserIds } from "./managed-users";
import { labelOption, listAllUsers, type ListedUser } from "./user-pages";

export const USAGE = `Usage: appwrite-users sweep --label LABEL --older-than DURATION [--yes]
                            [--stack NAME [--cwd DIR] | --state FILE|-] [--project NAME] [--allow-production]
                            [--format text|json]

Deletes the users that carry LABEL and were registered more than DURATION ago (e.g. 90m, 2h, 7d, 1w;
units s, m, h, d, w, combinable as 1d12h), such as the test users a killed CI job left behind (see
\`appwrite-users exec --label\`). Without --yes it only lists them (a dry run); with --yes it deletes them,
reporting each deletion and each failure.

  --stack NAME          never delete a user that this stack manages (its state is read through the
                        pulumi CLI); its config also gives the settings (below)
  --state FILE|-        the same from the output of \`pulumi stack export\` in FILE or on stdin
  --project NAME        sweep the project NAME of appwrite:projects instead of the default one; the
                        users the stack manages there are spared
  --allow-production    sweep although the stack is a production stack: one whose name has the word
                        prod or production, or that ${PRODUCTION_STACKS_KEY} lists (as for SeededUsers)

Exit status: 0 when every listed user was deleted (or, without --yes, listed); 1 when a deletion failed,
or on a usage or connection error (nothing is deleted then).

${CONNECTION_USAGE}
Needs an API key with users.read, and users.write to delete.
`;

const OPTIONS = {
    stack: "string",
    cwd: "string",
    state: "string",
    project: "string",
    label: "string",
    "older-than": "string",
    yes: "boolean",
    "allow-production": "boolean",
    format: "string",
} as const;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `2h`, `7d`, `1d12h`: a positive duration in milliseconds, or a usage error showing the form. */
function parseDuration(value: string): number {
    const parts = [...value.matchAll(/(\d+)([smhdw])/g)];
    const total = parts.reduce((ms, [, n, unit]) => ms + Number(n) * (UNIT_SECONDS[unit as string] as number) * 1000, 0);
    if (parts.map((p) => p[0]).join("") !== value || total <= 0) {
        throw new UsageError(`--older-than must be a duration such as 90m, 2h, 7d or 1d12h (units s, m, h, d, w), not "${value}"`);
    }
    return total;
}

/** The settings (those of the default project unless a project is named). */
function credentialsFor(io: CliIO, config: Record<string, string>, project: string | undefined) {
    const warn = (line: string) => io.stderr.write(`appwrite-users sweep: warning: ${line}\n`);
    return project === undefined ? resolveCredentials(io.env, config, warn) : partialCredentials(io.env, config, warn);
}

/**
 * The settings, and the users the stack manages in the swept project (none without a stack), refusing a
 * production stack unless allowed.
 */
async function prepare(
    io: CliIO,
    options: { stack?: string; cwd?: string; state?: string; project?: string; "allow-production"?: boolean },
): Promise<Set<string>> {
    if (options.stack !== undefined && options.state !== undefined) throw new UsageError("give either --stack or --state, not both");
    const source: StateSource | undefined =
        options.stack !== undefined
            ? { kind: "stack", name: options.stack, cwd: options.cwd ?? io.cwd }
            : options.state === "-"
              ? { kind: "stdin" }
              : options.state !== undefined
                ? { kind: "file", path: options.state }
                : undefined;
    if (source === undefined) {
        configure({ config: asProviderConfig(credentialsFor(io, {}, options.project)) });
        return new Set();
    }
    const { state, config } = await loadStack(source, io.stdin);
    const stack = options.stack ?? state.stack;
    const productionStacks = productionStacksFromConfig({ get: (key) => config[`appwrite-users:${key}`] });
    if (options["allow-production"] !== true && stack !== undefined && isProductionStack(stack, productionStacks)) {
        const reason = productionStacks.includes(stack)
            ? `it is listed in ${PRODUCTION_STACKS_KEY}`
            : 'its name says production (a word "prod" or "production")';
        throw new UsageError(
            `refusing to sweep for stack "${stack}": ${reason}. If you really mean to delete users there, pass --allow-production.`,
        );
    }
    configure({ config: asProviderConfig(credentialsFor(io, config, options.project)) });
    return managedUserIds(state, options.project);
}

async function deleteUser(users: Users, userId: string): Promise<void> {
    await retrying(() => users.delete({ userId })).catch((err: unknown) => {
        // Deleted meanwhile (by another sweep, say): what was asked for is done.
        if (!isNotFound(err)) throw describeRequestError(`deleting user "${userId}"`, err);
    });
}

const describe = (user: ListedUser) => `${user.$id}\t${user.email || user.phone || "-"}\tregistered ${user.registration}`;

export async function runSweep(argv: readonly string[], io: CliIO): Promise<number> {
    const options = optionsOrHelp(argv, OPTIONS, USAGE, io);
    if (options === undefined) return EXIT_OK;
    if (options.label === undefined)
        throw new UsageError(
            "--label is required: sweep deletes only users that carry a label, e.g. the one given to `appwrite-users exec --label`",
        );
    const label = labelOption("label", options.label);
    const olderThan = parseDuration(required("older-than", options["older-than"]));
    const format = options.format ?? "text";
    if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not "${format}"`);
    const managed = await prepare(io, options);
    const users = await appwriteUsers(options.project);

    const cutoff = new Date(Date.now() - olderThan).toISOString();
    const listed = await listAllUsers(users, { queries: [Query.contains("labels", [label]), Query.lessThan("registration", cutoff)] });
    // Checked again here: the sweep must never rest on a filter alone.
    const old = listed.filter((user) => user.labels.includes(label) && Date.parse(user.registration) < Date.parse(cutoff));
    const spared = old.filter((user) => managed.has(user.$id));
    const doomed = old.filter((user) => !managed.has(user.$id));
    for (const user of spared) io.stderr.write(`appwrite-users sweep: sparing user "${user.$id}": the stack manages it\n`);

    if (options.yes !== true) {
        if (format === "json")
            io.stdout.write(
                `${JSON.stringify({ dryRun: true, label, registeredBefore: cutoff, users: doomed.map((u) => ({ userId: u.$id, email: u.email, phone: u.phone, registration: u.registration })), spared: spared.map((u) => u.$id) }, null, 2)}\n`,
            );
        else for (const user of doomed) io.stdout.write(`${describe(user)}\n`);
        io.stderr.write(
            `appwrite-users sweep: dry run: ${doomed.length} user(s) with label "${label}" registered before ${cutoff} would be deleted; pass --yes to delete them\n`,
        );
        return EXIT_OK;
    }

    const deleted: string[] = [];
    const failed: { userId: string; error: string }[] = [];
    for (const user of doomed) {
        try {
            await deleteUser(users, user.$id);
            deleted.push(user.$id);
            if (format === "text") io.stdout.write(`deleted ${describe(user)}\n`);
        } catch (err) {
            failed.push({ userId: user.$id, error: (err as Error).message });
            io.stderr.write(`appwrite-users sweep: failed to delete user "${user.$id}": ${(err as Error).message}\n`);
        }
    }
    if (format === "json")
        io.stdout.write(
            `${JSON.stringify({ dryRun: false, label, registeredBefore: cutoff, deleted, failed, spared: spared.map((u) => u.$id) }, null, 2)}\n`,
        );
    io.stderr.write(
        `appwrite-users sweep: deleted ${deleted.length} user(s)${failed.length > 0 ? `; ${failed.length} could not be deleted` : ""}\n`,
    );
    return failed.length > 0 ? EXIT_ERROR : EXIT_OK;
}
