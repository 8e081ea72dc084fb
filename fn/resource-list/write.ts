/** Writes the ResourceList back: every section as it came, items in order, and the results. */
import { Document } from 'yaml';
import type { Result } from '../results';
import type { SplitList } from './split';

export function writeResourceList(split: SplitList, items: readonly string[], results: readonly unknown[]): string {
  let out = split.preamble;
  for (const section of split.sections) {
    if (section.key === 'results') continue;
    out += section.key === 'items' ? split.itemsHead + items.join('') : section.text;
    if (!out.endsWith('\n')) out += '\n';
  }
  if (results.length) out += renderResults(results);
  return out;
}

export function renderResults(results: readonly unknown[]): string {
  return new Document({ results }, { version: '1.1' }).toString({ lineWidth: 0, indentSeq: false });
}

/** The ResourceList written when the input could not be read at all: no items, one error. */
export function failedResourceList(message: string): string {
  const result: Result = { message, severity: 'error' };
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n${renderResults([result])}`;
}
