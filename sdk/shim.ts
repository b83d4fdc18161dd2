import type * as pulumi from "@pulumi/pulumi";

/** The five resource kinds; each names its provider in `pulumi-appwrite-users/provider`. */
export type ResourceKind = "User" | "UserLabels" | "UserPrefs" | "UserTarget" | "UserStatus";

/**
 * The object handed to `pulumi.dynamic.Resource`, which Pulumi serializes into `__provider` and stores
 * twice per resource. It captures nothing but the kind's name and loads the real provider at call time,
 * so the stored text stays small, holds no credential, is the same for every resource of a kind and for
 * every package version, and `read`/`delete` of old resources run the code installed now.
 *
 * Changing this function's text changes `__provider` for every user's stack: keep it as it is.
 */
export function providerShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
    return {
        async configure(req) {
            require("pulumi-appwrite-users/provider").configure(req);
        },
        async check(olds, news) {
            return require("pulumi-appwrite-users/provider").providers[kind].check(olds, news);
        },
        async diff(id, olds, news) {
            return require("pulumi-appwrite-users/provider").providers[kind].diff(id, olds, news);
        },
        async create(inputs) {
            return require("pulumi-appwrite-users/provider").providers[kind].create(inputs);
        },
        async read(id, props) {
            return require("pulumi-appwrite-users/provider").providers[kind].read(id, props);
        },
        async update(id, olds, news) {
            return require("pulumi-appwrite-users/provider").providers[kind].update(id, olds, news);
        },
        async delete(id, props) {
            return require("pulumi-appwrite-users/provider").providers[kind].delete(id, props);
        },
    };
}
