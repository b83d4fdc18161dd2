import * as pulumi from "@pulumi/pulumi";
import type { SeedUser } from "pulumi-appwrite-users";

/**
 * A dynamic provider whose methods return at once and send nothing (`do-nothing-provider.js`, installed by the
 * benchmark as a package under node_modules, so that its `__provider` is a short `require` like ours and the
 * state, which the CLI rewrites at every step, is as large as the seed's).
 */
class DoNothing extends pulumi.dynamic.Resource {
    constructor(kind: string, name: string, inputs: Record<string, unknown>, opts: pulumi.CustomResourceOptions) {
        // Required here, not at the top: only projects of the do-nothing mode have the package installed.
        super(require("appwrite-users-bench-do-nothing") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "bench", kind);
    }
}

/** The same resources per user (five, or with `compact` one), with the same inputs and parent, as SeededUsers declares. */
export function declareDoNothing(name: string, seed: SeedUser[], secret: pulumi.Output<string>, compact = false): void {
    const parent = new pulumi.ComponentResource("appwrite-users:index:SeededUsers", name, {});
    for (const entry of seed) {
        const prefix = `${name}-${entry.id}`;
        const opts = { parent };
        if (compact) {
            const { id, ...parts } = entry;
            new DoNothing("UserBundle", prefix, { ...parts, userId: id, password: secret }, opts);
            continue;
        }
        const user = new DoNothing("User", prefix, { userId: entry.id, email: entry.email, name: entry.name, password: secret }, opts);
        const userId = user.id;
        new DoNothing("UserLabels", prefix, { userId, labels: entry.labels }, opts);
        new DoNothing("UserPrefs", prefix, { userId, prefs: entry.prefs }, opts);
        for (const target of entry.targets) new DoNothing("UserTarget", `${prefix}-${target.targetId}`, { userId, ...target }, opts);
        new DoNothing("UserStatus", prefix, { userId, blocked: entry.blocked }, opts);
    }
}
