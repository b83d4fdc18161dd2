import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type * as pulumi from "@pulumi/pulumi";
import * as sdk from "../../sdk";
import { providers } from "../../provider";
import { INPUT_SCHEMAS } from "../../provider/resources/input-schemas";
import { ALL_KINDS, entrySubpath, RESOURCE_KINDS } from "../../provider/kinds";
import { registeredBy } from "../support/pulumi-mocks";

const root = path.resolve(__dirname, "../..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    exports: Record<string, { types?: string; default?: string } | string>;
};

const PROVIDER_METHODS = ["check", "diff", "create", "read", "update", "delete", "configure"] as const;

// A kind is named once, in RESOURCE_KINDS; everything a published kind needs is checked against that list,
// so a kind added there without its subpath, entry module, provider, schema or SDK class fails here.
describe.each(Object.entries(RESOURCE_KINDS))("the resource kind %s", (kind, name) => {
    const resourceKind = kind as keyof typeof RESOURCE_KINDS;

    it("is published under its entry subpath, whose files the build emits from its entry module", () => {
        const subpath = `./${path.posix.relative("pulumi-appwrite-users", entrySubpath(resourceKind))}`;
        expect(subpath).toBe(`./provider/${name}`);
        // Without this entry, Pulumi would store the 2.4 KB forwarder text for every resource of the kind.
        expect(manifest.exports[subpath]).toEqual({
            types: `./dist/provider/entry/${name}.d.ts`,
            default: `./dist/provider/entry/${name}.js`,
        });
        expect(fs.existsSync(path.join(root, "provider", "entry", `${name}.ts`))).toBe(true);
    });

    it("has an entry module whose whole exports are the kind's provider object, with configure", async () => {
        const file = path.join(root, "provider", "entry", `${name}.ts`);
        const loaded = (await import(/* @vite-ignore */ file)) as { default?: unknown };
        const entry = (loaded.default ?? loaded) as Record<string, unknown>;
        expect(entry).toBe(providers[resourceKind]);
        for (const method of PROVIDER_METHODS) expect(typeof entry[method], `${kind}.${method}`).toBe("function");
    });

    it("has an input schema, which check validates and unknown-key hints read", () => {
        expect(INPUT_SCHEMAS[resourceKind]).toBeDefined();
    });

    it("has an SDK class of the same name, registered with the type token pulumi-nodejs:dynamic/appwrite:<Kind>", async () => {
        const ResourceClass = (sdk as unknown as Record<string, new (name: string, args: object) => pulumi.CustomResource>)[kind];
        expect(typeof ResourceClass).toBe("function");
        const { registered } = await registeredBy(() => new ResourceClass!(`kinds-${name}`, { userId: "kinds-user" }));
        expect(registered.map((r) => r.type)).toEqual([`pulumi-nodejs:dynamic/appwrite:${kind}`]);
    });
});

describe("the resource kinds", () => {
    it("load without node-appwrite, which only a request needs: a preview or an up with nothing to change never loads it", () => {
        const entries = Object.values(RESOURCE_KINDS).map((name) => path.join(root, "dist", "provider", "entry", `${name}.js`));
        const script = `for (const entry of ${JSON.stringify(entries)}) require(entry);
            const loaded = Object.keys(require.cache).filter((file) => file.includes("/node_modules/node-appwrite/"));
            process.stdout.write(JSON.stringify(loaded));`;
        const run = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
        expect(run.stderr).toBe("");
        expect(JSON.parse(run.stdout)).toEqual([]);
    });

    it("are the same list everywhere: the kinds, the provider objects, the input schemas and the entry modules", () => {
        expect(Object.keys(providers).sort()).toEqual([...ALL_KINDS].sort());
        expect(Object.keys(INPUT_SCHEMAS).sort()).toEqual([...ALL_KINDS].sort());
        const entries = fs.readdirSync(path.join(root, "provider", "entry")).map((file) => file.replace(/\.ts$/, ""));
        expect(entries.sort()).toEqual(Object.values(RESOURCE_KINDS).sort());
        const published = Object.keys(manifest.exports).filter((key) => key.startsWith("./provider/"));
        expect(published.sort()).toEqual(
            Object.values(RESOURCE_KINDS)
                .map((name) => `./provider/${name}`)
                .sort(),
        );
    });
});
