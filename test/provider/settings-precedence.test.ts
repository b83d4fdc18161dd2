import { describe, expect, it } from "vitest";
import { resolveCredentials } from "../../cli/credentials";
import { conflictWarning, CONNECTION_SETTINGS, resolveSettings } from "../../provider/appwrite/connection";

/**
 * One precedence rule for the connection settings, shared by the provider, the SDK's helpers and every
 * `appwrite-users` command: the stack config wins over the environment, key by key, with a warning naming
 * both sources when both are set and differ.
 */

const stack = {
    "appwrite:endpoint": "https://staging.example.com/v1",
    "appwrite:projectId": "staging",
    "appwrite:apiKey": "standard_staging-key",
};
const leftOver = { APPWRITE_ENDPOINT: "https://prod.example.com/v1", APPWRITE_PROJECT_ID: "prod", APPWRITE_API_KEY: "standard_prod-key" };
const fromStack = (config: Record<string, string>) => (key: string) => config[key];

describe("the precedence of connection settings", () => {
    it("takes each setting from the stack config over the environment, and the rest from the environment", () => {
        const { values } = resolveSettings(fromStack({ "appwrite:endpoint": stack["appwrite:endpoint"] }), {
            ...leftOver,
            APPWRITE_SELF_SIGNED: "true",
        });
        expect(values).toEqual({
            endpoint: stack["appwrite:endpoint"],
            projectId: "prod",
            apiKey: "standard_prod-key",
            selfSigned: "true",
        });
    });

    it("treats an empty value as unset in either source", () => {
        const { values, conflicts } = resolveSettings(fromStack({ "appwrite:endpoint": "" }), {
            APPWRITE_ENDPOINT: "https://a.example.com/v1",
            APPWRITE_PROJECT_ID: "",
        });
        expect(values).toEqual({ endpoint: "https://a.example.com/v1" });
        expect(conflicts).toEqual([]);
    });

    it("reports no conflict when both sources agree", () => {
        expect(resolveSettings(fromStack(stack), { APPWRITE_ENDPOINT: stack["appwrite:endpoint"] }).conflicts).toEqual([]);
    });

    it("warns naming both sources and both values when they differ, and never shows the API key", () => {
        const warning = conflictWarning(resolveSettings(fromStack(stack), leftOver).conflicts);
        expect(warning).toBe(
            'appwrite:endpoint in the stack config is "https://staging.example.com/v1" and APPWRITE_ENDPOINT in the environment is "https://prod.example.com/v1"; ' +
                'appwrite:projectId in the stack config is "staging" and APPWRITE_PROJECT_ID in the environment is "prod"; ' +
                "appwrite:apiKey in the stack config and APPWRITE_API_KEY in the environment hold different values: using the stack config. " +
                "Unset APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID, APPWRITE_API_KEY or change the stack config so that they agree.",
        );
        expect(warning).not.toContain("standard_");
    });

    it("is the rule of the appwrite-users commands too: --stack beats a stale APPWRITE_ENDPOINT, with the warning", () => {
        const warnings: string[] = [];
        const credentials = resolveCredentials({ APPWRITE_ENDPOINT: leftOver.APPWRITE_ENDPOINT }, stack, (line) => warnings.push(line));
        expect(credentials).toEqual({ endpoint: stack["appwrite:endpoint"], projectId: "staging", apiKey: "standard_staging-key" });
        expect(warnings).toEqual([
            expect.stringContaining('appwrite:endpoint in the stack config is "https://staging.example.com/v1" and APPWRITE_ENDPOINT'),
        ]);
    });

    it("names every missing setting with both of its sources", () => {
        expect(() => resolveCredentials({}, { "appwrite:endpoint": stack["appwrite:endpoint"] })).toThrow(
            "missing Appwrite settings: set APPWRITE_PROJECT_ID (or appwrite:projectId in the stack's config), APPWRITE_API_KEY (or appwrite:apiKey in the stack's config)",
        );
    });

    it("covers every setting the provider reads", () => {
        expect(CONNECTION_SETTINGS.map((s) => [s.configKey, s.envVar])).toEqual([
            ["appwrite:endpoint", "APPWRITE_ENDPOINT"],
            ["appwrite:projectId", "APPWRITE_PROJECT_ID"],
            ["appwrite:apiKey", "APPWRITE_API_KEY"],
            ["appwrite:selfSigned", "APPWRITE_SELF_SIGNED"],
            ["appwrite:maxConcurrency", "APPWRITE_MAX_CONCURRENCY"],
        ]);
    });
});
