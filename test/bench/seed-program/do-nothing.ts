import * as pulumi from "@pulumi/pulumi";
import { seedSetName, seedSetOf, seededUserPassword, type SeedLayout, type SeedUser } from "pulumi-appwrite-users";

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

/** The same resources (five per user, one bundle per user, or the sets), with the same inputs and parent, as SeededUsers declares. */
export function declareDoNothing(name: string, seed: SeedUser[], secret: pulumi.Output<string>, layout: SeedLayout = "sets"): void {
    const parent = new pulumi.ComponentResource("appwrite-users:index:SeededUsers", name, {});
    if (layout === "sets") {
        const sets = new Map<number, SeedUser[]>();
        for (const entry of seed) {
            const entries = sets.get(seedSetOf(entry.id)) ?? [];
            entries.push(entry);
            sets.set(seedSetOf(entry.id), entries);
        }
        const secretValue = pulumi.unsecret(secret);
        // As SeededUsers sends them: one Output per set, each member's derived password in Pulumi's wire form of a secret.
        const wireSecret = (value: string) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
        for (const [set, entries] of [...sets].sort(([a], [b]) => a - b)) {
            const users = secretValue.apply((value) =>
                Object.fromEntries(
                    entries.map(({ id, ...parts }) => [id, { ...parts, password: wireSecret(seededUserPassword(value, id)) }]),
                ),
            );
            new DoNothing("UserSet", seedSetName(name, set), { users }, { parent });
        }
        return;
    }
    for (const entry of seed) {
        const prefix = `${name}-${entry.id}`;
        const opts = { parent };
        if (layout === "bundles") {
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
