import type * as pulumi from "@pulumi/pulumi";

/** The five resource kinds; each names its provider in `pulumi-appwrite-users/provider`. */
export type ResourceKind = "User" | "UserLabels" | "UserPrefs" | "UserTarget" | "UserStatus";

/**
 * The object handed to `pulumi.dynamic.Resource`, which Pulumi serializes into `__provider` and stores
 * twice per resource. It captures nothing but the kind's name and loads the real provider at call time,
 * so the stored text stays small, holds no credential, is the same for every resource of a kind and for
 * every package version, and `read`/`delete` of old resources run the code installed now.
 *
 * Changing the text of `forwarderTo` changes `__provider` for every user's stack: keep it as it is.
 */
export function providerShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
    // Pulumi caches the serialized text per provider object, so one object per kind means the program
    // serializes five providers, not one per resource.
    return (shims[kind] ??= forwarderTo(kind));
}

const shims: Partial<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = {};

function forwarderTo(kind: ResourceKind): pulumi.dynamic.ResourceProvider & { kind: ResourceKind } {
    // One line per method, and `this.kind` rather than a captured variable: the serializer wraps every
    // function in about 200 bytes of scope code of its own, so this is what keeps the text small.
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
