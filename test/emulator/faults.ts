export type FaultKind = "500" | "503" | "drop-before" | "drop-after";

export const FAULT_KINDS: readonly FaultKind[] = ["500", "503", "drop-before", "drop-after"];

export interface FaultSpec {
  /** A request-count key such as `PATCH /v1/users/:userId/email`, or `*` for any /v1 route. */
  route: string;
  /** How many matching requests it hits; 1 when not given. */
  count?: number;
  kind: FaultKind;
}

/** Queued faults, consumed in the order they were injected. */
export class Faults {
  private queue: Array<{ route: string; remaining: number; kind: FaultKind }> = [];

  add(spec: FaultSpec): void {
    if (!FAULT_KINDS.includes(spec.kind)) throw new Error(`Unknown fault kind "${String(spec.kind)}"; use ${FAULT_KINDS.join(", ")}`);
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`Fault count must be a positive integer, got ${String(spec.count)}`);
    this.queue.push({ route: spec.route, remaining: count, kind: spec.kind });
  }

  /** The fault for this request, if one is pending for its route. */
  take(routeKey: string): FaultKind | undefined {
    const i = this.queue.findIndex((f) => f.route === routeKey || f.route === "*");
    if (i < 0) return undefined;
    const fault = this.queue[i]!;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.queue.splice(i, 1);
    return fault.kind;
  }

  pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }

  clear(): void {
    this.queue = [];
  }
}
