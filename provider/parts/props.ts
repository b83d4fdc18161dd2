/** A resource's inputs or outputs as the engine hands them to a provider method: JSON values by name. */
export type Props = Record<string, unknown>;
