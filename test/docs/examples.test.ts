import * as fs from "node:fs";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO, userDocs } from "../support/readme";

/**
 * The examples as a user copies them: each folder says in its README how to run it, with only the scripts and
 * files the folder has, and the package's command is run as the project's own (`npm exec --no --`), never through
 * a bare `npx`, which would fetch whatever package the registry has under that name when none is installed.
 */

const EXAMPLES = path.join(REPO, "examples");
const examples = fs.readdirSync(EXAMPLES).filter((name) => fs.statSync(path.join(EXAMPLES, name)).isDirectory());
const shellBlocks = (markdown: string) => [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");

describe("each example", () => {
    it.each(examples)("%s has a README whose commands use only its own npm scripts and files", (example) => {
        const dir = path.join(EXAMPLES, example);
        const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
        const blocks = shellBlocks(readme);
        expect(blocks.length).toBeGreaterThan(0);
        const manifest = fs.existsSync(path.join(dir, "package.json"))
            ? (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts?: Record<string, string> })
            : { scripts: {} };
        const scripts = blocks.flatMap((block) => [...block.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1] ?? ""));
        expect(scripts.filter((name) => manifest.scripts?.[name] === undefined)).toEqual([]);
        const files = [...readme.matchAll(/`([\w.-]+\.(?:ya?ml|ts|mjs|json))`/g)].map((m) => m[1] ?? "");
        expect(
            files.filter(
                (file) =>
                    !["Pulumi.yaml", "package.json"].includes(file) &&
                    !fs.existsSync(path.join(dir, file)) &&
                    !fs.existsSync(path.join(dir, "e2e", file)),
            ),
        ).toEqual([]);
    });

    it.each(examples.filter((example) => fs.existsSync(path.join(EXAMPLES, example, "Pulumi.yaml"))))(
        "%s carries no stack config, so a copy is not tied to this repository's passphrase",
        (example) => {
            expect(fs.readdirSync(path.join(EXAMPLES, example)).filter((file) => /^Pulumi\..+\.ya?ml$/.test(file))).toEqual([]);
            expect(fs.existsSync(path.join(EXAMPLES, example, "tsconfig.json"))).toBe(true);
        },
    );
});

describe("the docs and examples", () => {
    it("run the appwrite-users command with npm exec --no, never a bare npx", () => {
        const files = [
            ...userDocs(),
            ...examples.flatMap((example) =>
                fs
                    .readdirSync(path.join(EXAMPLES, example))
                    .filter((f) => f.endsWith(".yml"))
                    .map((f) => `examples/${example}/${f}`),
            ),
        ];
        const text = files.map((file) => fs.readFileSync(path.join(REPO, file), "utf8")).join("\n");
        expect(text).toContain("npm exec --no -- appwrite-users");
        expect(files.filter((file) => /\bnpx appwrite-users/.test(fs.readFileSync(path.join(REPO, file), "utf8")))).toEqual([]);
    });
});

describe("examples/e2e-as-seeded-user", () => {
    const dir = path.join(EXAMPLES, "e2e-as-seeded-user");

    it("has a workflow that installs the project, seeds the users, then runs the tests under appwrite-users exec", () => {
        const workflow = parse(fs.readFileSync(path.join(dir, "e2e-as-seeded-user.yml"), "utf8")) as {
            jobs: Record<string, { steps: { run?: string }[] }>;
        };
        const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ""));
        const install = runs.findIndex((run) => /^npm (install|ci)\b/.test(run));
        const seed = runs.findIndex((run) => run.startsWith("pulumi up --stack"));
        const exec = runs.findIndex((run) => run.startsWith("npm exec --no -- appwrite-users exec --user e2e-user-01 --jwt --stack"));
        expect([install >= 0, seed > install, exec > seed]).toEqual([true, true, true]);
        expect(runs[exec]).toMatch(/ -- npm run test:e2e$/);
        const seedFile = parse(fs.readFileSync(path.join(dir, "users.yaml"), "utf8")) as { users: { id: string }[] };
        expect(seedFile.users.map((user) => user.id)).toContain("e2e-user-01");
    });

    it("has a test that, run without exec, says how to run it instead of failing obscurely", async () => {
        const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("APPWRITE_")));
        // The script as package.json has it, with this Node first on PATH, as `npm run test:e2e` runs it.
        const script =
            (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts[
                "test:e2e"
            ] ?? "";
        env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${env.PATH ?? ""}`;
        const result = await promisify(execFile)("sh", ["-c", script], { cwd: dir, env }).then(
            () => ({ code: 0, output: "" }),
            (error: { code?: number; stdout?: string; stderr?: string }) => ({
                code: error.code,
                output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
            }),
        );
        expect(result.code).toBe(1);
        expect(result.output).toContain(
            "APPWRITE_ENDPOINT is not set: run this with appwrite-users exec --user ID --jwt -- npm run test:e2e",
        );
    });
});
