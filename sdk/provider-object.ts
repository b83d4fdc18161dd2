import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { entrySubpath, type ResourceKind } from "../provider/kinds";

/**
 * The object a resource of this kind hands to `pulumi.dynamic.Resource`, which Pulumi serializes into
 * `__provider` and stores twice per resource. Normally it is the kind's entry module itself: loaded from
 * `node_modules`, Pulumi's closure serializer writes it as `require("pulumi-appwrite-users/provider/<kind>")`,
 * a text of about 150 bytes that is the same for every resource, every package version and every stack.
 *
 * When the package is loaded from outside `node_modules` (a symlinked checkout, which Node resolves to its
 * real path), the serializer would copy the entry module by value, so a forwarder that loads the provider at
 * call time takes its place: a text of about 2.4 KB, the one the package stored before entry modules.
 */
export function providerObject(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
    // Pulumi caches the serialized text per provider object: one object per kind means a program
    // serializes five providers, not one per resource.
    return (chosen[kind] ??= entryServedAsRequire(kind) ?? forwarderTo(kind));
}

const chosen: Partial<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = {};

/**
 * The kind's entry module, when the serializer will write it as a `require` of its subpath: its file must lie
 * under a `node_modules` directory as seen from the program's working directory (`captureModuleAsync`), and the
 * package's `package.json` must resolve from `@pulumi/pulumi`'s closure code, which maps the file back to the
 * subpath through `exports`. Undefined otherwise.
 */
function entryServedAsRequire(kind: ResourceKind): pulumi.dynamic.ResourceProvider | undefined {
    // The package's own subpath resolves to this copy of the package (Node's self-reference through `exports`).
    const file = resolvesTo(entrySubpath(kind));
    if (file === undefined || !path.relative(process.cwd(), file).split(/[\\/]/).includes("node_modules")) return undefined;
    const closureCode = resolvesTo("@pulumi/pulumi/runtime/closure/package.js");
    const manifest = closureCode && resolvesTo("pulumi-appwrite-users/package.json", [path.dirname(closureCode)]);
    if (manifest === undefined || path.relative(path.dirname(manifest), file) !== path.join("dist", "provider", "entry", path.basename(file))) return undefined;
    return require(file) as pulumi.dynamic.ResourceProvider;
}

function resolvesTo(request: string, paths?: string[]): string | undefined {
    try {
        return require.resolve(request, paths && { paths });
    } catch {
        return undefined;
    }
}

function forwarderTo(kind: ResourceKind): pulumi.dynamic.ResourceProvider & { kind: ResourceKind } {
    // One line per method, and `this.kind` rather than a captured variable: the serializer wraps every
    // function in about 200 bytes of scope code of its own, so this is what keeps the text small. This is the
    // text 0.1.0 stored for every resource: keep it as it is, so symlinked checkouts see no `~__provider` diff.
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
