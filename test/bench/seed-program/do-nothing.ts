import * as pulumi from "@pulumi/pulumi";
import type { SeedUser } from "pulumi-appwrite-users";

/** A dynamic provider that answers every call at once and sends nothing anywhere. */
const doNothing: pulumi.dynamic.ResourceProvider = {
    async check(_olds, news) {
        return { inputs: news };
    },
    async diff() {
        return { changes: false };
    },
    async create(inputs) {
        return { id: String(inputs.targetId ?? inputs.userId), outs: inputs };
    },
    async read(id, props) {
        return { id, props };
    },
    async delete() {},
};

class DoNothing extends pulumi.dynamic.Resource {
    constructor(kind: string, name: string, inputs: Record<string, unknown>, opts: pulumi.CustomResourceOptions) {
        super(doNothing, name, inputs, opts, "bench", kind);
    }
}

/** The same five resources per user, with the same inputs and parent, as SeededUsers declares. */
export function declareDoNothing(name: string, seed: SeedUser[], secret: pulumi.Output<string>): void {
    const parent = new pulumi.ComponentResource("appwrite-users:index:SeededUsers", name, {});
    for (const entry of seed) {
        const prefix = `${name}-${entry.id}`;
        const opts = { parent };
        const user = new DoNothing("User", prefix, { userId: entry.id, email: entry.email, name: entry.name, password: secret }, opts);
        const userId = user.id;
        new DoNothing("UserLabels", prefix, { userId, labels: entry.labels }, opts);
        new DoNothing("UserPrefs", prefix, { userId, prefs: entry.prefs }, opts);
        for (const target of entry.targets) new DoNothing("UserTarget", `${prefix}-${target.targetId}`, { userId, ...target }, opts);
        new DoNothing("UserStatus", prefix, { userId, blocked: entry.blocked }, opts);
    }
}
