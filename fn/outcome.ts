/**
 * What became of one resource: the one answer the KRM function, the command line and the wizard page all
 * report from. A status, one reason from the closed registry (reasons.ts), the KRM results, and the text
 * to write. Nothing downstream re-reads the resource to find out what happened.
 */
import type { Reason } from './reasons';
import type { Result, ResourceMeta } from './results';

export type { Reason };

export type Status = 'injected' | 'updated' | 'removed' | 'kept' | 'skipped' | 'unchanged' | 'error';
/** The statuses that change the resource. */
export type Change = Extract<Status, 'injected' | 'updated' | 'removed'>;
export const CHANGES: ReadonlySet<string> = new Set<Change>(['injected', 'updated', 'removed']);

export interface Outcome {
  status: Status;
  reason: Reason;
  /** What the reason's words need (reasons.ts). */
  detail?: string;
  meta: ResourceMeta;
  /** The resource as it came. */
  input: string;
  /** The resource as it is to be written: the input itself unless the status is a change. */
  text: string;
  /** The KRM results about this resource. */
  results: Result[];
  /** A List's items, each with its own outcome, in order (only those worth processing). */
  items?: Outcome[];
  /** Where `input` starts in the text it was cut from: a file (the stream editor), a List (its items). */
  offset?: number;
  /** A List's item: its index in the List's `items`. */
  item?: number;
  /** Where the resource itself starts in `input` (its first key), once it was read. */
  at?: number;
  /** The environment profile's values this workload took (config keys -> values), when it has a sidecar. */
  decided?: Readonly<Record<string, unknown>>;
  /** A sidecar whose reverse proxy Services should reach (serviceTargetPort: proxy): see inject/services.ts. */
  served?: Served;
}

/** What a Service selecting the workload's pods needs to know to send its callers through the proxy. */
export interface Served {
  /** The app's port the reverse proxy forwards to (proxy-port). */
  port: number;
  /** The proxy's inbound listener (proxy-in-port). */
  inPort: number;
  /** The pod's named container ports, for a targetPort given by name. */
  named: Readonly<Record<string, number>>;
}

export const NO_META: ResourceMeta = { apiVersion: '', kind: '', name: '' };

/** An outcome that writes the input as it came (see `changed` for the others). */
export function outcome(
  status: Status,
  reason: Reason,
  meta: ResourceMeta,
  input: string,
  results: Result[] = [],
  detail?: string,
): Outcome {
  // The detail set after the literal, not spread into it: an outcome for every item.
  const made: Outcome = { status, reason, meta, input, text: input, results };
  if (detail !== undefined) made.detail = detail;
  return made;
}

export function changed(change: Change, meta: ResourceMeta, input: string, text: string, results: Result[]): Outcome {
  return { status: change, reason: change, meta, input, text, results };
}

/** Every result of an outcome, a List's items' included, in order. */
export function allResults(o: Outcome): Result[] {
  return o.items ? [...o.results, ...o.items.flatMap(allResults)] : o.results;
}
