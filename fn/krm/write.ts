/** Writes the ResourceList back: every section as it came, items in order, and the results. */
import { emitBlock } from '../yaml/emit';
import type { Result } from '../results';
import type { SplitList } from './split';

/**
 * Writes the list: every section as it came, each item through `item` in order, then the results (asked for
 * last, when the items have added theirs). Pieces go to `write` as they are ready.
 */
export function writeResourceList(
  split: SplitList,
  item: (text: string, index: number) => string,
  results: () => readonly unknown[],
  write: (text: string) => void,
): void {
  // What the function writes itself (an ended last line, the results) takes the input's line breaks.
  const eol = (split.preamble + (split.sections[0]?.text ?? '')).includes('\r\n') ? '\r\n' : '\n';
  write(split.preamble);
  for (const section of split.sections) {
    if (section.key === 'results') continue;
    let last = section.key === 'items' ? split.itemsHead : section.text;
    write(last);
    if (section.key === 'items') split.items.forEach((text, i) => write((last = item(text, i))));
    if (!last.endsWith('\n')) write(eol);
  }
  const all = results();
  if (all.length) writeResults(all, eol === '\n' ? write : (text) => write(text.replace(/\n/g, eol)));
  write(split.postamble);
}

const STYLE = { indent: 2, indentSeq: false };

/**
 * `results:` and its entries, an entry at a time: what emitBlock writes for `{ results }`, whose list at
 * the key's column writes each entry as a list of one would (test/unit/emit.test.ts). As one string, the
 * results of 10,000 workloads were the largest text of the run, held three times over at its end.
 */
function writeResults(results: readonly unknown[], write: (text: string) => void): void {
  write('results:\n');
  for (const result of results) write(emitBlock([result], STYLE));
}

/** The ResourceList written when the input could not be read at all: no items, one error. */
export function failedResourceList(message: string): string {
  const result: Result = { message, severity: 'error' };
  let text = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n';
  writeResults([result], (piece) => (text += piece));
  return text;
}
