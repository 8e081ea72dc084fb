/**
 * The record kept on every injected workload (annotation `sidecar.speedscale.com/injection`): the paths of
 * everything the function added, so removal deletes exactly that and never guesses by name or prefix; every
 * key it filled because it held null (`key:`, `key: ~`), with the null as written, so removal writes it back;
 * and every value the author wrote that it rewrote (an appended JAVA_TOOL_OPTIONS, a Service's targetPort, the
 * inject annotation under capture: ebpf), with the text it was and the text it wrote, so removal writes the
 * author's text back byte for byte, and refuses when someone changed the value since.
 *
 * Version 1 is `{v, added}`; version 2 may add `filled` and `edited`; version 3 adds `created`: the maps and
 * lists the injection created to hold its additions (`metadata.labels` where there was none), whose entries
 * are in `added`. Removal takes a created one out only when nothing else is left in it: whatever was added to
 * it since is someone else's and stays. A record is written at the lowest version that holds it, and every
 * version reads; a release that knows only a lower version refuses a higher one (bad-record) rather than
 * restore the wrong text. Version 1 and 2 records name a created map or list in `added` itself, and removal
 * takes it out whole; the first run of a release that writes version 3 rewrites them, and says so when
 * nothing else changes (olderRecordOnly).
 */
import { deepFreeze } from '../frozen';
import { parseResource, type Resource } from '../resource';
import { OPERATOR_IGNORE_ANNOTATION, RECORD_ANNOTATION } from '../vocabulary';
import { commentBeside, linesUnder, removeFromMap, removeFromSeq } from '../yaml/block-edit';
import { readData } from '../yaml/documents';
import {
  isMap,
  isSeq,
  isWithin,
  itemNamed,
  itemWithPort,
  mapAt,
  nodeAt,
  pairOf,
  pathString,
  sameData,
  scalarString,
  type Path,
  type Segment,
  type YAMLMap,
  type YAMLSeq,
} from '../yaml/nodes';
import { colonToValueEnd, fromColon, restoreEdit } from '../yaml/null-value';
import { flowScalarRange, scalarSpan } from '../yaml/scalar-edit';
import { editLines, type Edit } from '../yaml/text-edit';
import { selectorOf, type Named, type Slot, type Slots } from './additions';
import { checkRemoval, type Restored, type Unsafe } from './guard';

export const RECORD_VERSIONS = [1, 2, 3] as const;

/** A key the injection filled, and the null it held as written after its colon (` ~`, ` null`; '' for nothing). */
export interface Filled {
  path: Path;
  was: string;
}

/** A value the author wrote that the function rewrote: its text before and after, as written in the source. */
export interface Rewritten {
  path: Path;
  was: string;
  now: string;
}

export interface InjectionRecord {
  v: number;
  added: Path[];
  /** Version 2: keys filled in place. */
  filled?: Filled[];
  /** Version 2: values rewritten in place. */
  edited?: Rewritten[];
  /** Version 3: maps and lists created to hold additions. */
  created?: Path[];
}

/** What a record holds besides its additions. */
export interface RecordedChanges {
  filled?: readonly Filled[];
  edited?: readonly Rewritten[];
  created?: readonly Path[];
}

export function serializeRecord(added: Path[], changes: RecordedChanges = {}): string {
  const { filled = [], edited = [], created = [] } = changes;
  // Workloads written alike get the same record: the last one's text is kept, and given again when what it
  // was made from reads the same, which also gives the emitter the same string, whose text it has cached.
  // What it was made from is frozen as it is kept: changed in place later, it would give a stale record;
  // frozen, such a change throws.
  const last = lastRecord;
  if (
    last &&
    sameJSON(last.added, added) &&
    sameJSON(last.filled, filled) &&
    sameJSON(last.edited, edited) &&
    sameJSON(last.created, created)
  )
    return last.text;
  const text = recordJSON(added, filled, edited, created);
  lastRecord = deepFreeze({ added, filled, edited, created, text });
  return text;
}

let lastRecord:
  | {
      added: readonly Path[];
      filled: readonly Filled[];
      edited: readonly Rewritten[];
      created: readonly Path[];
      text: string;
    }
  | undefined;

function recordJSON(
  added: Path[],
  filled: readonly Filled[],
  edited: readonly Rewritten[],
  created: readonly Path[],
): string {
  if (!filled.length && !edited.length && !created.length)
    return JSON.stringify({ v: 1, added } satisfies InjectionRecord);
  const record: InjectionRecord = {
    v: created.length ? 3 : 2,
    added,
    ...(created.length && { created: [...created] }),
    ...(filled.length && { filled: [...filled] }),
    ...(edited.length && { edited: [...edited] }),
  };
  return JSON.stringify(record);
}

/**
 * Whether two values of JSON data are written alike by JSON.stringify: the same strings, numbers and
 * booleans, arrays of the same length, plain objects with the same keys in the same order. Anything else
 * (a toJSON method, another prototype) is said to differ, and written afresh.
 */
function sameJSON(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJSON(a[i], b[i])) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  const others = Object.keys(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== others[i] || !sameJSON(a[key], b[key])) return false;
  }
  return true;
}

const isPlainObject = (value: object): value is Record<string, unknown> =>
  Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value);

const isSegment = (s: unknown): boolean =>
  typeof s === 'string' ||
  (typeof s === 'object' &&
    s !== null &&
    (typeof (s as { name?: unknown }).name === 'string' || Number.isInteger((s as { port?: unknown }).port)));

const isPath = (p: unknown): p is Path => Array.isArray(p) && p.length > 0 && p.every(isSegment);

/** A path that ends in a map's key: what a filled or created entry is. */
const isKeyPath = (p: unknown): p is Path => isPath(p) && typeof p[p.length - 1] === 'string';

const isRewritten = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  isPath((e as Rewritten).path) &&
  typeof (e as Rewritten).was === 'string' &&
  typeof (e as Rewritten).now === 'string';

const isFilled = (f: unknown): f is Filled =>
  typeof f === 'object' &&
  f !== null &&
  isKeyPath((f as Filled).path) &&
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
  if (!RECORD_VERSIONS.includes(record?.v as never)) {
    const last = RECORD_VERSIONS[RECORD_VERSIONS.length - 1];
    const newer = typeof record?.v === 'number' && record.v > last ? '; a newer release may have written it' : '';
    return `has unsupported version ${JSON.stringify(record?.v)} (this release reads ${RECORD_VERSIONS[0]} to ${last}${newer})`;
  }
  if (!Array.isArray(record.added) || !record.added.every(isPath)) return 'has a malformed "added" list';
  if (record.v === 1 && (record.filled !== undefined || record.edited !== undefined))
    return 'has "filled" or "edited" entries, which version 1 cannot have';
  if (record.v !== 3 && record.created !== undefined) return 'has "created" entries, which only version 3 can have';
  if (record.created !== undefined && !(Array.isArray(record.created) && record.created.every(isKeyPath)))
    return 'has a malformed "created" list';
  if (record.filled !== undefined && !(Array.isArray(record.filled) && record.filled.every(isFilled)))
    return 'has a malformed "filled" list';
  if (record.edited !== undefined && (!Array.isArray(record.edited) || !record.edited.every(isRewritten)))
    return 'has a malformed "edited" list';
  return record;
}

type Selector = Exclude<Segment, string> & { mountPath?: unknown };

/** Whether a list item is one a named record segment names: by name, and mount path when it has one (additions.ts). */
const named = (item: unknown, selector: Selector & { name: string }): boolean =>
  isMap(item) &&
  scalarString(item.get('name', true)) === selector.name &&
  (typeof selector.mountPath !== 'string' || scalarString(item.get('mountPath', true)) === selector.mountPath);

/** The item a record segment names: by name (and mount path when it has one, see additions.ts), or by port. */
function itemSelected(seq: YAMLSeq, selector: Selector) {
  if (!('name' in selector)) return itemWithPort(seq, selector.port);
  if (typeof selector.mountPath !== 'string') return itemNamed(seq, selector.name);
  return seq.items.find((item) => named(item, selector));
}

/**
 * Whether more than one item answers to a named record segment: an env var of the injection's name added by
 * hand beside it. Which one the injection added cannot be told, and removing the wrong one would delete the
 * author's and leave the function's. (A port may stand twice, once per protocol: the first is the one edited.)
 */
const selectsTwice = (seq: YAMLSeq, selector: Selector): boolean =>
  'name' in selector && seq.items.filter((item) => named(item, selector)).length > 1;

/**
 * Edits that remove every recorded addition still present: `removed` lists the paths they remove, `missing`
 * those already gone.
 */
export function removalEdits(
  src: string,
  root: YAMLMap,
  record: InjectionRecord,
): { edits: Edit[]; missing: Path[]; removed: Path[]; twice: Path[]; slots: Slots } {
  // Grouped by parent: several entries leaving one flow collection must be removed together.
  const byParent = new Map<string, { parent: unknown; doomed: unknown[]; paths: Path[] }>();
  const doom = (path: Path, parent: unknown, entry: unknown) => {
    const key = JSON.stringify(path.slice(0, -1));
    const group = byParent.get(key) ?? byParent.set(key, { parent, doomed: [], paths: [] }).get(key)!;
    group.doomed.push(entry);
    group.paths.push(path);
  };
  const missing: Path[] = [];
  const twice: Path[] = [];
  // A path named twice (a hand-written record) is removed once.
  const unique = [...new Map(record.added.map((path) => [JSON.stringify(path), path])).values()];
  for (const path of unique) {
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
    if (entry && typeof last !== 'string' && selectsTwice(parent as YAMLSeq, last)) twice.push(path);
    else if (entry) doom(path, parent, entry);
    else missing.push(path);
  }
  // A created map or list goes whole once every entry in it goes (deepest first, so its parent counts it);
  // else only its recorded entries go, and it stays with what was added to it since: entries, or comments.
  for (const path of [...(record.created ?? [])].sort((a, b) => b.length - a.length)) {
    const node = nodeAt(root, path);
    const inner = byParent.get(JSON.stringify(path));
    const parent = nodeAt(root, path.slice(0, -1));
    if (!(isMap(node) || isSeq(node)) || !isMap(parent) || (inner?.doomed.length ?? 0) !== node.items.length) continue;
    const pair = pairOf(parent, path[path.length - 1] as string);
    if (!pair || commentBeside(src, pair, node, inner?.doomed ?? [])) continue;
    byParent.delete(JSON.stringify(path));
    doom(path, parent, pair);
  }
  // An entry inside another one that goes (a hand-written record may name both) goes with it: one edit.
  const gone = [...byParent.values()].flatMap((group) => group.paths);
  for (const key of [...byParent.keys()])
    if (gone.some((path) => isWithin(JSON.parse(key) as Path, path))) byParent.delete(key);
  const edits = [...byParent.values()].flatMap(({ parent, doomed }) =>
    isMap(parent) ? removeFromMap(src, parent, doomed as never) : removeFromSeq(src, parent as never, doomed as never),
  );
  // A filled key whose every entry goes gets back the null it held (`key:` needs nothing: it is what is left).
  for (const { path, was } of record.filled ?? []) {
    const map = nodeAt(root, path.slice(0, -1));
    const pair = isMap(map) ? pairOf(map, path[path.length - 1] as string) : undefined;
    const held = pair?.value;
    const entries = isMap(held) || isSeq(held) ? held.items.length : -1;
    if (!pair || held === null || (isMap(held) || isSeq(held) ? held.flow : true)) continue;
    if (byParent.get(JSON.stringify(path))?.doomed.length !== entries) continue;
    const restore = restoreEdit(src, pair, was);
    if (restore) edits.push(restore);
  }
  return {
    edits,
    missing,
    removed: [...byParent.values()].flatMap((group) => group.paths),
    twice,
    slots: slotsOf(src, byParent.values()),
  };
}

/**
 * A recorded path as the placement writes its own (additions.ts selectorOf): a hand-written
 * `{"mountPath": …, "name": …}` names the same item as `{"name": …, "mountPath": …}`.
 */
const slotKey = (path: Path): string =>
  JSON.stringify(path.map((s) => (typeof s === 'string' || !('name' in s) ? s : selectorOf(s as Named))));

/** Where each item removed from a list stood: how many of the items that stay came before it. */
function slotsOf(src: string, groups: Iterable<{ parent: unknown; doomed: unknown[]; paths: Path[] }>): Slots {
  const slots = new Map<string, Slot>();
  for (const { parent, doomed, paths } of groups) {
    if (!isSeq(parent)) continue;
    const gone = new Set(doomed);
    doomed.forEach((item, k) => {
      const index = parent.items.indexOf(item);
      const before = parent.items.slice(0, index).filter((other) => !gone.has(other)).length;
      const next = parent.items[index + 1];
      const under = next !== undefined && !gone.has(next) ? linesUnder(src, parent, index) : 0;
      slots.set(slotKey(paths[k]), { at: before, under });
    });
  }
  return slots;
}

/** Where the record is kept. */
export const RECORD_PATH: Path = ['metadata', 'annotations', RECORD_ANNOTATION];

/** The record's own text, or undefined when the resource carries none. */
export function recordText(root: YAMLMap): string | undefined {
  return scalarString(mapAt(root, ['metadata', 'annotations'])?.get(RECORD_ANNOTATION, true));
}

/** The resource as its author wrote it, and what an earlier run's record said of it. */
export interface Stripped {
  base: Resource;
  wasInjected: boolean;
  missing: Path[];
  created: Path[];
  slots: Slots;
}

/**
 * The resource as its author wrote it: with what an earlier run recorded taken out, and whether there was
 * anything to take; or why the record cannot be trusted.
 */
export function stripRecord(input: Resource): Stripped | { unsafe: Unsafe } | string {
  const text = recordText(input.root);
  if (text === undefined) return { base: input, wasInjected: false, missing: [], created: [], slots: NO_SLOTS };
  const record = parseRecord(text);
  if (typeof record === 'string') return `injection record ${record}; cannot tell what was injected`;
  const removed = withoutRecorded(input, record);
  if (!('text' in removed)) return 'why' in removed ? `injection record: ${removed.why}` : removed;
  const base = parseResource(removed.text);
  if ('error' in base) return `removing the injection failed: ${base.error}`;
  // Created maps and lists left for what was added to them since: still the injection's (injection-text.ts).
  const created = (record.created ?? []).filter((path) => {
    const node = nodeAt(base.root, path);
    return (isMap(node) || isSeq(node)) && node.items.length > 0;
  });
  return { base, wasInjected: true, missing: removed.missing, created, slots: removed.slots };
}

const NO_SLOTS: Slots = new Map();

/**
 * What the record names that is no longer there: an app container renamed since keeps the proxy variables
 * the injection gave it, which removal can no longer find. Said, so someone looks.
 */
export function recordGone(missing: readonly Path[]): string | undefined {
  if (!missing.length) return undefined;
  const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
  return `the injection record names ${pathString(missing[0])}${more}, not there any more (renamed or removed since)`;
}

/**
 * The text with every recorded addition still present removed and every rewritten value written back as the
 * author wrote it, checked by the guard before it is used; or why it cannot be (a rewritten value someone
 * changed since: writing the old text back would lose their change).
 */
export function withoutRecorded(
  input: Resource,
  record: InjectionRecord,
): { text: string; missing: Path[]; slots: Slots } | { unsafe: Unsafe } | { why: string } {
  const restored: Restored[] = [];
  const restoring: Edit[] = [];
  const moved: Path[] = [];
  for (const { path, was, now } of record.edited ?? []) {
    const node = nodeAt(input.root, path);
    // Removed since, or its item renamed or renumbered (a Service's port 80 made 81), which leaves the
    // function's value in place with nothing to find it by: said (recordGone), never passed over in silence.
    if (node === undefined) {
      moved.push(path);
      continue;
    }
    const written = rewrittenAt(input.text, input.root, path, now);
    const current = written && input.text.slice(written.start, written.end);
    const at = current === now ? written : rewrittenAlike(input, path, now);
    if (!at)
      return {
        why:
          `${pathString(path)} reads ${shownValue(current) ?? 'something else'}, not ${shownValue(now)} as the ` +
          `function wrote it: it was changed since; write it back as ${shownValue(was)} (the author's) or ` +
          `${shownValue(now)}, then run again`,
      };
    const read = readData(was);
    if ('error' in read)
      return { why: `the recorded value of ${pathString(path)} does not read as YAML (${read.error})` };
    restored.push({ path, value: read.value });
    restoring.push({ ...at, text: was });
  }
  let removed: Path[] = [];
  let missing: Path[] = [];
  let twice: Path[] = [];
  let slots: Slots = NO_SLOTS;
  const text = editLines(input.text, (src) => {
    const removal = removalEdits(src, input.root, record);
    ({ removed, missing, twice, slots } = removal);
    return [...removal.edits, ...restoring];
  });
  if (twice.length) {
    const more = twice.length > 1 ? ` and ${twice.length - 1} more` : '';
    return {
      why:
        `${pathString(twice[0])}${more} stands twice, once as the injection's and once added by hand, and which ` +
        'is which cannot be told: take out the one added by hand and run again (to set it yourself, write it ' +
        'while the sidecar is out: the injection then keeps it as written)',
    };
  }
  const unsafe = checkRemoval(input, removed, text, restored);
  return unsafe ? { unsafe } : { text, missing: [...missing, ...moved], slots };
}

/**
 * Where a recorded rewrite's new text stands: the scalar's own text, or, for a null's rewrite (its texts
 * written from the key's colon on: null-value.ts), everything from the colon to the value's end.
 */
function rewrittenAt(src: string, root: YAMLMap, path: Path, now: string): { start: number; end: number } | undefined {
  const node = nodeAt(root, path);
  if (!fromColon(now)) {
    return scalarSpan(src, node);
  }
  const map = nodeAt(root, path.slice(0, -1));
  const pair = isMap(map) ? pairOf(map, path[path.length - 1] as string) : undefined;
  return pair && colonToValueEnd(src, pair);
}

/**
 * Where a rewritten value stands that is written otherwise than the function wrote it but reads the same
 * (a formatter requoted or folded it: `'false'` for `"false"`): not changed since, so still the function's
 * to write back. A null's rewrite, written from the colon, is only ever taken as written.
 */
function rewrittenAlike(input: Resource, path: Path, now: string): { start: number; end: number } | undefined {
  if (fromColon(now)) return undefined;
  const node = nodeAt(input.root, path);
  const at = flowScalarRange(node);
  const read = at && readData(now);
  return read && !('error' in read) && sameData(node, read.value, input.doc) ? at : undefined;
}

/** A recorded text in words: a null's rewrite is written from the colon, and may be nothing at all. */
const shownValue = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : text.trim() || 'nothing';

/**
 * The version of the record `input` carries, when the new text differs from it in the record's value alone
 * and that record is of an older version: the first run of a release that writes a newer one rewrites it,
 * which is worth saying as such (a drift gate otherwise blames settings that did not change).
 */
export function olderRecordOnly(text: string, input: string): number | undefined {
  const was = RECORD_LINE.exec(input);
  const now = RECORD_LINE.exec(text);
  // Wherever the line is: kpt appends its own annotations after it, and a re-run writes it last again.
  if (
    !was ||
    was[1] !== now?.[1] ||
    !onlyRecordMoved(
      text.replace(now[0], () => was[0]),
      input,
    )
  )
    return undefined;
  const version = /"v":(\d+)/.exec(was[0])?.[1];
  const current = /"v":(\d+)/.exec(now[0])?.[1];
  return version !== undefined && current !== undefined && Number(version) < Number(current)
    ? Number(version)
    : undefined;
}

const RECORD_LINE = new RegExp(`^([ \\t]*)${escaped(RECORD_ANNOTATION)}:[^\\n]*\\n`, 'm');

/** The workload annotations the function adds beside its record, in the same map (plan.ts). */
const OWN_ANNOTATIONS = [RECORD_ANNOTATION, OPERATOR_IGNORE_ANNOTATION].map(escaped).join('|');

function escaped(key: string): string {
  return key.replace(/[./]/g, '\\$&');
}

/**
 * Whether two texts differ only in where the record's line, and the other annotations added beside it, sit.
 * kpt appends its own annotations after ours, so re-injecting (which writes them last) would move them on
 * every run: that is no change.
 */
export function onlyRecordMoved(a: string, b: string): boolean {
  const x = RECORD_LINE.exec(a);
  const y = RECORD_LINE.exec(b);
  if (!x || x[1] !== y?.[1] || x[0].trim() !== y[0].trim()) return false;
  // Our lines of that map (its keys' indentation), wherever they are in it: the same lines, the rest equal.
  const own = new RegExp(`^${x[1]}(?:${OWN_ANNOTATIONS}):[^\\n]*\\n`, 'gm');
  const lines = (text: string) => (text.match(own) ?? []).sort().join('');
  return lines(a) === lines(b) && a.replace(own, '') === b.replace(own, '');
}
