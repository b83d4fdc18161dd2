import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../../cli/drift-args";

const parse = (argv: string[], stdinIsTTY = true) => parseArgs(argv.slice(1), stdinIsTTY, "/project");

describe("appwrite-users arguments", () => {
    it("reads a state file with the table format by default", () => {
        expect(parse(["drift", "state.json"])).toEqual({
            help: false,
            format: "table",
            allowEmpty: false,
            source: { kind: "file", path: "state.json" },
        });
    });

    it("takes --allow-empty, which has no value", () => {
        expect(parse(["drift", "--allow-empty", "state.json"])).toMatchObject({
            allowEmpty: true,
            source: { kind: "file", path: "state.json" },
        });
        expect(() => parse(["drift", "--allow-empty=yes", "state.json"])).toThrow("--allow-empty takes no value");
    });

    it("reads stdin for - and when the state is piped in", () => {
        expect(parse(["drift", "-", "--format", "json"])).toMatchObject({ source: { kind: "stdin" }, format: "json" });
        expect(parse(["drift", "--format=markdown"], false)).toMatchObject({ source: { kind: "stdin" }, format: "markdown" });
    });

    it("exports a stack with --stack, from --cwd or the current directory", () => {
        expect(parse(["drift", "--stack", "staging"])).toMatchObject({ source: { kind: "stack", name: "staging", cwd: "/project" } });
        expect(parse(["drift", "--stack=staging", "--cwd", "infra"])).toMatchObject({
            source: { kind: "stack", name: "staging", cwd: "infra" },
        });
    });

    it("shows help for -h and --help", () => {
        for (const argv of [
            ["drift", "-h"],
            ["drift", "--help"],
        ])
            expect(parse(argv)).toEqual({ help: true });
    });

    it("rejects what it does not understand, saying what is allowed", () => {
        const cases: [string[], string][] = [
            [["drift", "--format", "xml", "s.json"], '--format must be one of table, json, markdown, not "xml"'],
            [["drift", "--verbose"], 'unknown option "--verbose"'],
            [["drift", "--stack"], "--stack needs a value"],
            [["drift", "a.json", "b.json"], "give one state file, not 2: a.json b.json"],
            [["drift", "a.json", "--stack", "dev"], "give either a state file or --stack, not both"],
            [["drift"], "no state given: pass a file from `pulumi stack export`, pipe it in, or use --stack NAME"],
        ];
        for (const [argv, message] of cases) {
            expect(() => parse(argv)).toThrow(UsageError);
            expect(() => parse(argv)).toThrow(message);
        }
    });
});
