/**
 * Label selectors (metav1.LabelSelector) as the API server matches them, for what a workload's pods are
 * selected by: a NetworkPolicy's podSelector, and a Service's selector (its matchLabels alone).
 *
 * The pods are known by their template, and their controller adds labels the template does not say (workloads.ts:
 * a Deployment's pod-template-hash, a StatefulSet's pod name): a selector that reads one of those may or may not
 * select the pods, and the answer is 'maybe'.
 */
import { asList, asMap, asText, type Json } from '../shape';

/** Whether a selector selects the pods: surely, surely not, or it depends on labels only the cluster knows. */
export type Selects = 'yes' | 'no' | 'maybe';

/** A workload's pods' labels as the package says them. */
export interface PodLabels {
  /** The template's labels, as text. */
  known: Readonly<Record<string, string>>;
  /** Keys the controller sets: a pod may carry any value for them, or (where it sets them on some pods) none. */
  unknown: readonly string[];
}

/**
 * Whether a label selector selects pods with these labels ({} selects every pod; what cannot be read, none: the
 * API server refuses it). A requirement on an `unknown` key makes a 'yes' a 'maybe'; any other that fails, 'no'.
 */
export function selectsLabels(selector: Json, { known: labels, unknown }: PodLabels): Selects {
  const known = new Set(['matchLabels', 'matchExpressions']);
  if (Object.keys(selector).some((key) => !known.has(key))) return 'no';
  let answer: Selects = 'yes';
  for (const [key, value] of Object.entries(asMap(selector.matchLabels))) {
    if (unknown.includes(key)) answer = 'maybe';
    else if (labels[key] !== asText(value)) return 'no';
  }
  for (const e of asList(selector.matchExpressions).map(asMap)) {
    const operator = asText(e.operator);
    // An operator metav1 does not know (or a key of Object's own): the selector is not read, nothing selected.
    if (!Object.hasOwn(EXPRESSIONS, operator)) return 'no';
    const key = asText(e.key);
    if (unknown.includes(key)) {
      answer = 'maybe';
      continue;
    }
    const has = Object.hasOwn(labels, key);
    if (!EXPRESSIONS[operator](has, has && asList(e.values).map(asText).includes(labels[key]))) return 'no';
  }
  return answer;
}

/** metav1.LabelSelector's operators: whether a pod with (has) or without the key, its value among (listed), matches. */
const EXPRESSIONS: Record<string, (has: boolean, listed: boolean) => boolean> = {
  In: (_has, listed) => listed,
  NotIn: (_has, listed) => !listed,
  Exists: (has) => has,
  DoesNotExist: (has) => !has,
};
