/**
 * What became of one resource: the one answer the KRM function, the command line and the wizard page all
 * report from. A status, one reason from a closed union (the pod checks' codes and the table below), the
 * KRM results, and the text to write. Nothing downstream re-reads the resource to find out what happened.
 */
import type { PodCheckCode } from './inject/pod-checks';
import type { Result, ResourceMeta } from './results';
import { INJECT_ANNOTATION, LOCAL_CONFIG_ANNOTATION } from './vocabulary';

export type Status = 'injected' | 'updated' | 'removed' | 'kept' | 'skipped' | 'unchanged' | 'error';
/** The statuses that change the resource. */
export type Change = Extract<Status, 'injected' | 'updated' | 'removed'>;
export const CHANGES: ReadonlySet<string> = new Set<Change>(['injected', 'updated', 'removed']);

/**
 * Reasons that are not pod checks, with the few words a report shows for them. `detail` is what the
 * wording needs (a kind, an annotation's value).
 */
export const OUTCOME_REASONS = {
  injected: () => 'injected the Speedscale sidecar',
  updated: () => 'updated the Speedscale sidecar',
  removed: () => 'removed the Speedscale sidecar',
  'up-to-date': () => 'already injected',
  'not-injected': () => 'not injected',
  'not-a-workload': (kind: string) => `not a workload (${kind || 'no kind'})`,
  'local-config': () => `local config (${LOCAL_CONFIG_ANNOTATION}: "true")`,
  'not-annotated': () => `not annotated ${INJECT_ANNOTATION}: "true"`,
  'inject-off': (value: string) => `annotated ${INJECT_ANNOTATION}: "${value}"`,
  kept: () => `annotated ${INJECT_ANNOTATION}: "true" (use \`uninstall\` to remove it anyway)`,
  list: () => 'a List: its items are reported one by one',
  'unsupported-kind': (kind: string) =>
    `${kind} has no known pod template: not injected; add it to the config's targets`,
  'no-pod-template': () => 'not injected: the pod template is missing or not a map',
  unplaceable: (path: string) =>
    `not injected: ${path} is neither absent nor the list or map the injection adds to (an empty key or a ` +
    'scalar); write [] or {}, or remove the key',
  aliased: (path: string) =>
    `not injected: ${path} is shared through a YAML anchor (&name) and alias (*name); adding to it would ` +
    'change every place that uses it; write it out in full here',
  'unsafe-edit': (where: string) => `cannot edit this YAML safely: ${where}; the workload is left as it was`,
  drift: (what: string) => `drift: ${what}`,
  'bad-record': (why: string) => why,
  'invalid-setting': (why: string) => why,
  'indirect-annotation': (key: string) =>
    `${key} is written as an alias or through a merge key (<<), which this function cannot read or edit ` +
    'in place; write it out as a plain key',
  'unknown-annotation': (why: string) => why,
  'invalid-config': (why: string) => why,
  'malformed-yaml': (why: string) => why,
  'not-an-object': (why: string) => why,
  'too-deep': (why: string) => why,
  'internal-error': (why: string) => why,
} satisfies Record<string, (detail: string) => string>;

export type Reason = keyof typeof OUTCOME_REASONS | PodCheckCode;

export interface Outcome {
  status: Status;
  reason: Reason;
  /** What the reason's wording needs; see OUTCOME_REASONS. */
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
  return { status, reason, meta, input, text: input, results, ...(detail !== undefined && { detail }) };
}

export function changed(change: Change, meta: ResourceMeta, input: string, text: string, results: Result[]): Outcome {
  return { status: change, reason: change, meta, input, text, results };
}

/** Every result of an outcome, a List's items' included, in order. */
export function allResults(o: Outcome): Result[] {
  return o.items ? [...o.results, ...o.items.flatMap(allResults)] : o.results;
}
