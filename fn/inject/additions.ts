/**
 * Places additions (named list items, map keys) into a resource and renders them as text edits. A missing
 * parent is created as one new key in the nearest existing map, so every addition is either
 * `[...listPath, {name}]` or `[...mapPath, key]`: that list of paths is the whole record removal needs.
 */
import { visit, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { addToMap, insertIntoSeq, type Style } from '../yaml/block-edit';
import { child, isMap, isSeq, nodeAt, pairOf, pathString, type Path } from '../yaml/nodes';
import type { Edit } from '../yaml/text-edit';

export type Named = Record<string, unknown> & { name: string };

export type Addition = { path: Path; item: Named; at: 'start' | 'end' } | { path: Path; key: string; value: unknown };

interface SeqInsert {
  path: Path;
  seq: YAMLSeq;
  start: Named[];
  end: Named[];
}
interface MapInsert {
  path: Path;
  map: YAMLMap;
  values: Record<string, unknown>;
  /** Some value (perhaps nested, under a created parent) is Lazy. */
  lazy?: boolean;
}

export interface Placement {
  seqs: SeqInsert[];
  maps: MapInsert[];
}

function getOrAdd<T>(inserts: Map<string, T>, path: Path, make: () => T): T {
  const key = JSON.stringify(path);
  let insert = inserts.get(key);
  if (!insert) inserts.set(key, (insert = make()));
  return insert;
}

/**
 * The first path where an addition cannot go: an existing key holding something other than the list or map
 * it needs (`env:` left empty, `volumes: null`, a scalar). Creating it anew would duplicate the key, so the
 * caller reports it instead of placing anything.
 */
export function unplaceable(root: YAMLMap, additions: readonly Addition[]): Path | undefined {
  for (const addition of additions) {
    let node: unknown = root;
    for (const [i, segment] of addition.path.entries()) {
      const pair = typeof segment === 'string' && isMap(node) ? pairOf(node, segment) : undefined;
      const next = typeof segment === 'string' ? (pair?.value ?? (pair ? null : undefined)) : child(node, segment);
      if (next === undefined) break;
      const last = i === addition.path.length - 1;
      const fits = last ? ('item' in addition ? isSeq(next) : isMap(next)) : isMap(next) || isSeq(next);
      if (!fits) return addition.path.slice(0, i + 1);
      node = next;
    }
  }
  return undefined;
}

export function place(root: YAMLMap, additions: readonly Addition[]): Placement {
  const seqs = new Map<string, SeqInsert>();
  const maps = new Map<string, MapInsert>();
  const mapInsert = (path: Path, map: YAMLMap): MapInsert => getOrAdd(maps, path, () => ({ path, map, values: {} }));
  for (const addition of additions) {
    const node = nodeAt(root, addition.path);
    if ('item' in addition && isSeq(node)) {
      getOrAdd(seqs, addition.path, () => ({ path: addition.path, seq: node, start: [], end: [] }))[addition.at].push(
        addition.item,
      );
    } else if ('key' in addition && isMap(node)) {
      const insert = mapInsert(addition.path, node);
      insert.values[addition.key] = addition.value;
      insert.lazy ||= typeof addition.value === 'function';
    } else if (node === undefined || node === null) {
      createParent(root, addition, mapInsert);
    } else {
      throw new Error(`${pathString(addition.path)} is not a ${'item' in addition ? 'list' : 'map'}`);
    }
  }
  return { seqs: [...seqs.values()], maps: [...maps.values()] };
}

/** Builds the missing part of an addition's path as a new value under the nearest existing map. */
function createParent(root: YAMLMap, addition: Addition, mapInsert: (path: Path, map: YAMLMap) => MapInsert) {
  const path = addition.path;
  let depth = path.length - 1;
  while (depth > 0 && !isMap(nodeAt(root, path.slice(0, depth)))) depth--;
  const anchor = depth === 0 ? root : (nodeAt(root, path.slice(0, depth)) as YAMLMap);
  const missing = path.slice(depth);
  if (missing.some((s) => typeof s !== 'string')) throw new Error(`${pathString(path)} does not exist`);
  const insert = mapInsert(path.slice(0, depth), anchor);
  insert.lazy ||= 'key' in addition && typeof addition.value === 'function';
  let holder = insert.values;
  const keys = missing as string[];
  for (const key of keys.slice(0, -1)) holder = (holder[key] ??= {}) as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if ('item' in addition) ((holder[last] ??= []) as Named[]).push(addition.item);
  else ((holder[last] ??= {}) as Record<string, unknown>)[addition.key] = addition.value;
}

/**
 * The first list or map the placement adds to that YAML shares with other places: anchored (`&name`) and
 * used through an alias (`*name`) elsewhere. Adding to it would change every one of those places (a
 * Deployment's selector that aliases its template labels, say), so the caller reports it instead.
 */
export function sharedTarget(placement: Placement, doc: Document | undefined): Path | undefined {
  if (!doc) return undefined; // only `yaml` parses anchors; the fast parser declines them
  const aliased = new Set<string>();
  visit(doc, { Alias: (_, alias) => void aliased.add(alias.source) });
  const targets = [
    ...placement.seqs.map((s) => ({ path: s.path, node: s.seq })),
    ...placement.maps.map((m) => ({ path: m.path, node: m.map })),
  ];
  return targets.find(({ node }) => node.anchor !== undefined && aliased.has(node.anchor))?.path;
}

/** The paths a placement adds: exactly what removal deletes. */
export function addedPaths(placement: Placement): Path[] {
  return [
    ...placement.seqs.flatMap((s) => [...s.start, ...s.end].map((item) => [...s.path, selectorOf(item)])),
    ...placement.maps.flatMap((m) => Object.keys(m.values).map((key) => [...m.path, key])),
  ];
}

/**
 * How the record names an added list item: by name, plus the mount path for a volume mount, because one
 * volume may be mounted at several paths of one container (mount-known-ca).
 */
function selectorOf(item: Named): { name: string; mountPath?: string } {
  return typeof item.mountPath === 'string' ? { name: item.name, mountPath: item.mountPath } : { name: item.name };
}

/** A value known only once the placement is complete (the record lists the placement's own paths). */
export type Lazy = () => unknown;

/** The value with its Lazy parts computed; copied only along the way to them. */
function resolve(value: unknown): unknown {
  if (typeof value === 'function') return (value as Lazy)();
  if (!hasLazy(value)) return value;
  if (Array.isArray(value)) return value.map(resolve);
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, resolve(v)]));
}

function hasLazy(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (!value || typeof value !== 'object') return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(hasLazy);
}

export function renderPlacement(src: string, placement: Placement, style: Style): Edit[] {
  return [
    ...placement.seqs.flatMap((s) => [
      ...(s.start.length ? [insertIntoSeq(src, s.seq, 0, s.start, style)] : []),
      ...(s.end.length ? [insertIntoSeq(src, s.seq, s.seq.items.length, s.end, style)] : []),
    ]),
    ...placement.maps.map((m) =>
      addToMap(src, m.map, (m.lazy ? resolve(m.values) : m.values) as Record<string, unknown>, style),
    ),
  ];
}
