import { createRequire } from "node:module";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { entrySubpath, type ResourceKind } from "../provider/kinds";
import { warnWhereSettingsDisagree } from "./connection";

/**
 * The object a resource of this kind hands to `pulumi.dynamic.Resource`, which Pulumi serializes into
 * `__provider` and stores twice per resource. Normally it is the kind's entry module itself, which Pulumi's
 * closure serializer writes as a `require` of the module (about 170 bytes, the same for every resource):
 * `require("pulumi-appwrite-users/provider/<kind>")` when `@pulumi/pulumi` can resolve this package, or the
 * file's raw subpath `require("pulumi-appwrite-users/dist/provider/entry/<kind>.js")` when it cannot (a
 * monorepo with `@pulumi/pulumi` hoisted above the package); `exports` publishes both.
 *
 * When the serializer would copy the entry module by value instead (a symlinked checkout, which Node resolves
 * to its real path outside `node_modules`), or when the text it would write does not load this very file from
 * the program's directory, a forwarder that loads the provider at call time takes its place: a text of about
 * 2.4 KB, the one the package stored before entry modules.
 */
export function providerObject(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
    // Every resource passes here before its provider runs with these settings.
    warnWhereSettingsDisagree();
    // Pulumi caches the serialized text per provider object: one object per kind means a program
    // serializes six providers, not one per resource.
    return (chosen[kind] ??= entryServedAsRequire(kind) ?? forwarderTo(kind));
}

const chosen: Partial<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = {};
const PACKAGE = "pulumi-appwrite-users";

/** The kind's entry module, when the text the serializer writes for it loads it back in the provider host. */
function entryServedAsRequire(kind: ResourceKind): pulumi.dynamic.ResourceProvider | undefined {
    // The package's own subpath resolves to this copy of the package (Node's self-reference through `exports`).
    const file = resolvesTo(entrySubpath(kind));
    const request = file === undefined ? undefined : requireWrittenFor(file);
    // A text that does not start with the package's name (pnpm's versioned store folder, as serializers before
    // 3.251 wrote it) may load today, but not once an upgrade has removed that folder.
    if (file === undefined || request === undefined || !request.startsWith(`${PACKAGE}/`) || resolvesFromProgram(request) !== file)
        return undefined;
    return require(file) as pulumi.dynamic.ResourceProvider;
}

/**
 * What `@pulumi/pulumi`'s closure serializer (the copy this SDK registers resources with) puts in
 * `require("…")` for the module loaded from `file`, or undefined when it would copy the module by value.
 * This follows `captureModuleAsync`: the module's name is its real path relative to the working directory;
 * outside `node_modules` it is a local module, copied by value; inside, the part after the package's
 * `node_modules` segment goes through the serializer's own `getModuleFromPath`, which maps it back to a
 * subpath through the `exports` of the package as resolved from the serializer's directory, or leaves it raw
 * when the package does not resolve from there. pnpm's store (`node_modules/.pnpm/<name>@<version>/
 * node_modules/<name>`) is read after its last `node_modules` segment from 3.251 on, after the first before.
 */
function requireWrittenFor(file: string, closure: ClosurePackageModule | undefined = closurePackageModule()): string | undefined {
    if (closure === undefined) return undefined;
    const parts = path.relative(process.cwd(), file).split(path.sep);
    const pnpmStore = parts.includes(".pnpm") && closure.readsPnpmStore;
    const segment = pnpmStore ? parts.lastIndexOf("node_modules") : parts.indexOf("node_modules");
    if (segment < 0) return undefined;
    try {
        return closure.getModuleFromPath(parts.slice(segment + 1).join("/"));
    } catch {
        // The package the serializer found has `exports` without this file: it would fail, so avoid it.
        return undefined;
    }
}

interface ClosurePackageModule {
    getModuleFromPath(modulePath: string): string;
    /** Whether this release names a module in pnpm's store after the last `node_modules` segment. */
    readsPnpmStore: boolean;
}

function closurePackageModule(): ClosurePackageModule | undefined {
    const file = resolvesTo("@pulumi/pulumi/runtime/closure/package.js");
    const manifest = resolvesTo("@pulumi/pulumi/package.json");
    if (file === undefined || manifest === undefined) return undefined;
    const { getModuleFromPath } = require(file) as { getModuleFromPath?: (modulePath: string) => string };
    if (typeof getModuleFromPath !== "function") return undefined;
    const [major = 0, minor = 0] = String((require(manifest) as { version?: string }).version)
        .split(".")
        .map(Number);
    return { getModuleFromPath, readsPnpmStore: major > 3 || (major === 3 && minor >= 251) };
}

function resolvesTo(request: string): string | undefined {
    try {
        return require.resolve(request);
    } catch {
        return undefined;
    }
}

/**
 * What `request` loads in the provider host, which evaluates the text with `require` resolving from its
 * working directory, the program's. Resolved as a module there would, not from this file: here the package's
 * own name would be answered by its self-reference, whatever the program's `node_modules` hold.
 */
function resolvesFromProgram(request: string): string | undefined {
    try {
        return createRequire(path.join(process.cwd(), "[program]")).resolve(request);
    } catch {
        return undefined;
    }
}

function forwarderTo(kind: ResourceKind): pulumi.dynamic.ResourceProvider & { kind: ResourceKind } {
    // One line per method, and `this.kind` rather than a captured variable: the serializer wraps every
    // function in about 200 bytes of scope code of its own, so this is what keeps the text small. This is the
    // text 0.1.0 stored for every resource: keep it as it is, so symlinked checkouts see no `~__provider` diff.
    // prettier-ignore
    return {
        kind,
        async configure(req) { require("pulumi-appwrite-users/provider").configure(req); },
        async check(o, n) { return require("pulumi-appwrite-users/provider").providers[this.kind].check(o, n); },
        async diff(id, o, n) { return require("pulumi-appwrite-users/provider").providers[this.kind].diff(id, o, n); },
        async create(i) { return require("pulumi-appwrite-users/provider").providers[this.kind].create(i); },
        async read(id, p) { return require("pulumi-appwrite-users/provider").providers[this.kind].read(id, p); },
        async update(id, o, n) { return require("pulumi-appwrite-users/provider").providers[this.kind].update(id, o, n); },
        async delete(id, p) { return require("pulumi-appwrite-users/provider").providers[this.kind].delete(id, p); },
    };
}
