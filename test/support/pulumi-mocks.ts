import * as pulumi from "@pulumi/pulumi";

/** What a resource sent to Pulumi when it registered: its type token, name and inputs. */
export interface Registration {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/**
 * Runs the program's resources under Pulumi's mocks as stack `stack` of project `seed-project`, recording each
 * registration into `into` (emptied first); each resource's outputs are its inputs.
 */
export function mockStack(stack: string, into: Registration[]): void {
    into.length = 0;
    pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                into.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call: () => ({}),
        },
        "seed-project",
        stack,
        false,
    );
}

/**
 * Declares a resource under Pulumi's mocks and waits until it has registered, to see the type token and inputs an
 * SDK class hands to Pulumi without an engine.
 */
export async function registeredBy<R extends pulumi.CustomResource>(
    declare: () => R,
): Promise<{ resource: R; registered: Registration[] }> {
    const registered: Registration[] = [];
    mockStack("stack", registered);
    const resource = declare();
    await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
    return { resource, registered };
}
