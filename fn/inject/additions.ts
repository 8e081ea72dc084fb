/**
 * Places additions (named list items, map keys) into a resource and renders them as text edits. A missing
 * parent is created as one new key in the nearest existing map, and a key that holds null (`env:` left
 * empty, `volumes: ~`), which Kubernetes reads as absent, is filled in place; so every addition is either
 * `[...listPath, {name}]` or `[...mapPath, key]`, and with what each filled key held, that is the whole
 * record removal needs.
 */
import { addToMap, insertIntoSeq, keyColumn, type Style } from '../yaml/block-edit';
import { emitBlock } from '../yaml/emit';
import {
  aliasedAnchors,
  isAlias,
  isMap,
  isSeq,
  isPlainMap,
  isPlainSeq,
  isWithin,
  child,
  indirectKeys,
  nodeAt,
  pairOf,
  pathString,
  type YAMLMap,
  type YAMLSeq,
  type Document,
  type Pair,
  type Path,
} from '../yaml/nodes';
import { scalarLike, scalarSpan } from '../yaml/scalar-edit';
import { afterColon, fillEdits, nullRewrite, nullValue, type NullValue } from '../yaml/null-value';
import type { Edit } from '../yaml/text-edit';

export type Named = Record<string, unknown> & { name: string };

/**
 * Where each list item an earlier run added stood among the items that stay, by its recorded path (JSON): an
 * update puts it back there (`arranged`), so what the author added after it stays after it. Put at the end
 * again, it would go behind their env var that reads it (`$(SSL_CERT_FILE)` reads only earlier ones), and
 * every run over the file would move them. Made by removal (record.ts), read by the placement.
 */
export type Slots = ReadonlyMap<string, Slot>;
/**
 * `at`: how many of the items that stay came before it. `under`: the comment and blank lines between it and
 * the item that stays after it (an author's comment heading their item), which it goes back above.
 */
export interface Slot {
  at: number;
  under: number;
}

/**
 * A list item goes at the start or the end of its list; an earlier run's goes back where it stood, unless its
 * place is `fixed` by a setting (init containers: after the author's, or first), which then decides every run.
 */
export type Addition =
  { path: Path; item: Named; at: 'start' | 'end'; fixed?: boolean } | { path: Path; key: string; value: unknown };

/** A value the author wrote, rewritten in place: the scalar at `path` is to read `value`. */
export interface Rewrite {
  path: Path;
  value: string | number;
}

/**
 * A rewrite placed: the text it replaces (the scalar's own, or for a null everything after its key's colon:
 * null-value.ts), what that text was and what it will be (the record keeps both).
 */
export interface PlacedRewrite extends Rewrite {
  start: number;
  end: number;
  was: string;
  now: string;
}

/** A key holding null that the additions fill: the map holding it, the pair, and how the null is written. */
export interface Fill {
  map: YAMLMap;
  pair: Pair;
  at: NullValue;
}

/** Items into a list: an existing one (`seq`), or the null a fill turns into one. */
interface SeqInsert {
  path: Path;
  seq?: YAMLSeq;
  fill?: Fill;
  start: Named[];
  end: Named[];
  /**
   * Where an earlier run's items stood (Slots), by position in `[...start, ...end]`: an index among
   * the list's items, or undefined for the start or the end. Absent when none of them stood there before.
   */
  slots?: (Slot | undefined)[];
}
/** Keys into a map: an existing one (`map`), or the null a fill turns into one. */
interface MapInsert {
  path: Path;
  map?: YAMLMap;
  fill?: Fill;
  values: Record<string, unknown>;
}

export interface Placement {
  seqs: SeqInsert[];
  maps: MapInsert[];
  rewrites: PlacedRewrite[];
  /**
   * The maps and lists among the values that the injection creates (`metadata.labels` where there was none):
   * the record names them apart from what they hold, so removal takes one out only while it holds nothing
   * else (a label added to it since is the author's).
   */
  created: ReadonlySet<object>;
}

/**
 * The insert into one collection, keyed by the node it goes into (or the pair whose null it fills): in a tree
 * the walk reaches a node by one path only (aliases and merge keys are refused on the way), and a node is
 * cheaper to key by than its path as text, once per addition of every workload.
 */
function getOrAdd<T>(inserts: Map<object, T>, at: object, make: () => T): T {
  let insert = inserts.get(at);
  if (!insert) inserts.set(at, (insert = make()));
  return insert;
}

/** Where an addition cannot go, and what stands there: the workload is left as it was. */
export interface Blocked {
  blocked: Path;
  reason: 'unplaceable' | 'aliased';
  /** For unplaceable: the words after the path (`is a scalar, not the list the injection adds to`). */
  what?: string;
  /** For aliased: the anchor, by its name (`&labels, used elsewhere as *labels`). */
  anchor?: string;
}

/** What an addition's path reaches: the collection itself, or the deepest map it must be created in or filled. */
type Reach = { node: YAMLMap | YAMLSeq } | { create: YAMLMap; depth: number } | { fill: Fill; depth: number } | Blocked;

/** What keeps a list item from being found by name where it stands. */
const NOT_PLAIN = 'a merge key, an alias, a tag';

/** A node in a few words, for a path that holds the wrong thing. */
function describe(node: unknown): string {
  if (isMap(node) || isSeq(node)) {
    const tag = (node as { tag?: string }).tag;
    const plain = isMap(node) ? isPlainMap(node) : isPlainSeq(node);
    if (!plain) return `a ${tag?.replace('tag:yaml.org,2002:', '!!') ?? 'tagged collection'}`;
    return isMap(node) ? 'a map' : 'a list';
  }
  return 'a scalar';
}

/**
 * Follows an addition's path through plain maps and lists. A key that is absent is created; one that holds
 * null is filled; anything else in the way (a scalar, the other kind of collection, a !!omap or !!set, an
 * alias, a null that cannot be filled where it stands) blocks the addition.
 */
function reach(src: string, root: YAMLMap, doc: Document | undefined, addition: Addition): Reach {
  const path = addition.path;
  let node: YAMLMap | YAMLSeq = root;
  // Whether `node` is a map: asked of the root, then known from the step that reached it (`fits`), rather
  // than asked again of `yaml` (a megamorphic load, at every segment of every addition of every workload).
  let atMap = isMap(root);
  // An index loop: entries() makes an iterator and a pair per segment, for every addition of every workload.
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    const wants = last ? ('item' in addition ? 'list' : 'map') : typeof path[i + 1] === 'string' ? 'map' : 'list';
    let next: unknown;
    if (typeof segment === 'string') {
      if (!atMap) return { blocked: path.slice(0, i), reason: 'unplaceable', what: `${describe(node)}` };
      const pair = pairOf(node as YAMLMap, segment);
      if (!pair)
        return indirect(node as YAMLMap, segment, doc, path.slice(0, i)) ?? { create: node as YAMLMap, depth: i };
      const held = nullValue(src, node as YAMLMap, pair);
      if (held && 'why' in held)
        return {
          blocked: path.slice(0, i + 1),
          reason: 'unplaceable',
          what: `${held.why}, not the ${wants} the injection adds to`,
        };
      if (held) return { fill: { map: node as YAMLMap, pair, at: held }, depth: i };
      next = pair.value;
    } else {
      // A named item (or a Service's port): only one written out as a plain map can be found, and added to.
      next = child(node, segment);
      const item = 'name' in segment ? segment.name : `port ${segment.port}`;
      if (next === undefined)
        return {
          blocked: path.slice(0, i),
          reason: 'unplaceable',
          what: `a list whose item ${item ? `${item} ` : ''}is not written out as a plain map (${NOT_PLAIN})`,
        };
    }
    // A plain map or list is no alias: `yaml`'s isAlias (a megamorphic load) is asked only of what does not fit.
    const fits = wants === 'map' ? isPlainMap(next) : isPlainSeq(next);
    if (!fits && isAlias(next))
      return {
        blocked: path.slice(0, i + 1),
        reason: 'aliased',
        anchor: `*${next.source}, an alias of &${next.source}`,
      };
    if (!fits)
      return {
        blocked: path.slice(0, i + 1),
        reason: 'unplaceable',
        what: `${describe(next)}, not the ${wants} the injection adds to`,
      };
    node = next as YAMLMap | YAMLSeq;
    atMap = wants === 'map';
  }
  return ('key' in addition && atMap ? indirect(node as YAMLMap, addition.key, doc, path) : undefined) ?? { node };
}

/**
 * A key the map has only through a merge key (`<<: {...}`) or an alias key: written out beside them, it
 * would replace what they give (the author's init containers, labels, env) instead of adding to it.
 */
function indirect(map: YAMLMap, key: string, doc: Document | undefined, at: Path): Blocked | undefined {
  if (!indirectKeys(map, doc).includes(key)) return undefined;
  return {
    blocked: [...at, key],
    reason: 'unplaceable',
    what: 'given through a merge key (<<) or an alias key, which the injection cannot add to in place',
  };
}

/**
 * The additions placed, or the first one that cannot go where it must. A list item an earlier run added
 * goes back where it stood (`slots`, by recorded path), the others at the start or the end of their list.
 */
export function place(
  base: { text: string; root: YAMLMap; doc?: Document },
  additions: readonly Addition[],
  slots: Slots = new Map(),
): Placement | Blocked {
  const seqs = new Map<object, SeqInsert>();
  const maps = new Map<object, MapInsert>();
  const created = new Set<object>();
  const mapInsert = (path: Path, map: YAMLMap): MapInsert => getOrAdd(maps, map, () => ({ path, map, values: {} }));
  const fixed = new Set<Named>();
  for (const addition of additions) {
    if ('item' in addition && addition.fixed) fixed.add(addition.item);
    const reached = reach(base.text, base.root, base.doc, addition);
    if ('blocked' in reached) return reached;
    if ('node' in reached) {
      // Looked up here, not through getOrAdd: a closure per addition of every workload.
      const node = reached.node;
      if ('item' in addition) {
        let insert = seqs.get(node);
        if (!insert) seqs.set(node, (insert = { path: addition.path, seq: node, start: [], end: [] }));
        insert[addition.at].push(addition.item);
      } else {
        let insert = maps.get(node);
        if (!insert) maps.set(node, (insert = { path: addition.path, map: node as YAMLMap, values: {} }));
        insert.values[addition.key] = addition.value;
      }
      continue;
    }
    const depth = reached.depth;
    const rest = addition.path.slice(depth + ('fill' in reached ? 1 : 0));
    if (rest.some((s) => typeof s !== 'string')) throw new Error(`${pathString(addition.path)} does not exist`);
    if ('fill' in reached) {
      const path = addition.path.slice(0, depth + 1);
      const fill = reached.fill;
      // The filled null becomes the list the items go into, or the map the rest of the path is created in.
      if ('item' in addition && rest.length === 0) {
        getOrAdd(seqs, fill.pair, () => ({ path, fill, start: [], end: [] }))[addition.at].push(addition.item);
        continue;
      }
      create(getOrAdd(maps, fill.pair, () => ({ path, fill, values: {} })).values, rest, addition, created);
    } else {
      create(mapInsert(addition.path.slice(0, depth), reached.create).values, rest, addition, created);
    }
  }
  if (slots.size)
    for (const s of seqs.values()) {
      const at = [...s.start, ...s.end].map((item) =>
        fixed.has(item) ? undefined : slots.get(JSON.stringify([...s.path, selectorOf(item)])),
      );
      if (s.seq && at.some((slot) => slot !== undefined)) s.slots = at;
    }
  return { seqs: [...seqs.values()], maps: [...maps.values()], rewrites: [], created };
}

/**
 * A list's additions in the order they go in, grouped by the index of the item they go before (`length`:
 * the end): the start's at 0, the end's at `length`, an earlier run's where they stood; at one index, in
 * the order planned (the start's before the end's); `under`, the comment lines an earlier run's items go back above (Slot).
 * What the renderer writes and the guard expects.
 */
export function arranged(s: SeqInsert, length: number): { index: number; items: Named[]; under: number }[] {
  if (!s.slots) {
    // Pushed, not conditional spreads (which copy one by one): asked of every list of every workload.
    const groups: { index: number; items: Named[]; under: number }[] = [];
    if (s.start.length) groups.push({ index: 0, items: s.start, under: 0 });
    if (s.end.length) groups.push({ index: length, items: s.end, under: 0 });
    return groups;
  }
  const placed = [...s.start, ...s.end].map((item, i) => {
    const slot = s.slots![i];
    const fromStart = i < s.start.length;
    const index = slot === undefined ? (fromStart ? 0 : length) : Math.min(slot.at, length);
    return { item, index, under: slot?.under ?? 0, i };
  });
  // At one index, the order a fresh injection writes (start's, then end's, each as planned): a new item
  // among an earlier run's that stood at the end goes where a fresh run puts it, not after them.
  placed.sort((a, b) => a.index - b.index || a.i - b.i);
  const groups: { index: number; items: Named[]; under: number }[] = [];
  for (const { item, index, under } of placed) {
    const last = groups[groups.length - 1];
    if (last?.index === index) {
      last.items.push(item);
      last.under = Math.max(last.under, under);
    } else groups.push({ index, items: [item], under });
  }
  return groups;
}

/**
 * The rewrites placed on their scalars, each written as the scalar it replaces is written (scalarLike), a
 * null from its key's colon on (nullRewrite); or the first one that cannot be: a value that is not a
 * one-line scalar (a block scalar, a map), a null that is not on its key's line, or one that is gone.
 */
export function placeRewrites(
  src: string,
  root: YAMLMap,
  rewrites: readonly Rewrite[],
): PlacedRewrite[] | { path: Path; why: string } {
  const placed: PlacedRewrite[] = [];
  for (const rewrite of rewrites) {
    const at = rewriteAt(src, root, rewrite.path);
    if ('why' in at)
      return {
        path: rewrite.path,
        why: `${pathString(rewrite.path)} is ${at.why}, which this function does not rewrite`,
      };
    const now = at.null ? afterColon(scalarLike('', rewrite.value)) : scalarLike(at.was, rewrite.value);
    placed.push({ ...rewrite, start: at.start, end: at.end, was: at.was, now });
  }
  return placed;
}

/** The text a rewrite at `path` replaces, and whether it is a null's, or what stands there instead. */
function rewriteAt(
  src: string,
  root: YAMLMap,
  path: Path,
): { start: number; end: number; was: string; null?: true } | { why: string } {
  const node = nodeAt(root, path);
  if (node === undefined) return { why: 'not there' };
  const map = nodeAt(root, path.slice(0, -1));
  const pair = isMap(map) ? pairOf(map, path[path.length - 1] as string) : undefined;
  const held = pair && nullRewrite(src, map as YAMLMap, pair);
  if (held) return 'why' in held ? held : { ...held, null: true };
  const span = scalarSpan(src, node);
  if (span === undefined) return { why: 'not a value written on one line' };
  return { ...span, was: src.slice(span.start, span.end) };
}

/** Builds the missing keys of an addition's path, `keys`, as new values under `holder`, noting each in `created`. */
function create(
  holder: Record<string, unknown>,
  keys: readonly Path[number][],
  addition: Addition,
  created: Set<object>,
) {
  const madeAt = <T extends object>(into: Record<string, unknown>, key: string, empty: T): T => {
    if (into[key] === undefined) {
      created.add(empty);
      into[key] = empty;
    }
    return into[key] as T;
  };
  for (const key of keys.slice(0, -1) as string[]) holder = madeAt<Record<string, unknown>>(holder, key, {});
  const last = keys[keys.length - 1] as string | undefined;
  if (last === undefined) {
    // The filled map itself is the addition's map.
    if ('key' in addition) holder[addition.key] = addition.value;
    return;
  }
  if ('item' in addition) madeAt<Named[]>(holder, last, []).push(addition.item);
  else madeAt<Record<string, unknown>>(holder, last, {})[addition.key] = addition.value;
}

/**
 * The first list or map the placement adds to that YAML shares with other places: anchored (`&name`) and
 * used through an alias (`*name`) elsewhere. Adding to it would change every one of those places (a
 * Deployment's selector that aliases its template labels, say), so the caller reports it instead.
 */
export function sharedTarget(placement: Placement, doc: Document | undefined): Blocked | undefined {
  if (!doc) return undefined; // only `yaml` parses anchors; the fast parser declines them
  const aliased = aliasedAnchors(doc);
  const targets = [
    ...placement.seqs.map((s) => ({ path: s.path, node: s.seq })),
    ...placement.maps.map((m) => ({ path: m.path, node: m.map })),
  ];
  for (const { path, node } of targets)
    if (node?.anchor !== undefined && aliased.has(node.anchor))
      return { blocked: path, reason: 'aliased', anchor: `&${node.anchor}, used elsewhere as *${node.anchor}` };
  return undefined;
}

/** The keys a placement fills, each with the null it held as written (` ~`; '' for `key:` with nothing). */
export function filledKeys(placement: Placement): { path: Path; was: string }[] {
  const filled: { path: Path; was: string }[] = [];
  for (const s of placement.seqs) if (s.fill) filled.push({ path: s.path, was: s.fill.at.was });
  for (const m of placement.maps) if (m.fill) filled.push({ path: m.path, was: m.fill.at.was });
  return filled;
}

/**
 * The paths a placement adds, exactly what removal deletes (`added`: the entries, down through the maps and
 * lists it creates), and the maps and lists it creates (`created`: removed once they hold nothing else).
 */
export function addedPaths(placement: Placement): { added: Path[]; created: Path[] } {
  // Loops that push, not flatMap(), spreads of the items and Object.entries(): asked for every workload.
  const added: Path[] = [];
  for (const s of placement.seqs) {
    for (const item of s.start) added.push([...s.path, selectorOf(item)]);
    for (const item of s.end) added.push([...s.path, selectorOf(item)]);
  }
  const createdPaths: Path[] = [];
  const walk = (path: Path, value: unknown) => {
    if (typeof value !== 'object' || value === null || !placement.created.has(value)) {
      added.push(path);
      return;
    }
    createdPaths.push(path);
    if (Array.isArray(value)) for (const item of value as Named[]) added.push([...path, selectorOf(item)]);
    else for (const key of Object.keys(value)) walk([...path, key], (value as Record<string, unknown>)[key]);
  };
  for (const m of placement.maps) for (const key of Object.keys(m.values)) walk([...m.path, key], m.values[key]);
  return { added, created: createdPaths };
}

/**
 * How the record names an added list item: by name, plus the mount path for a volume mount, because one
 * volume may be mounted at several paths of one container (mount-known-ca).
 */
export function selectorOf(item: Named): { name: string; mountPath?: string } {
  return typeof item.mountPath === 'string' ? { name: item.name, mountPath: item.mountPath } : { name: item.name };
}

/**
 * Sets the value a placement adds at `[...mapPath, key]`, wherever the placement put it: into an existing
 * map, or nested in a parent it creates. For the record, whose value is the placement's own paths.
 */
export function setPlacedValue(placement: Placement, mapPath: Path, key: string, value: unknown): void {
  // The deepest map that holds it: a created `labels` under `metadata` does not hold `metadata.annotations`.
  const insert = placement.maps
    .filter((m) => isWithin(mapPath, m.path))
    .reduce<MapInsert | undefined>(
      (deepest, m) => (deepest && deepest.path.length > m.path.length ? deepest : m),
      undefined,
    );
  if (!insert) throw new Error(`${pathString([...mapPath, key])} is not part of the placement`);
  let holder = insert.values;
  for (const segment of mapPath.slice(insert.path.length))
    holder = holder[segment as string] as Record<string, unknown>;
  holder[key] = value;
}

export function renderPlacement(src: string, placement: Placement, style: Style): Edit[] {
  // Loops that push, not map() and spreads: see fn/inject/pod-facts.ts `containers`.
  const edits: Edit[] = [];
  for (const s of placement.seqs) {
    if (s.fill) edits.push(...filled(src, s.fill, [...s.start, ...s.end], style));
    else
      for (const { index, items, under } of arranged(s, s.seq!.items.length))
        edits.push(insertIntoSeq(src, s.seq!, index, items, style, under));
  }
  for (const m of placement.maps)
    if (m.fill) edits.push(...filled(src, m.fill, m.values, style));
    else edits.push(addToMap(src, m.map!, m.values, style));
  for (const { start, end, now } of placement.rewrites) edits.push({ start, end, text: now });
  return edits;
}

/** A filled null's edits: the block one level under its key (a list at the key's column, when the file writes lists so). */
function filled(src: string, fill: Fill, value: Named[] | Record<string, unknown>, style: Style): Edit[] {
  const key = keyColumn(src, fill.map);
  const column = Array.isArray(value) && !style.indentSeq ? key : key + style.indent;
  return fillEdits(src, fill.at, emitBlock(value, style, column), column);
}
