/**
 * The record kept on every injected workload (annotation `sidecar.speedscale.com/injection`): the paths of
 * everything the function added, so removal deletes exactly that and never guesses by name or prefix; and
 * every key it filled because it held null (`key:`, `key: ~`), with the null as written, so removal writes
 * it back.
 *
 * Version 1 is `{v, added}`; version 2 adds `filled`. A record is written as version 1 whenever nothing
 * was filled, so every record written before version 2 existed reads, and is written, exactly as it was;
 * a release that knows only version 1 refuses a version 2 record (bad-record) rather than restore `key:`
 * where the author wrote `key: ~`.
 */
import { parseResource, type Resource } from '../resource';
import { RECORD_ANNOTATION } from '../vocabulary';
import { removeFromMap, removeFromSeq } from '../yaml/block-edit';
import {
  isMap,
  isSeq,
  itemNamed,
  mapAt,
  nodeAt,
  pairOf,
  scalarString,
  type Path,
  type YAMLMap,
  type YAMLSeq,
} from '../yaml/nodes';
import { restoreEdit } from '../yaml/null-value';
import { editLines, type Edit } from '../yaml/text-edit';
import { checkRemoval, type Unsafe } from './guard';

export const RECORD_VERSIONS = [1, 2] as const;

/** A key the injection filled, and the null it held as written after its colon (` ~`, ` null`; '' for nothing). */
export interface Filled {
  path: Path;
  was: string;
}

export interface InjectionRecord {
  v: number;
  added: Path[];
  /** Version 2. */
  filled?: Filled[];
}

export function serializeRecord(added: Path[], filled: Filled[] = []): string {
  return JSON.stringify((filled.length ? { v: 2, added, filled } : { v: 1, added }) satisfies InjectionRecord);
}

const isSegment = (s: unknown): boolean =>
  typeof s === 'string' || (typeof s === 'object' && s !== null && typeof (s as { name?: unknown }).name === 'string');

const isPath = (p: unknown): p is Path => Array.isArray(p) && p.length > 0 && p.every(isSegment);

const isFilled = (f: unknown): f is Filled =>
  typeof f === 'object' &&
  f !== null &&
  isPath((f as Filled).path) &&
  typeof (f as Filled).path[(f as Filled).path.length - 1] === 'string' &&
  typeof (f as Filled).was === 'string' &&
  /^(?:[ \t]+[^\s#][^\n#]*)?$/.test((f as Filled).was);

/** Parses a record, or returns why it cannot be trusted. */
export function parseRecord(text: string): InjectionRecord | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'is not valid JSON';
  }
  const record = data as InjectionRecord;
  if (!RECORD_VERSIONS.includes(record?.v as never))
    return `has unsupported version ${JSON.stringify(record?.v)} (expected ${RECORD_VERSIONS.join(' or ')})`;
  if (!Array.isArray(record.added) || !record.added.every(isPath)) return 'has a malformed "added" list';
  if (record.v === 2 && !(Array.isArray(record.filled) && record.filled.every(isFilled)))
    return 'has a malformed "filled" list';
  return record;
}

/** The item a record segment names: by name, and by mount path when the segment has one (see additions.ts). */
function itemSelected(seq: YAMLSeq, selector: { name: string; mountPath?: unknown }) {
  if (typeof selector.mountPath !== 'string') return itemNamed(seq, selector.name);
  return seq.items.find(
    (item) =>
      isMap(item) &&
      scalarString(item.get('name', true)) === selector.name &&
      scalarString(item.get('mountPath', true)) === selector.mountPath,
  );
}

/** Edits that remove every recorded addition still present; `missing` lists those already gone. */
export function removalEdits(src: string, root: YAMLMap, record: InjectionRecord): { edits: Edit[]; missing: Path[] } {
  // Grouped by parent: several entries leaving one flow collection must be removed together.
  const byParent = new Map<string, { parent: unknown; doomed: unknown[] }>();
  const missing: Path[] = [];
  for (const path of record.added) {
    const parent = nodeAt(root, path.slice(0, -1));
    const last = path[path.length - 1];
    const entry =
      typeof last === 'string'
        ? isMap(parent)
          ? pairOf(parent, last)
          : undefined
        : isSeq(parent)
          ? itemSelected(parent, last)
          : undefined;
    if (!entry) {
      missing.push(path);
      continue;
    }
    const key = JSON.stringify(path.slice(0, -1));
    const group = byParent.get(key) ?? byParent.set(key, { parent, doomed: [] }).get(key)!;
    group.doomed.push(entry);
  }
  const edits = [...byParent.values()].flatMap(({ parent, doomed }) =>
    isMap(parent) ? removeFromMap(src, parent, doomed as never) : removeFromSeq(src, parent as never, doomed as never),
  );
  // A filled key whose every entry goes gets back the null it held (`key:` needs nothing: it is what is left).
  for (const { path, was } of record.v === 2 ? (record.filled ?? []) : []) {
    const map = nodeAt(root, path.slice(0, -1));
    const pair = isMap(map) ? pairOf(map, path[path.length - 1] as string) : undefined;
    const held = pair?.value;
    const entries = isMap(held) || isSeq(held) ? held.items.length : -1;
    if (!pair || held === null || (isMap(held) || isSeq(held) ? held.flow : true)) continue;
    if (byParent.get(JSON.stringify(path))?.doomed.length !== entries) continue;
    const restore = restoreEdit(src, pair, was);
    if (restore) edits.push(restore);
  }
  return { edits, missing };
}

/** Where the record is kept. */
export const RECORD_PATH: Path = ['metadata', 'annotations', RECORD_ANNOTATION];

/** The record's own text, or undefined when the resource carries none. */
export function recordText(root: YAMLMap): string | undefined {
  return scalarString(mapAt(root, ['metadata', 'annotations'])?.get(RECORD_ANNOTATION, true));
}

/**
 * The resource as its author wrote it: with what an earlier run recorded taken out, and whether there was
 * anything to take; or why the record cannot be trusted.
 */
export function stripRecord(input: Resource): { base: Resource; wasInjected: boolean } | { unsafe: Unsafe } | string {
  const text = recordText(input.root);
  if (text === undefined) return { base: input, wasInjected: false };
  const record = parseRecord(text);
  if (typeof record === 'string') return `injection record ${record}; cannot tell what was injected`;
  const removed = withoutRecorded(input, record);
  if (typeof removed !== 'string') return removed;
  const base = parseResource(removed);
  if ('error' in base) return `removing the injection failed: ${base.error}`;
  return { base, wasInjected: true };
}

/** The text with every recorded addition still present removed, checked by the guard before it is used. */
export function withoutRecorded(input: Resource, record: InjectionRecord): string | { unsafe: Unsafe } {
  let missing: Path[] = [];
  const text = editLines(input.text, (src) => {
    const removal = removalEdits(src, input.root, record);
    missing = removal.missing;
    return removal.edits;
  });
  const gone = new Set(missing.map((p) => JSON.stringify(p)));
  const removed = record.added.filter((p) => !gone.has(JSON.stringify(p)));
  const unsafe = checkRemoval(input, removed, text);
  return unsafe ? { unsafe } : text;
}

const RECORD_LINE = new RegExp(`^[ \\t]*${RECORD_ANNOTATION.replace(/[./]/g, '\\$&')}:[^\\n]*\\n`, 'm');

/**
 * Whether two texts differ only in where the record's line sits. kpt appends its own annotations after
 * ours, so re-injecting (which writes the record last) would move it on every run: that is no change.
 */
export function onlyRecordMoved(a: string, b: string): boolean {
  const x = RECORD_LINE.exec(a);
  const y = RECORD_LINE.exec(b);
  if (!x || !y) return false;
  if (x[0].trim() !== y[0].trim()) return false;
  return withoutMatch(a, x) === withoutMatch(b, y);
}

const withoutMatch = (text: string, match: RegExpExecArray) =>
  text.slice(0, match.index) + text.slice(match.index + match[0].length);
