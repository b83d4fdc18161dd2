import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * Documented invocations of `appwrite-users` run this package's own bin, so a project that lacks the
 * package fails instead of running whatever the registry serves under that name; and the CI guide's
 * workflow masks the secrets it sends to `$GITHUB_ENV`.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const SUBCOMMANDS = "exec|session|jwt|token|mfa-codes|mfa-reset|mfa-totp|drift|sweep|generate";
const GUIDE = path.join(ROOT, "docs", "guides", "test-users-in-ci.md");

function filesUnder(dir: string, ext: RegExp): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const file = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : filesUnder(file, ext);
        return ext.test(e.name) ? [file] : [];
    });
}

/** Code lines: fenced blocks of Markdown, every line of workflow files. */
function codeLines(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    if (!file.endsWith(".md")) return text.split("\n");
    return [...text.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].flatMap((m) => (m[1] ?? "").split("\n"));
}

const documents = [
    path.join(ROOT, "README.md"),
    ...filesUnder(path.join(ROOT, "docs"), /\.md$/),
    ...filesUnder(path.join(ROOT, "examples"), /\.(ya?ml|md|sh)$/),
];

describe("documented appwrite-users invocations", () => {
    it("all run the installed bin with npm exec --no or node_modules/.bin", () => {
        const invocations = documents.flatMap((file) =>
            codeLines(file)
                .filter((line) => new RegExp(`\\bappwrite-users (${SUBCOMMANDS})\\b`).test(line) && !/^\s*(#|\/\/)/.test(line))
                .map((line) => `${path.relative(ROOT, file)}: ${line.trim()}`),
        );
        expect(invocations.length).toBeGreaterThan(10);
        const foreign = invocations.filter((line) => !/(npm exec --no -- |node_modules\/\.bin\/)appwrite-users /.test(line));
        expect(foreign).toEqual([]);
        expect(invocations.filter((line) => /\bnpx\b/.test(line))).toEqual([]);
    });
});

describe("the CI guide's workflow", () => {
    // The whole workflow that hands credentials to later steps; the guide's other YAML blocks are single steps.
    const yamlBlocks = [...fs.readFileSync(GUIDE, "utf8").matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");
    const block = yamlBlocks.find((yaml) => /^jobs:/m.test(yaml) && yaml.includes("GITHUB_ENV")) ?? "";
    const workflow = parse(block) as { jobs: Record<string, { steps: { run?: string; env?: Record<string, string> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const handing = steps.find((s) => s.run?.includes("GITHUB_ENV"));

    it("installs the locked dependencies first, and gives the API key only to the steps that make and delete credentials", () => {
        expect(steps.findIndex((s) => s.run === "npm ci")).toBeLessThan(steps.indexOf(handing!));
        const tests = steps.find((s) => s.run === "npm run test:e2e");
        expect(tests?.env?.APPWRITE_API_KEY).toBeUndefined();
        expect(handing?.env?.APPWRITE_API_KEY).toBe("${{ secrets.APPWRITE_API_KEY }}");
    });

    it("masks the session secret, the JWT and the token secret before they reach $GITHUB_ENV, and hands on every line", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-guide-"));
        try {
            // A stand-in for `npm exec --no -- appwrite-users <command>`, printing what the command prints.
            const printed: Record<string, string> = {
                session:
                    "APPWRITE_USER_ID=staging-user-01\nAPPWRITE_SESSION_ID=s1\nAPPWRITE_SESSION_SECRET=c2Vzc2lvbi1zZWNyZXQ=\nAPPWRITE_SESSION_EXPIRE=2027-01-01T00:00:00.000+00:00",
                jwt: "APPWRITE_JWT=eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOiJ4In0.c2ln",
                token: "APPWRITE_USER_ID=staging-user-01\nAPPWRITE_TOKEN_ID=t1\nAPPWRITE_TOKEN_SECRET=a1b2c3\nAPPWRITE_TOKEN_EXPIRE=2027-01-01T00:00:00.000+00:00",
            };
            const bin = path.join(dir, "bin");
            fs.mkdirSync(bin);
            fs.writeFileSync(
                path.join(bin, "npm"),
                `#!/bin/sh\n[ "$1 $2 $3 $4" = "exec --no -- appwrite-users" ] || exit 9\ncase "$5" in\n${Object.entries(printed)
                    .map(([cmd, out]) => `  ${cmd}) printf '%s\\n' '${out.replace(/\n/g, "' '")}' ;;`)
                    .join("\n")}\n  *) exit 8 ;;\nesac\n`,
                { mode: 0o755 },
            );
            const githubEnv = path.join(dir, "github.env");
            const run = spawnSync("bash", ["-e", "-c", handing!.run!], {
                cwd: dir,
                encoding: "utf8",
                env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_ENV: githubEnv },
            });
            expect(run.status, run.stderr).toBe(0);
            const all = Object.values(printed).join("\n").split("\n");
            const secrets = all
                .filter((line) => /^(APPWRITE_SESSION_SECRET|APPWRITE_JWT|APPWRITE_TOKEN_SECRET)=/.test(line))
                .map((line) => line.slice(line.indexOf("=") + 1));
            expect(run.stdout.split("\n").filter((l) => l !== "")).toEqual(secrets.map((s) => `::add-mask::${s}`));
            expect(fs.readFileSync(githubEnv, "utf8").trim().split("\n")).toEqual(all);
            expect(fs.existsSync(path.join(dir, "credentials.env"))).toBe(false);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
