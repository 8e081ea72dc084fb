/**
 * A workload's own selector after removal. Someone who copies the pod template's labels into `spec.selector`
 * copies the injection's `sidecar.speedscale.com/injected` with them; removal takes that label off the
 * template, and the API server refuses a workload whose selector no longer selects its own template (and a
 * Deployment's selector cannot change in place). So a removal that would do that is refused instead.
 */
import type { Resource } from '../resource';
import { nodeAt, toJSON, type Path } from '../yaml/nodes';

type Labels = Record<string, unknown>;
interface Expression {
  key?: unknown;
  operator?: unknown;
  values?: unknown;
}

const has = (labels: Labels, key: unknown): boolean => typeof key === 'string' && labels[key] !== undefined;
const valueIn = (labels: Labels, key: unknown, values: unknown): boolean =>
  has(labels, key) && Array.isArray(values) && values.map(String).includes(String(labels[key as string]));

/** Each operator of a label selector's matchExpressions, as apimachinery reads it. */
const OPERATORS: Record<string, (labels: Labels, e: Expression) => boolean> = {
  In: (labels, e) => valueIn(labels, e.key, e.values),
  NotIn: (labels, e) => !valueIn(labels, e.key, e.values),
  Exists: (labels, e) => has(labels, e.key),
  DoesNotExist: (labels, e) => !has(labels, e.key),
};

const asMap = (value: unknown): Labels =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Labels) : {};

/**
 * The first part of `selector` (at `at`) the labels fail, or null when they pass it all; undefined when the
 * selector cannot be read (an operator that is none of the four): no judgement.
 */
function failing(selector: Labels, labels: Labels, at: Path): Path | null | undefined {
  // A LabelSelector (apps/v1, batch, Argo Rollouts) has these two keys; a ReplicationController's is the map.
  const labelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels = labelSelector ? asMap(selector.matchLabels) : selector;
  for (const [key, value] of Object.entries(matchLabels))
    if (!has(labels, key) || String(labels[key]) !== String(value))
      return labelSelector ? [...at, 'matchLabels', key] : [...at, key];
  const expressions = labelSelector && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of expressions as Expression[]) {
    const operator = OPERATORS[String(asMap(e).operator)];
    if (!operator) return undefined;
    if (!operator(labels, asMap(e))) return [...at, 'matchExpressions'];
  }
  return null;
}

/**
 * Where the workload's selector stops selecting its pod template once the removal's `base` replaces the
 * `input`, or undefined when it still does (or never did, or there is none).
 */
export function selectorLost(input: Resource, base: Resource, podMetadata: readonly string[]): Path | undefined {
  // The selector is the template's sibling: spec.selector beside spec.template. A bare Pod has none.
  if (podMetadata.length < 2) return undefined;
  const at = [...podMetadata.slice(0, -2), 'selector'];
  const read = (r: Resource, path: Path) => asMap(toJSON(nodeAt(r.root, path), r.doc));
  const selector = read(input, at);
  if (!Object.keys(selector).length) return undefined;
  const labels = [...podMetadata, 'labels'];
  if (failing(selector, read(input, labels), at) !== null) return undefined;
  return failing(read(base, at), read(base, labels), at) ?? undefined;
}
