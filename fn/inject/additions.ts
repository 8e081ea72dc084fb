/**
 * Places additions (named list items, map keys) into a resource and renders them as text edits. A missing
 * parent is created as one new key in the nearest existing map, so every addition is either
 * `[...listPath, {name}]` or `[...mapPath, key]`: that list of paths is the whole record removal needs.
 */
import { addToMap, insertIntoSeq, type Style } from '../yaml/block-edit';
import {
  aliasedAnchors,
  child,
  isMap,
  isSeq,
  nodeAt,
  pairOf,
  pathString,
  type Document,
  type Path,
  type YAMLMap,
  type YAMLSeq,
} from '../yaml/nodes';
import { replaceScalar, scalarLike, scalarSource } from '../yaml/scalar-edit';
import type { Edit } from '../yaml/text-edit';

export type Named = Record<string, unknown> & { name: string };

export type Addition = { path: Path; item: Named; at: 'start' | 'end' } | { path: Path; key: string; value: unknown };

/** A value the author wrote, rewritten in place: the scalar at `path` is to read `value`. */
export interface Rewrite {
  path: Path;
  value: string | number;
}

/** A rewrite placed: its scalar, the text it was written as and the text it will be (the record keeps both). */
export interface PlacedRewrite extends Rewrite {
  node: unknown;
  was: string;
  now: string;
}

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
}

export interface Placement {
  seqs: SeqInsert[];
  maps: MapInsert[];
  rewrites: PlacedRewrite[];
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
    } else if (node === undefined || node === null) {
      createParent(root, addition, mapInsert);
    } else {
      throw new Error(`${pathString(addition.path)} is not a ${'item' in addition ? 'list' : 'map'}`);
    }
  }
  return { seqs: [...seqs.values()], maps: [...maps.values()], rewrites: [] };
}

/**
 * The rewrites placed on their scalars, each written as the scalar it replaces is written (scalarLike); or
 * the first one that cannot be: a value that is not a one-line scalar (a block scalar, a map), or is gone.
 */
export function placeRewrites(
  src: string,
  root: YAMLMap,
  rewrites: readonly Rewrite[],
): PlacedRewrite[] | { path: Path; why: string } {
  const placed: PlacedRewrite[] = [];
  for (const rewrite of rewrites) {
    const node = nodeAt(root, rewrite.path);
    const was = scalarSource(src, node);
    if (was === undefined)
      return {
        path: rewrite.path,
        why:
          `${pathString(rewrite.path)} is ${node === undefined ? 'not there' : 'not a value written on one line'}, ` +
          'which this function does not rewrite',
      };
    placed.push({ ...rewrite, node, was, now: scalarLike(was, rewrite.value) });
  }
  return placed;
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
  let holder = insert.values;
  const keys = missing as string[];
  for (const key of keys.slice(0, -1)) holder = (holder[key] ??= {}) as Record<string, unknown>;
  const last = keys[keys.length - 1];
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
  const aliased = aliasedAnchors(doc);
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

/**
 * Sets the value a placement adds at `[...mapPath, key]`, wherever the placement put it: into an existing
 * map, or nested in a parent it creates. For the record, whose value is the placement's own paths.
 */
export function setPlacedValue(placement: Placement, mapPath: Path, key: string, value: unknown): void {
  const same = (a: Path, b: Path) => JSON.stringify(a) === JSON.stringify(b);
  // The deepest map that holds it: a created `labels` under `metadata` does not hold `metadata.annotations`.
  const insert = placement.maps
    .filter((m) => same(m.path, mapPath.slice(0, m.path.length)))
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
  return [
    ...placement.seqs.flatMap((s) => [
      ...(s.start.length ? [insertIntoSeq(src, s.seq, 0, s.start, style)] : []),
      ...(s.end.length ? [insertIntoSeq(src, s.seq, s.seq.items.length, s.end, style)] : []),
    ]),
    ...placement.maps.map((m) => addToMap(src, m.map, m.values, style)),
    ...placement.rewrites.map((r) => replaceScalar(r.node, r.now)),
  ];
}
