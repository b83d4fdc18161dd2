import * as fs from "fs";
import * as path from "path";
import { Query } from "node-appwrite";
import { settings } from "../provider/appwrite/connection";
import { type CliIO, EXIT_OK, optionsOrHelp, UsageError } from "./command";
import { connect, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./connect";
import { renderProgram, renderSeedFile, type Origin } from "./generate-render";
import { labelOption, listAllUsers, queryOption } from "./user-pages";

export const USAGE = `Usage: appwrite-users generate [--label LABEL] [--search TEXT] [--query JSON]
                               [--project NAME] [--out FILE] [--format ts|yaml] [--force]

Reads the users of the project (all of them, or those matching every filter given) and writes a Pulumi
program that declares them as they are, so that an existing project can be brought under Pulumi
(\`pulumi import\` cannot import dynamic resources):

  ts    (default) a TypeScript module declaring one UserBundle per user at its top level, named after
        the user ID, with \`adopt: true\`; a program imports it (\`import { users } from "./users"\`). The
        first \`pulumi up\` takes every user over without a single write, and a \`pulumi preview\` after
        it shows no change.
  yaml  a seed file for SeededUsers (loadSeedFile), e.g. to copy the users into a staging project.

Each user is declared with only what it has: email, phone, name, the verification, MFA and impersonator
flags that are on, labels, prefs, a block, and its messaging targets other than the ones Appwrite makes
itself for the user's email and phone. Never a password, a password hash or a session.

  --label LABEL    only users carrying LABEL
  --search TEXT    only users Appwrite's full-text search finds (name, email, phone, ID)
  --query JSON     only users matching an Appwrite query in its JSON form, e.g. from node-appwrite's
                   Query.equal("emailVerification", [true]): '{"method":"equal","attribute":"emailVerification","values":[true]}'
  --project NAME   read the project NAME of appwrite:projects (below) and declare \`project: "NAME"\` on
                   every resource, so the program manages the users there
  --out FILE       write to FILE (the format follows a .yaml, .yml or .ts extension) instead of stdout;
                   an existing FILE is refused unless --force is given

Users are read 100 per request (1,000 users: 11 requests). Exit status: 0 when the file was written,
1 on a usage error, an existing FILE without --force, or an Appwrite error (nothing is written then).

${CONNECTION_USAGE}
Needs an API key with users.read.
`;

const OPTIONS = {
    ...CONNECTION_OPTIONS,
    label: "string",
    search: "string",
    query: "string",
    out: "string",
    format: "string",
    force: "boolean",
} as const;

type Format = "ts" | "yaml";

function formatOf(option: string | undefined, out: string | undefined): Format {
    const extension = out === undefined ? "" : path.extname(out).toLowerCase();
    const fromFile: Format | undefined = extension === ".ts" ? "ts" : extension === ".yaml" || extension === ".yml" ? "yaml" : undefined;
    if (option !== undefined && option !== "ts" && option !== "yaml") throw new UsageError(`--format must be ts or yaml, not "${option}"`);
    if (option !== undefined && fromFile !== undefined && option !== fromFile)
        throw new UsageError(`--format ${option} does not match the extension of --out ${out}`);
    if (out !== undefined && option === undefined && fromFile === undefined)
        throw new UsageError(`--out ${out}: name a .ts, .yaml or .yml file, or give --format`);
    return (option as Format | undefined) ?? fromFile ?? "ts";
}

export async function runGenerate(argv: readonly string[], io: CliIO): Promise<number> {
    const options = optionsOrHelp(argv, OPTIONS, USAGE, io);
    if (options === undefined) return EXIT_OK;
    const format = formatOf(options.format, options.out);
    const label = options.label === undefined ? undefined : labelOption("label", options.label);
    const query = options.query === undefined ? undefined : queryOption(options.query);
    const out = options.out === undefined ? undefined : path.resolve(options.cwd ?? io.cwd, options.out);
    // Checked before any request, and again at the write, which never replaces a file that appeared meanwhile.
    if (out !== undefined && options.force !== true && fs.existsSync(out))
        throw new UsageError(`${options.out} exists; pass --force to overwrite it`);

    const users = await connect(io, options);
    const queries = [...(label === undefined ? [] : [Query.contains("labels", [label])]), ...(query === undefined ? [] : [query])];
    const listed = await listAllUsers(users, { queries, ...(options.search === undefined ? {} : { search: options.search }) });
    const { endpoint, projectId } = await settings(options.project);
    const filters = [label && `label ${label}`, options.search && `search "${options.search}"`, query && `query ${query}`].filter(Boolean);
    const origin: Origin = {
        endpoint,
        projectId,
        filter: filters.length === 0 ? "every user" : filters.join(", "),
        ...(options.project === undefined ? {} : { project: options.project }),
    };
    const text = format === "ts" ? renderProgram(listed, origin) : renderSeedFile(listed, origin);

    if (out === undefined) {
        io.stdout.write(text);
    } else {
        try {
            fs.writeFileSync(out, text, { flag: options.force === true ? "w" : "wx" });
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "EEXIST")
                throw new UsageError(`${options.out} exists; pass --force to overwrite it`);
            throw err;
        }
    }
    io.stderr.write(`appwrite-users generate: ${listed.length} user(s) declared${out === undefined ? "" : ` in ${options.out}`}\n`);
    return EXIT_OK;
}
