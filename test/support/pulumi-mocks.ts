import * as pulumi from "@pulumi/pulumi";

/** What a resource sent to Pulumi when it registered: its type token and its inputs. */
export interface Registration {
    type: string;
    inputs: Record<string, unknown>;
}

/**
 * Declares a resource under Pulumi's mocks and waits until it has registered, to see the type token and inputs an
 * SDK class hands to Pulumi without an engine.
 */
export async function registeredBy<R extends pulumi.CustomResource>(declare: () => R): Promise<{ resource: R; registered: Registration[] }> {
    const registered: Registration[] = [];
    pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({ type: args.type, inputs: args.inputs as Record<string, unknown> });
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call: () => ({}),
        },
        "project",
        "stack",
        false,
    );
    const resource = declare();
    await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
    return { resource, registered };
}
