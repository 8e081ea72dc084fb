/**
 * From the core's outcomes to the command line's report entries: a List's items each become one, with the
 * core's few words that say why. Nothing here reads the resource again: the outcome is the answer.
 */
import {
  CHANGES,
  krmResult,
  shownStatus,
  why,
  type Outcome,
  type ResourceMeta,
  type Result,
  type ShownStatus,
} from '../../index';

/** The outcome's status, with drift shown apart from other errors (it is what `--check` looks for). */
export type Status = ShownStatus;

/** A KRM result, with the line and column (in the file, from 1) of the field it names. */
export type PlacedResult = Result & { line?: number; column?: number };

export interface Entry {
  meta: ResourceMeta;
  status: Status;
  /** Why, in a few words (empty when the status says it all). */
  why: string;
  /** The core's KRM results for this resource, each with where its field is in the file when known. */
  results: PlacedResult[];
  /** Where the resource starts in its file, from 1 (set when there is something to point at). */
  line?: number;
  column?: number;
  /** The resource before and after, for patches (set only when it changed). */
  before?: string;
  after?: string;
  /** The document it is (or is an item of) in its file, from 1: a document of comments alone is none. */
  document?: number;
  /** An item of a List: the List, and the item's index in its `items`. */
  list?: { meta: ResourceMeta; item: number };
}

export interface FileEntry extends Entry {
  /** The file as given, or `-` for stdin. */
  file: string;
  /** Position of the resource in its file, from 0 (documents, then List items, in order). */
  index: number;
}

/** Statuses that make the exit code 1, and that `--quiet` still reports. */
export const FAILING: ReadonlySet<Status> = new Set(['error', 'drift']);

/** The entries of one document's outcome: itself, or a List's items in order. */
export function entriesOf(o: Outcome): Entry[] {
  if (o.items)
    return o.items.flatMap((item) =>
      entriesOf(item).map((e) => (item.item === undefined ? e : { ...e, list: { meta: o.meta, item: item.item } })),
    );
  const change = CHANGES.has(o.status);
  return [
    {
      meta: o.meta,
      status: shownStatus(o),
      why: why(o),
      // A result's offset is the core's; located entries get a line and column instead (locate.ts).
      results: o.results.map(krmResult),
      ...(change && { before: o.input, after: o.text }),
    },
  ];
}
