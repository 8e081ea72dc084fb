/**
 * `List` and every `*List` kind (`v1/List`, `ConfigMapList`, what `kubectl get -o yaml` writes): each item
 * of its `items` sequence is cut out as text, processed like a top-level resource, and spliced back, so
 * comments and formatting around and inside the items survive exactly as for any other resource.
 */
import type { YAMLMap } from 'yaml';
import { resultFor, type Result, type ResourceMeta } from '../results';
import { isSeq, scalarString } from '../yaml/nodes';
import { afterLine, applyEdits, lineStart, type Edit } from '../yaml/text-edit';

export interface ItemOutcome {
  text: string;
  results: Result[];
  change: 'injected' | 'updated' | 'removed' | 'unchanged';
}

/** Kinds treated as lists: `List` itself and any kind ending in `List` that has an `items` sequence. */
export function isListKind(root: YAMLMap): boolean {
  const kind = scalarString(root.get('kind', true)) ?? '';
  return /List$/.test(kind) && isSeq(root.get('items', true));
}

type Ranged = { range?: [number, number, number] | null };

export function processList(
  text: string,
  root: YAMLMap,
  meta: ResourceMeta,
  processItem: (text: string) => ItemOutcome,
  wanted: (text: string) => boolean,
): ItemOutcome {
  const seq = root.get('items', true);
  if (!isSeq(seq)) return { text, results: [], change: 'unchanged' };
  if (seq.flow) {
    // Flow items have no lines of their own to cut out; saying so beats silently skipping them.
    const results = wanted(text)
      ? [
          resultFor(
            meta,
            'warning',
            `${meta.kind} in flow style: its items were not processed; write the list in block style`,
            'items',
            'unsupported-kind',
          ),
        ]
      : [];
    return { text, results, change: 'unchanged' };
  }
  const edits: Edit[] = [];
  const results: Result[] = [];
  let change: ItemOutcome['change'] = 'unchanged';
  for (const item of seq.items) {
    const range = (item as Ranged).range;
    if (!range) continue;
    // From the start of the line holding the item's "-" to the end of its last line: a one-item sequence.
    let dash = range[0] - 1;
    while (dash >= 0 && /\s/.test(text[dash]!)) dash--;
    if (text[dash] !== '-') continue;
    const start = lineStart(text, dash);
    const end = afterLine(text, range[1]);
    const slice = text.slice(start, end);
    if (!wanted(slice)) continue;
    const outcome = processItem(slice);
    results.push(...outcome.results);
    if (outcome.text !== slice) edits.push({ start, end, text: outcome.text });
    if (change === 'unchanged') change = outcome.change;
  }
  return { text: edits.length ? applyEdits(text, edits) : text, results, change };
}
