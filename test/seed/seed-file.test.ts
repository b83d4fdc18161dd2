import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { userStatusProvider } from "../../provider/resources/user-status/provider";
import { loadSeedFile, SeedFileError, validateSeed } from "../../sdk/seed-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-file-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
}

function problemsOf(run: () => unknown): string[] {
    try {
        run();
    } catch (error) {
        expect(error).toBeInstanceOf(SeedFileError);
        return (error as SeedFileError).problems;
    }
    throw new Error("expected the seed file to be rejected");
}

const alice = { id: "alice", email: "alice@example.org" };

describe("a valid seed file", () => {
    it("reads YAML with every field and fills in the defaults", () => {
        const file = write(
            "users.yaml",
            [
                "users:",
                "  - id: alice",
                "    email: Alice@Example.org",
                '    phone: "+14155550100"',
                "    name: Alice",
                "    labels: [tester, beta]",
                "    prefs: { locale: en, theme: { dark: true } }",
                "    blocked: true",
                "    targets:",
                "      - { targetId: alice-push, providerType: push, identifier: device-token-1, name: Phone }",
                "  - id: bob",
            ].join("\n"),
        );
        expect(loadSeedFile(file, dir)).toEqual([
            {
                id: "alice",
                email: "Alice@Example.org",
                phone: "+14155550100",
                name: "Alice",
                labels: ["tester", "beta"],
                prefs: { locale: "en", theme: { dark: true } },
                blocked: true,
                targets: [{ targetId: "alice-push", providerType: "push", identifier: "device-token-1", name: "Phone" }],
            },
            { id: "bob", labels: [], prefs: {}, targets: [], blocked: false },
        ]);
    });

    it("reads JSON as a bare list of users", () => {
        const file = write("users.json", JSON.stringify([alice, { id: "bob", labels: ["qa"] }]));
        expect(loadSeedFile(file, dir).map((u) => u.id)).toEqual(["alice", "bob"]);
    });

    it("lets a target take over the email target Appwrite makes for the user's own address", () => {
        const users = validateSeed("users.yaml", [
            { ...alice, targets: [{ targetId: "alice-mail", providerType: "email", identifier: "ALICE@example.org" }] },
        ]);
        expect(users[0]?.targets).toHaveLength(1);
    });
});

describe("seed file errors name the file, the entry and the field, and say what is allowed", () => {
    it("rejects a user ID Appwrite would refuse", () => {
        expect(problemsOf(() => validateSeed("users.yaml", [alice, { id: "_bad id" }]))).toEqual([
            'users.yaml: users[1] (id "_bad id"), field "id": must be 1 to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a period, hyphen or underscore',
        ]);
    });

    it("rejects an entry without an ID", () => {
        expect(problemsOf(() => validateSeed("users.yaml", [{ email: "x@example.org" }]))).toEqual([
            'users.yaml: users[0] (no valid id), field "id": is required: 1 to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a period, hyphen or underscore',
        ]);
    });

    it("rejects a malformed email", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "carol", email: "carol@localhost" }]));
        expect(problem).toBe(
            'users.yaml: users[0] (id "carol"), field "email": must be a valid email address such as ada@example.org (ASCII, one @, a domain with a dot)',
        );
    });

    it("rejects a phone that is not E.164", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "dave", phone: "0415 555 0100" }]));
        expect(problem).toBe(
            `users.yaml: users[0] (id "dave"), field "phone": must be an E.164 number: '+', then 7 to 15 digits starting with a calling code Appwrite knows, e.g. +14155550100 (codes such as +92 are refused)`,
        );
    });

    it("explains that an unquoted YAML phone was read as a number", () => {
        const file = write("numbers.yaml", "- id: erin\n  phone: +14155550100\n");
        expect(problemsOf(() => loadSeedFile(file, dir))).toEqual([
            'numbers.yaml: users[0] (id "erin"), field "phone": must be text, but YAML read an unquoted number (14155550100): put the value in quotes, as written',
        ]);
    });

    it("rejects a label with characters other than letters and digits", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "frank", labels: ["ok", "not-ok"] }]));
        expect(problem).toBe(
            'users.yaml: users[0] (id "frank"), field "labels[1]": must be 1 to 36 ASCII letters or digits (A-Z, a-z, 0-9), no spaces, hyphens or underscores',
        );
    });

    it("rejects prefs that are not a map", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "gina", prefs: ["dark"] }]));
        expect(problem).toBe(
            'users.yaml: users[0] (id "gina"), field "prefs": must be a JSON object of at most 65535 bytes as Appwrite measures it, e.g. { locale: "en" }',
        );
    });

    it("rejects prefs over Appwrite's 64 kB limit", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "gina", prefs: { blob: "x".repeat(70_000) } }]));
        expect(problem).toMatch(
            /^users\.yaml: users\[0\] \(id "gina"\), field "prefs": is 70011 bytes as Appwrite measures it .*; at most 65535 bytes are allowed$/,
        );
    });

    it("keeps an impersonator flag and leaves it out where the entry has none", () => {
        const [support, plain] = validateSeed("users.yaml", [{ id: "support", impersonator: true }, { id: "plain" }]);
        expect(support?.impersonator).toBe(true);
        expect(plain).not.toHaveProperty("impersonator");
    });

    it("rejects an impersonator flag that is not a boolean", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "ivy", impersonator: "yes" }]));
        expect(problem).toBe(
            'users.yaml: users[0] (id "ivy"), field "impersonator": must be true or false: whether the user may impersonate other users',
        );
    });

    it("rejects a prefs value JSON cannot hold, such as YAML's .nan, with its path", () => {
        const file = write("nan.yaml", "- id: gina\n  prefs:\n    limits: [1, .nan]\n    ratio: .inf\n");
        expect(problemsOf(() => loadSeedFile(file, dir))).toEqual([
            'nan.yaml: users[0] (id "gina"), field "prefs.limits[1]": is NaN, which JSON cannot hold: use a finite number, null or a string',
            'nan.yaml: users[0] (id "gina"), field "prefs.ratio": is Infinity, which JSON cannot hold: use a finite number, null or a string',
        ]);
    });

    it("rejects a blocked flag that is not a boolean", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "hank", blocked: "yes" }]));
        expect(problem).toBe(
            'users.yaml: users[0] (id "hank"), field "blocked": must be true or false: true blocks the user, false lets them sign in',
        );
    });

    it("rejects a target of an unknown provider type and an identifier that does not fit its type", () => {
        const problems = problemsOf(() =>
            validateSeed("users.yaml", [
                {
                    id: "ivy",
                    targets: [
                        { targetId: "ivy-fax", providerType: "fax", identifier: "123" },
                        { targetId: "ivy-sms", providerType: "sms", identifier: "not-a-phone" },
                    ],
                },
            ]),
        );
        expect(problems).toEqual([
            'users.yaml: users[0] (id "ivy"), field "targets[0].providerType": must be email, sms or push, in lower case',
            `users.yaml: users[0] (id "ivy"), field "targets[1].identifier": must be an E.164 number: '+', then 7 to 15 digits starting with a calling code Appwrite knows, e.g. +14155550100 (codes such as +92 are refused) for an sms target`,
        ]);
    });

    it("rejects unknown fields and lists the allowed ones", () => {
        const problems = problemsOf(() =>
            validateSeed("users.yaml", [
                { id: "jo", mail: "jo@example.org", targets: [{ targetId: "t", providerType: "push", identifier: "x", extra: 1 }] },
            ]),
        );
        expect(problems).toEqual([
            'users.yaml: users[0] (id "jo"), field "targets[0].extra": is not a known field (known: targetId, providerType, identifier, providerId, name)',
            'users.yaml: users[0] (id "jo"), field "mail": is not a known field; did you mean `email`? (known: id, email, phone, name, impersonator, labels, prefs, targets, blocked)',
        ]);
    });

    it("words an unknown field as check words an unknown input: the closest name first", async () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "jo", blocke: true }]));
        const failure = (await userStatusProvider.check!({}, { userId: "jo", blocked: true, blocke: true })).failures?.[0];
        expect(problem).toBe(
            'users.yaml: users[0] (id "jo"), field "blocke": is not a known field; did you mean `blocked`? (known: id, email, phone, name, impersonator, labels, prefs, targets, blocked)',
        );
        expect(failure?.reason).toBe(
            "is not a known input of UserStatus; did you mean `blocked`? (known: userId, blocked, endSessions, project)",
        );
    });

    it("does not call a wrong boolean a YAML number", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "hank", blocked: 1 }]));
        expect(problem).toBe(
            'users.yaml: users[0] (id "hank"), field "blocked": must be true or false: true blocks the user, false lets them sign in',
        );
    });

    it("refuses a password in the seed file and says where passwords come from", () => {
        const [problem] = problemsOf(() => validateSeed("users.yaml", [{ id: "kim", password: "hunter22" }]));
        expect(problem).toBe(
            'users.yaml: users[0] (id "kim"), field "password": is not allowed: seeded passwords are derived from passwordSecret and the user ID, so none is written in the seed file',
        );
    });

    it("reports every problem of every entry at once", () => {
        const error = (() => {
            try {
                validateSeed("users.yaml", [
                    { id: "a", email: "nope" },
                    { id: "b", phone: "12" },
                ]);
            } catch (e) {
                return e as SeedFileError;
            }
            throw new Error("expected a SeedFileError");
        })();
        expect(error.problems).toHaveLength(2);
        expect(error.message.split("\n")[0]).toBe("users.yaml: 2 problems in the seed file:");
    });
});

describe("duplicates inside the file are errors", () => {
    it("reports a duplicate email together with another entry's bad email, and an entry's duplicate ID together with its bad field", () => {
        const problems = problemsOf(() =>
            validateSeed("users.yaml", [
                alice,
                { id: "alice2", email: "Alice@example.org" },
                { id: "bob", email: "bob@localhost" },
                { id: "alice", phone: "12" },
            ]),
        );
        expect(problems).toEqual([
            'users.yaml: users[2] (id "bob"), field "email": must be a valid email address such as ada@example.org (ASCII, one @, a domain with a dot)',
            expect.stringMatching(/^users\.yaml: users\[3\] \(id "alice"\), field "phone": must be an E\.164 number/),
            'users.yaml: users[1] (id "alice2"), field "email": duplicate email "alice@example.org", already used by users[0] (id "alice"); each must be unique in the file',
            'users.yaml: users[3] (id "alice"), field "id": duplicate user ID "alice", already used by users[0] (id "alice"); each must be unique in the file',
        ]);
    });

    it("rejects a user ID used twice", () => {
        expect(problemsOf(() => validateSeed("users.yaml", [alice, { id: "alice" }]))).toEqual([
            'users.yaml: users[1] (id "alice"), field "id": duplicate user ID "alice", already used by users[0] (id "alice"); each must be unique in the file',
        ]);
    });

    it("rejects an email used twice, whatever its case", () => {
        expect(problemsOf(() => validateSeed("users.yaml", [alice, { id: "alice2", email: "ALICE@example.org" }]))).toEqual([
            'users.yaml: users[1] (id "alice2"), field "email": duplicate email "alice@example.org", already used by users[0] (id "alice"); each must be unique in the file',
        ]);
    });

    it("rejects a phone used twice", () => {
        const problems = problemsOf(() =>
            validateSeed("users.yaml", [
                { id: "p1", phone: "+14155550100" },
                { id: "p2", phone: "+14155550100" },
            ]),
        );
        expect(problems).toEqual([
            'users.yaml: users[1] (id "p2"), field "phone": duplicate phone "+14155550100", already used by users[0] (id "p1"); each must be unique in the file',
        ]);
    });

    it("rejects a target ID used twice and a target that names another user's email", () => {
        const problems = problemsOf(() =>
            validateSeed("users.yaml", [
                { ...alice, targets: [{ targetId: "t1", providerType: "push", identifier: "token-a" }] },
                {
                    id: "bob",
                    targets: [
                        { targetId: "t1", providerType: "push", identifier: "token-b" },
                        { targetId: "t2", providerType: "email", identifier: "alice@example.org" },
                    ],
                },
            ]),
        );
        expect(problems).toEqual([
            'users.yaml: users[1] (id "bob"), field "targets[0].targetId": duplicate target ID "t1", already used by users[0] (id "alice"); each must be unique in the file',
            'users.yaml: users[1] (id "bob"), field "targets[1].identifier": "alice@example.org" is the email of users[0] (id "alice"); a target identifier must be unique in the project',
        ]);
    });
});

describe("target identifiers collide whatever their case, as in Appwrite's unique index", () => {
    it("rejects a push token that another user's target has in another case", () => {
        const problems = problemsOf(() =>
            validateSeed("users.yaml", [
                { id: "ann", targets: [{ targetId: "ann-phone", providerType: "push", identifier: "Token-ABC" }] },
                { id: "ben", targets: [{ targetId: "ben-phone", providerType: "push", identifier: "token-abc" }] },
            ]),
        );
        expect(problems).toEqual([
            'users.yaml: users[1] (id "ben"), field "targets[0].identifier": duplicate target identifier "token-abc", already used by users[0] (id "ann"); each must be unique in the file',
        ]);
    });
});

describe("file-level errors", () => {
    it("names a file that cannot be read", () => {
        const [problem] = problemsOf(() => loadSeedFile("missing.yaml", dir));
        expect(problem).toMatch(/^missing\.yaml: cannot read the seed file \(ENOENT/);
    });

    it("names a file type that is not YAML or JSON", () => {
        expect(problemsOf(() => loadSeedFile("users.csv", dir))).toEqual([
            'users.csv: unknown seed file type ".csv"; use .yaml, .yml or .json',
        ]);
    });

    it("reports YAML syntax errors with their position", () => {
        const file = write("broken.yaml", "- id: a\n  labels: [x,\n");
        const [problem] = problemsOf(() => loadSeedFile(file, dir));
        expect(problem).toMatch(/^broken\.yaml: not valid YAML: .*line \d+/s);
    });

    it("reports JSON syntax errors", () => {
        const file = write("broken.json", "[{");
        const [problem] = problemsOf(() => loadSeedFile(file, dir));
        expect(problem).toMatch(/^broken\.json: not valid JSON: /);
    });

    it.each([
        ["an empty YAML file", "empty.yaml", ""],
        ["a YAML file of only comments", "comments.yml", "# staging users\n# (none yet)\n"],
        ["an empty JSON file", "empty.json", "  \n"],
    ])("says that %s is empty", (_case, name, text) => {
        const file = write(name, text);
        expect(problemsOf(() => loadSeedFile(file, dir))).toEqual([
            `${name}: the seed file is empty; list the users in it, e.g. "users:" then "  - id: alice"`,
        ]);
    });

    it("rejects a file that is not a list of users", () => {
        const file = write("map.yaml", "alice: {}\n");
        expect(problemsOf(() => loadSeedFile(file, dir))).toEqual(['map.yaml: must be a list of users, or a map with a "users" list']);
    });
});
