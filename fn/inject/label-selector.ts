/**
 * Label selectors (metav1.LabelSelector) as the API server matches them, for what a workload's pods are
 * selected by: a NetworkPolicy's podSelector, and a Service's selector (its matchLabels alone).
 */
import { asList, asMap, asText, type Json } from '../shape';

/** Whether a label selector surely selects these labels ({} selects every pod; what cannot be read, none). */
export function selectsLabels(selector: Json, labels: Readonly<Record<string, string>>): boolean {
  const matchLabels = asMap(selector.matchLabels);
  const expressions = asList(selector.matchExpressions).map(asMap);
  const known = new Set(['matchLabels', 'matchExpressions']);
  if (Object.keys(selector).some((key) => !known.has(key))) return false;
  return (
    Object.entries(matchLabels).every(([key, value]) => labels[key] === asText(value)) &&
    expressions.every((e) => {
      const key = asText(e.key);
      const values = asList(e.values).map(asText);
      const has = Object.hasOwn(labels, key);
      const operator = asText(e.operator);
      // An operator metav1 does not know (or a key of Object's own): the selector is not read, nothing selected.
      return Object.hasOwn(EXPRESSIONS, operator) && EXPRESSIONS[operator](has, has && values.includes(labels[key]));
    })
  );
}

/** metav1.LabelSelector's operators: whether a pod with (has) or without the key, its value among (listed), matches. */
const EXPRESSIONS: Record<string, (has: boolean, listed: boolean) => boolean> = {
  In: (_has, listed) => listed,
  NotIn: (_has, listed) => !listed,
  Exists: (has) => has,
  DoesNotExist: (has) => !has,
};
