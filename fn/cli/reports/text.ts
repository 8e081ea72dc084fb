/** `--report text` (the default): one line per resource, `file:line:column: what: status: why`, then the counts. */
import { printableName } from '../../index';
import type { FileEntry } from './entries';
import { summary } from './summary';

export const text = (entries: readonly FileEntry[], quiet: boolean): string =>
  entries.map((e) => `${line(e)}\n`).join('') + (quiet || !entries.length ? '' : `${summary(entries)}\n`);

/**
 * The place a line names, as compilers write `file:line:col`: the first finding with a line (errors first);
 * for a failure with no result of its own (a document that is not YAML), and for what is no resource (a
 * document or a List item named by its number alone), the entry's own place.
 */
function placeOf(e: FileEntry): string {
  const found = [...e.results].sort((a, b) => RANK[a.severity] - RANK[b.severity]).find((r) => r.line !== undefined);
  if (found?.severity !== 'info' && found) return `:${found.line}:${found.column}`;
  // An error about the whole resource (drift, a refusal with no field): the resource's own place.
  const own = ((e.status === 'error' || e.status === 'drift') && !found) || !e.meta.kind;
  return own && e.line !== undefined ? `:${e.line}:${e.column}` : '';
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * One line per resource, whatever its file or resource is named: a line feed or a bidirectional override in a
 * name (a file name, `metadata.name: "a\nb"`) is escaped, as the page shows names, so it cannot split the line
 * a CI log or grep reads, or reorder it.
 */
function line(e: FileEntry): string {
  const file = `${printableName(e.file === '-' ? '<stdin>' : e.file)}${placeOf(e)}`;
  if (e.index < 0) return `${file}: ${e.status}: ${e.why}`;
  return `${file}: ${printableName(subject(e))}: ${e.status}${e.why ? `: ${e.why}` : ''}`;
}

/** What the line is about: the resource, a List's item, or a document, by its place. */
function subject(e: FileEntry): string {
  const { kind, name, namespace } = e.meta;
  return kind
    ? `${kind}/${name || '(no name)'}${namespace ? ` in ${namespace}` : ''}`
    : e.list
      ? // The index as the core's messages write it (`items[1] of the List`): one numbering on the line.
        `${e.list.meta.kind}${e.list.meta.name ? `/${e.list.meta.name}` : ''} items[${e.list.item}]`
      : `document ${e.document ?? e.index + 1}`;
}
