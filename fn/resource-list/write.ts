/** Writes the ResourceList back: every section as it came, items in order, and the results. */
import { emitBlock } from '../yaml/emit';
import type { Result } from '../results';
import type { SplitList } from './split';

/** The output as pieces in order, so a large list is written without first joining it into one string. */
export function resourceListParts(split: SplitList, items: readonly string[], results: readonly unknown[]): string[] {
  const parts = [split.preamble];
  for (const section of split.sections) {
    if (section.key === 'results') continue;
    if (section.key === 'items') parts.push(split.itemsHead, ...items);
    else parts.push(section.text);
    if (!parts[parts.length - 1]!.endsWith('\n')) parts.push('\n');
  }
  if (results.length) parts.push(renderResults(results));
  return parts;
}

export function renderResults(results: readonly unknown[]): string {
  return emitBlock({ results }, { indent: 2, indentSeq: false });
}

/** The ResourceList written when the input could not be read at all: no items, one error. */
export function failedResourceList(message: string): string {
  const result: Result = { message, severity: 'error' };
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n${renderResults([result])}`;
}
