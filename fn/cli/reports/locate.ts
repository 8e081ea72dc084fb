/**
 * Where, in the file, each report entry's resource starts and each of its results is about: what a CI
 * annotation points at. The core hands positions over as data (an outcome's `offset` in its file or List and
 * `at` in its own text, a result's `at`); here they are added up and turned into lines and columns, once per
 * file. Only entries with something to point at (an error, a warning, drift) are located. JSON input is edited
 * as data, through YAML, so its resources have no offset in the file and are not located.
 */
import { positions, type Outcome } from '../../index';
import { entriesOf, type Entry, type PlacedResult } from './entries';

type Place = (offset: number) => { line: number; column: number };

/** The entries of one file's outcomes, located. */
export function locatedEntries(outcomes: readonly Outcome[], text: string): Entry[] {
  // Line starts are found only if something is to be located (most runs have nothing to point at).
  let place: Place | undefined;
  const at: Place = (offset) => (place ??= positions(text))(offset);
  return outcomes.flatMap((o, i) =>
    (o.offset === undefined ? entriesOf(o) : locate(o, o.offset, at)).map((e) => ({ ...e, document: i + 1 })),
  );
}

function locate(o: Outcome, start: number, at: Place): Entry[] {
  if (o.items)
    return o.items.flatMap((item) =>
      (item.offset === undefined ? entriesOf(item) : locate(item, start + item.offset, at)).map((e) =>
        item.item === undefined ? e : { ...e, list: { meta: o.meta, item: item.item } },
      ),
    );
  return entriesOf(o).map((entry) => (worthLocating(entry) ? placed(entry, o, start, at) : entry));
}

/** Findings, and what is no resource: a report names that by its place alone. */
const worthLocating = (entry: Entry) =>
  entry.status === 'error' ||
  entry.status === 'drift' ||
  !entry.meta.kind ||
  entry.results.some((r) => r.severity !== 'info');

function placed(entry: Entry, o: Outcome, start: number, at: Place): Entry {
  const results = o.results.map(({ at: offset, ...r }): PlacedResult =>
    offset === undefined ? r : { ...r, ...at(start + offset) },
  );
  return { ...entry, ...at(start + (o.at ?? 0)), results };
}
