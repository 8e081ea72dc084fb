/** The one module that knows the `yaml` node API (isolates the v2 -> v3 change). */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Document,
  type Node,
  type Pair,
  visit,
} from 'yaml';

export { isAlias, isMap, isScalar, isSeq };

export type { Document, Node, Pair };
export { YAMLMap, YAMLSeq };

/**
 * isScalar by the prototype chain, for the hottest walks: `yaml`'s reads a symbol-keyed type that each kind of
 * node holds in another place (a megamorphic load). Every scalar is a Scalar: made by its constructor, or
 * over its prototype (node-factory.ts), and a build holds one `yaml` (scripts/build.mjs oneYaml).
 */
const scalarNode = (node: unknown): node is Scalar => node instanceof Scalar;

/**
 * A key segment, or a selector for lists of objects: `{name}` for named ones (containers, env, volumes...),
 * `{port}` for a Service's ports, which need no name when there is only one.
 */
export type Segment = string | { name: string } | { port: number };
export type Path = readonly Segment[];

/** The pair whose key reads as `key` (`1:` is found as "1"). Loops, not find(): this is the hottest lookup. */
export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  for (const pair of map.items) {
    // The value first: most keys are strings, and comparing one costs less than asking a node its type.
    const k = pair.key as { value?: unknown } | null;
    const value = k?.value;
    if (value === key ? scalarNode(k) : typeof value !== 'string' && scalarNode(k) && String(value) === key)
      return pair;
  }
  return undefined;
}

export function itemNamed(seq: YAMLSeq, name: string): Node | undefined {
  for (const item of seq.items) if (isMap(item) && scalarString(pairOf(item, 'name')?.value) === name) return item;
  return undefined;
}

export function child(node: unknown, segment: Segment): Node | undefined {
  if (typeof segment === 'string')
    return isMap(node) ? ((pairOf(node, segment)?.value as Node | undefined) ?? undefined) : undefined;
  if (!isSeq(node)) return undefined;
  return 'name' in segment ? itemNamed(node, segment.name) : itemWithPort(node, segment.port);
}

/** The item whose `port` is `port` (a Service's ports: unique per protocol, and TCP is what the proxy takes). */
export function itemWithPort(seq: YAMLSeq, port: number): Node | undefined {
  for (const item of seq.items)
    if (isMap(item) && String(scalarValue(pairOf(item, 'port')?.value)) === String(port)) return item;
  return undefined;
}

/** A scalar's value (any type), or undefined for anything else. */
const scalarValue = (node: unknown): unknown => (isScalar(node) ? node.value : undefined);

export function nodeAt(root: unknown, path: Path): Node | undefined {
  let node = root as Node | undefined;
  for (const segment of path) {
    node = child(node, segment);
    if (node === undefined) return undefined;
  }
  return node;
}

export function scalarString(node: unknown): string | undefined {
  return scalarNode(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function mapAt(root: unknown, path: Path): YAMLMap | undefined {
  const node = nodeAt(root, path);
  return isMap(node) ? node : undefined;
}

export function seqAt(root: unknown, path: Path): YAMLSeq | undefined {
  const node = nodeAt(root, path);
  return isSeq(node) ? node : undefined;
}

/** String entries of a map (annotations, labels); non-string values are reported separately by the caller. */
export function entries(map: YAMLMap | undefined): [string, Node | null][] {
  // A loop that pushes, not flatMap(): read twice for every workload (its annotation layers), where
  // flatMap's array per entry was most of the cost.
  const out: [string, Node | null][] = [];
  if (map)
    for (const pair of map.items)
      if (scalarNode(pair.key)) out.push([String(pair.key.value), pair.value as Node | null]);
  return out;
}

/**
 * Keys a map has in its data but does not spell out as plain keys: written as an alias (`*k: v`) or
 * merged in (`<<: {...}`). Reading the map's own pairs would miss them.
 */
export function indirectKeys(map: YAMLMap | undefined, doc?: Document): string[] {
  if (!map || !hasIndirectKey(map)) return [];
  const spelled = new Set(entries(map).map(([key]) => key));
  return Object.keys((toJSON(map, doc) as Record<string, unknown> | null) ?? {}).filter((key) => !spelled.has(key));
}

/**
 * A merge key (`yaml` gives it the value Symbol(<<)) or an alias key: a loop, asked of every key added. A
 * scalar key, most keys, is told by its prototype chain (scalarNode) and is no alias; only other keys are
 * asked of `yaml`'s isAlias, a megamorphic load.
 */
function hasIndirectKey(map: YAMLMap): boolean {
  for (const { key } of map.items) if (scalarNode(key) ? typeof key.value === 'symbol' : isAlias(key)) return true;
  return false;
}

/**
 * The keys of the map at `path` when the path reaches it through an alias (`annotations: *a`, or an aliased
 * map above it), as its data reads them: the map's own pairs, which the other readers walk, are the anchor's
 * elsewhere. Empty when no alias is on the way (or the fast parser read it: it declines aliases).
 */
export function keysThroughAlias(root: unknown, path: Path, doc?: Document): string[] {
  if (!doc) return [];
  let node = root as Node | undefined;
  let through = false;
  const resolved = (n: Node | undefined) => {
    if (!isAlias(n)) return n;
    through = true;
    return n.resolve(doc);
  };
  for (const segment of path) {
    node = child(resolved(node), segment);
    if (node === undefined) return [];
  }
  node = resolved(node);
  return through && isMap(node) ? Object.keys((toJSON(node, doc) as Record<string, unknown> | null) ?? {}) : [];
}

/** A node's source range: [start, end of its value, end including what `yaml` counts with it]. */
export type Range = [number, number, number];

export function rangeOf(node: unknown): Range {
  const range = (node as { range?: Range | null } | null)?.range;
  if (range) return range;
  // A pair that is a sequence's item (!!omap, !!pairs) has no range of its own: its key's start to its value's end.
  if (isPair(node) && node.key) {
    const [start] = rangeOf(node.key);
    const [, end, after] = rangeOf(node.value ?? node.key);
    return [start, end, after];
  }
  throw new Error('node without a source range');
}

/** Whether `path` is `prefix` or lies below it (segments compared as data). */
export function isWithin(path: Path, prefix: Path): boolean {
  if (path.length < prefix.length) return false;
  // Segment by segment, as their JSON compares: strings by value, selectors by their JSON (key order too).
  for (let i = 0; i < prefix.length; i++) {
    const a = path[i];
    const b = prefix[i];
    if (a !== b && (typeof a === 'string' || typeof b === 'string' || JSON.stringify(a) !== JSON.stringify(b)))
      return false;
  }
  return true;
}

/** Whether two paths name the same place (segments compared as isWithin compares them). */
export const samePath = (a: Path, b: Path): boolean => a.length === b.length && isWithin(a, b);

export function pathString(path: Path): string {
  return path
    .map((s, i) =>
      typeof s === 'string'
        ? /^[A-Za-z0-9_]+$/.test(s)
          ? `${i ? '.' : ''}${s}`
          : `[${JSON.stringify(s)}]`
        : 'name' in s
          ? `[name=${s.name}]`
          : `[port=${s.port}]`,
    )
    .join('');
}

/**
 * A node as JSON data, as `Document.toJSON` gives it: built directly for maps with plain string keys,
 * sequences and scalars (`yaml`'s general conversion was a twentieth of a large run); anything else
 * (aliases, merge keys, dates, odd keys) is converted by `yaml`, in the context of `doc` when the node
 * came from one. test/unit/fast-parse.test.ts holds it to `yaml`.
 */
export function toJSON(node: unknown, doc?: Document): unknown {
  // walk's own recursion, without its callbacks: two closures made for every call (the pod facts' values,
  // each annotation map, every value added to a map), and one more for every sequence in it.
  if (scalarNode(node)) return scalarJSON(node, doc);
  if (isPlainSeq(node)) {
    const out: unknown[] = [];
    for (const item of node.items) out.push(toJSON(item, doc));
    return out;
  }
  if (isPlainMap(node)) {
    const out: Record<string, unknown> = {};
    for (const { key, value } of node.items) {
      const name = plainKey(key);
      if (name === undefined) return yamlToJSON(node, doc);
      out[name] = toJSON(value, doc);
    }
    return out;
  }
  return node === null || node === undefined ? node : yamlToJSON(node, doc);
}

/**
 * A map or sequence that toJSON converts by its items (not one of `yaml`'s subclasses: !!set, !!omap), asked
 * by the prototype chain as scalarNode asks: its constructor is `yaml`'s own.
 */
export const isPlainMap = (node: unknown): node is YAMLMap => node instanceof YAMLMap && node.constructor === YAMLMap;
export const isPlainSeq = (node: unknown): node is YAMLSeq => node instanceof YAMLSeq && node.constructor === YAMLSeq;

/**
 * A pair's key as toJSON writes it: a string scalar, neither `__proto__` nor a merge key. Undefined for any
 * other key, for which toJSON hands its whole map to `yaml`.
 */
export function plainKey(key: unknown): string | undefined {
  return scalarNode(key) && typeof key.value === 'string' && key.value !== '__proto__' && !('addToJSMap' in key)
    ? key.value
    : undefined;
}

/** A scalar's data as toJSON gives it: its value, unless that is no JSON (a date, a bigint). */
function scalarJSON(scalar: Scalar, doc: Document | undefined): unknown {
  const value = scalar.value;
  if (typeof value === 'bigint') return Number(value);
  return (typeof value === 'object' && value !== null) || typeof value === 'function' ? yamlToJSON(scalar, doc) : value;
}

/**
 * Whether a node means `data` (JSON data, as toJSON gives it), without building the node's data: plain
 * maps, sequences and scalars are compared where they stand; anything else through toJSON. Maps compare
 * as key sets (a key whose value is undefined in `data` is no key), sequences in order.
 */
export function sameData(node: unknown, data: unknown, doc?: Document): boolean {
  if (scalarNode(node)) {
    const value = node.value;
    if (typeof value === 'bigint') return Number(value) === data;
    if ((typeof value === 'object' && value !== null) || typeof value === 'function')
      return same(toJSON(node, doc), data);
    return Object.is(value, data) || (value === undefined && data === null);
  }
  if (isPlainSeq(node)) {
    if (!Array.isArray(data) || data.length !== node.items.length) return false;
    for (let i = 0; i < data.length; i++) if (!sameData(node.items[i], data[i], doc)) return false;
    return true;
  }
  if (isPlainMap(node)) {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
    const object = data as Record<string, unknown>;
    let keys = 0;
    for (const { key, value } of node.items) {
      const name = plainKey(key);
      if (name === undefined) return same(toJSON(node, doc), data);
      const expected = object[name];
      if (expected === undefined || !sameData(value, expected, doc)) return false;
      keys++;
    }
    for (const key in object) if (object[key] === undefined) keys++;
    return keys === Object.keys(object).length;
  }
  return same(node === null || node === undefined ? (node ?? null) : toJSON(node, doc), data);
}

/** Deep equality of JSON data (maps as key sets, a key whose value is undefined being no key). */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], other[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    if (!same(x[key], y[key])) return false;
    n++;
  }
  for (const key in y) if (y[key] !== undefined) n--;
  return n === 0;
}

/**
 * A node as `Document.toJS` gives it (values kept as parsed), when it is made of maps with plain string
 * keys, sequences and scalars only; undefined otherwise (then `yaml` should read the text).
 */
export function plainToJS(node: unknown): unknown {
  try {
    return walk(
      node,
      (scalar) => scalar.value,
      () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sentinel caught just below, no stack to build
        throw NOT_PLAIN;
      },
    );
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

const NOT_PLAIN = Symbol('not plain');

/** Maps and sequences as objects and arrays (not their subclasses: !!set, !!omap become Sets and Maps). */
function walk(node: unknown, scalar: (node: Scalar) => unknown, other: (node: unknown) => unknown): unknown {
  if (scalarNode(node)) return scalar(node);
  if (isPlainSeq(node)) return node.items.map((item) => walk(item, scalar, other));
  if (isPlainMap(node)) {
    const out: Record<string, unknown> = {};
    for (const { key, value } of node.items) {
      const name = plainKey(key);
      if (name === undefined) return other(node);
      out[name] = walk(value, scalar, other);
    }
    return out;
  }
  return node === null || node === undefined ? node : other(node);
}

/** The context Document.toJSON passes down (yaml's ToJSContext): aliases and merge keys resolve in `doc`. */
function yamlToJSON(node: unknown, doc: Document | undefined): unknown {
  // mapKeyWarned: yaml's warning about collection keys is not ours to print on stderr.
  const ctx = doc && { anchors: new Map(), doc, keep: false, mapAsMap: false, mapKeyWarned: true, maxAliasCount: 100 };
  return (node as { toJSON(arg: unknown, ctx: unknown): unknown }).toJSON('', ctx);
}

/** The anchors (`&name`) that some alias (`*name`) in the document refers to. */
export function aliasedAnchors(doc: Document): Set<string> {
  const aliased = new Set<string>();
  visit(doc, { Alias: (_, alias) => void aliased.add(alias.source) });
  return aliased;
}
