import { describe, expect, it } from "vitest";
import { parseStackExport, StateError } from "../../cli/drift-state";

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const urn = (type: string, name: string) => `urn:pulumi:staging::seed::${type}::${name}`;

const exported = {
    version: 3,
    deployment: {
        resources: [
            { urn: urn("pulumi:pulumi:Stack", "seed-staging"), custom: false, type: "pulumi:pulumi:Stack" },
            {
                urn: urn("pulumi:providers:pulumi-nodejs", "default"),
                custom: true,
                id: "p1",
                type: "pulumi:providers:pulumi-nodejs",
                inputs: {
                    "appwrite:endpoint": "https://a.example.org/v1",
                    "appwrite:projectId": "p",
                    "appwrite:apiKey": { ...SIG, ciphertext: "x" },
                },
            },
            {
                urn: urn("pulumi-nodejs:dynamic/appwrite:User", "ada"),
                custom: true,
                id: "ada",
                type: "pulumi-nodejs:dynamic/appwrite:User",
                inputs: { userId: "ada", password: { ...SIG, ciphertext: "abc" } },
                outputs: { userId: "ada", password: { ...SIG, plaintext: '"Sd1!x"' } },
            },
            {
                urn: urn("pulumi-nodejs:dynamic/appwrite:UserLabels", "old"),
                custom: true,
                id: "old",
                type: "pulumi-nodejs:dynamic/appwrite:UserLabels",
                delete: true,
            },
            { urn: urn("pulumi-nodejs:dynamic/other:Thing", "t"), custom: true, id: "t", type: "pulumi-nodejs:dynamic/other:Thing" },
        ],
    },
};

describe("reading a pulumi stack export", () => {
    const state = parseStackExport(JSON.stringify(exported), "state.json");

    it("keeps only this package's live resources", () => {
        expect(state.resources.map((r) => `${r.kind} ${r.name} ${r.id}`)).toEqual(["User ada ada"]);
        expect(state.stack).toBe("staging");
    });

    it("unwraps plaintext secrets, keeps encrypted ones wrapped and remembers both as secret", () => {
        const [user] = state.resources;
        expect(user?.outputs.password).toBe("Sd1!x");
        expect(user?.inputs.password).toEqual({ ...SIG, ciphertext: "abc" });
        expect(user?.secrets).toEqual(["password"]);
    });

    it("takes the plaintext stack config from the default provider", () => {
        expect(state.config).toEqual({ "appwrite:endpoint": "https://a.example.org/v1", "appwrite:projectId": "p" });
    });

    it("explains input that is not a version 3 stack export", () => {
        expect(() => parseStackExport("{", "state.json")).toThrow(StateError);
        expect(() => parseStackExport("{", "state.json")).toThrow(
            /^state\.json is not JSON: .*Give the output of `pulumi stack export`\.$/,
        );
        expect(() => parseStackExport(JSON.stringify({ version: 2, deployment: {} }), "old.json")).toThrow(
            "old.json is a deployment of version 2; this tool reads version 3 (Pulumi 3.x).",
        );
    });
});
