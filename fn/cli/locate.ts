/**
 * Where, in the file, each report entry's resource starts and each of its results' fields is written: what
 * a CI annotation points at. The core names fields by path (a KRM result); only the command line has files,
 * so the place is found here: the document's offset in the file, plus the List item's offset in the
 * document, plus the field's offset in the item. Only entries with something to point at (an error, a
 * warning, drift) are located: an injected or unchanged resource is not parsed again.
 */
import type { Outcome } from '../outcome';
import { parseResource } from '../resource';
import { fieldOffset, parsePath, positions, type Position } from '../yaml/position';
import { entriesOf, type Entry, type PlacedResult } from './engine';

/** What precedes an object: blank lines, comments (Helm's `# Source:`), `---`, directives; a List item's dash. */
const PREAMBLE = /^(?:(?:[ \t]*(?:#.*)?|---(?:[ \t].*)?|%.*)(?:\r?\n|$))*(?:[ \t]*-[ \t]+)?/;

/**
 * The entries of one file's outcomes, located. Each outcome's input is its document's text as cut from
 * the file (fn/cli/formats.ts), in order: each is found after the one before. JSON input is edited as
 * data, through YAML, so its outcomes are not found in the file and nothing is located.
 */
export function locatedEntries(outcomes: readonly Outcome[], text: string): Entry[] {
  // Line starts are found only if something is to be located (most runs have nothing to point at).
  let index: ((offset: number) => Position) | undefined;
  const at = (offset: number) => (index ??= positions(text))(offset);
  let cursor = 0;
  return outcomes.flatMap((o) => {
    const found = text.indexOf(o.input, cursor);
    if (found < 0) return entriesOf(o);
    cursor = found + o.input.length;
    return locate(o, found, at);
  });
}

function locate(o: Outcome, start: number, at: (offset: number) => Position): Entry[] {
  if (o.items) {
    // Items are cut from the List's own text, in order and without overlap: each follows the one before.
    let cursor = 0;
    return o.items.flatMap((item) => {
      const found = o.input.indexOf(item.input, cursor);
      if (found < 0) return entriesOf(item);
      cursor = found + item.input.length;
      return locate(item, start + found, at);
    });
  }
  return entriesOf(o).map((entry) => (worthLocating(entry) ? place(entry, o, start, at) : entry));
}

const worthLocating = (entry: Entry) =>
  entry.status === 'error' || entry.status === 'drift' || entry.results.some((r) => r.severity !== 'info');

function place(entry: Entry, o: Outcome, start: number, at: (offset: number) => Position): Entry {
  const resource = at(start + (PREAMBLE.exec(o.input)?.[0].length ?? 0));
  let root: ReturnType<typeof parseResource> | undefined;
  const results = entry.results.map((r): PlacedResult => {
    const path = r.field?.path === undefined ? undefined : parsePath(r.field.path);
    if (!path) return r;
    root ??= parseResource(o.input);
    if (typeof root === 'string') return r;
    return { ...r, ...at(start + fieldOffset(root.root, path)) };
  });
  return { ...entry, ...resource, results };
}
