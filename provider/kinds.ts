/**
 * The resource kinds, named once, each with the name of its entry module. A kind's provider object is
 * the whole `module.exports` of `provider/entry/<name>`, published as `pulumi-appwrite-users/provider/<name>`,
 * because Pulumi's closure serializer writes such an object into `__provider` as a `require` of that subpath.
 * Stored states depend on these subpaths: never rename one.
 */
export const RESOURCE_KINDS = {
    User: "user",
    UserLabels: "user-labels",
    UserPrefs: "user-prefs",
    UserTarget: "user-target",
    UserStatus: "user-status",
    UserBundle: "user-bundle",
    UserSet: "user-set",
} as const;

export type ResourceKind = keyof typeof RESOURCE_KINDS;

/** The package subpath whose `module.exports` is this kind's provider object. */
export function entrySubpath(kind: ResourceKind): string {
    return `pulumi-appwrite-users/provider/${RESOURCE_KINDS[kind]}`;
}

/**
 * The kind that applies the other five together for one user (resources/user-bundle). It is not a place to set a
 * part's input on: unknown-key hints never point to it, and it never points to the parts.
 */
export const COMPOSITE_KIND = "UserBundle" satisfies ResourceKind;

/** Every resource kind. */
export const ALL_KINDS = Object.keys(RESOURCE_KINDS) as readonly ResourceKind[];
