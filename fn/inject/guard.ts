/**
 * The last line of defence against silent corruption: before an edited resource is written, it is read
 * back (with the same parsers the function reads its input with, held to `yaml` by the fast-parse tests)
 * and what it now says is compared with what was meant: the base's data plus exactly the planned
 * additions, or the input's data minus exactly the recorded ones. Any difference, or text that no longer
 * parses, is never written: the caller leaves the resource as it came and reports where it went wrong.
 * The edits themselves are meant to be right (block-edit.ts); this proves it for every resource, every run.
 *
 * An injection is checked on its skeleton (checkPlacement): the same edits, at the same places, with each
 * added item and value cut down to its name and keys. Where an edit lands, and what the text around it
 * then means, depends only on the placement and those first lines, never on the rest of a block (every
 * further line of an emitted block is deeper, and it ends its line): so the skeleton proves the placement
 * of the real text, at the cost of reading the input once more instead of the five times larger output
 * (docs/guarantees.md has the figures). What the blocks themselves say is the emitter's, held to `yaml`'s
 * own writer by test/unit/emit.test.ts; checkInjection reads back a whole text, for the tests.
 */
import { parseResource, type Resource } from '../resource';
import { isMap, isSeq, nodeAt, pathString, rangeOf, sameData, toJSON, type Path, type Segment } from '../yaml/nodes';
import { lineStart } from '../yaml/text-edit';
import { arranged, type Placement } from './additions';

/** Why an edit cannot be shown to be right: the first place where the result differs from what was meant. */
export interface Unsafe {
  /** Where in the resource (a field path), and what construct of the input sits there. */
  message: string;
  /** That field's path, for the position of the result (the deepest part of it the input has). */
  path: Path;
}

type Data = unknown;
type Json = Record<string, unknown>;

/** Checks where a placement's edits land, by reading back its skeleton rendered with `render`. */
export function checkPlacement(
  base: Resource,
  placement: Placement,
  render: (placement: Placement) => string,
): Unsafe | undefined {
  const skeleton: Placement = {
    seqs: placement.seqs.map((s) => ({ ...s, start: s.start.map(named), end: s.end.map(named) })),
    maps: placement.maps.map((m) => ({ ...m, values: skeletonOf(m.values) as Record<string, unknown> })),
    rewrites: placement.rewrites,
    created: placement.created,
  };
  return checkInjection(base, skeleton, render(skeleton));
}

/** A list item cut down to its name: its first line. */
const named = (item: { name: string }) => ({ name: item.name });

/** A created value cut down to its keys and its lists' item names (scalars stay: one line each). */
function skeletonOf(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((item) =>
      typeof (item as { name?: unknown })?.name === 'string' ? named(item as { name: string }) : skeletonOf(item),
    );
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, skeletonOf(v)]));
  return value;
}

/** Checks an injected text against the base it was made from and the placement it was made with. */
export function checkInjection(base: Resource, placement: Placement, text: string): Unsafe | undefined {
  const meant = withAdditions(toJSON(base.root, base.doc), placement);
  return compare(base, meant, text);
}

/** A rewritten value written back: where, and what it reads as. */
export interface Restored {
  path: Path;
  value: unknown;
}

/**
 * Checks a text with recorded additions removed and rewritten values written back against the input minus
 * exactly those paths, with exactly those values.
 */
export function checkRemoval(
  input: Resource,
  removed: readonly Path[],
  text: string,
  restored: readonly Restored[] = [],
): Unsafe | undefined {
  let meant = without(toJSON(input.root, input.doc), removed, input);
  for (const { path, value } of restored) meant = update(meant, path, () => value);
  return compare(input, meant, text);
}

function compare(source: Resource, meant: Data, text: string): Unsafe | undefined {
  const written = parseResource(text);
  if ('error' in written) return { message: `the edited text does not parse (${written.error})`, path: [] };
  // The common case costs one walk over the nodes; only a mismatch builds the data to say where.
  if (sameData(written.root, meant, written.doc)) return undefined;
  const differs = firstDifference(meant, toJSON(written.root, written.doc), []) ?? [];
  return {
    message: `${pathString(differs) || 'the resource'} would not say what was meant${near(source, differs)}`,
    path: differs,
  };
}

/** The data with the placement's additions made as data: lists get their items, maps their keys, rewrites their values. */
function withAdditions(data: Data, placement: Placement): Data {
  let out = data;
  for (const s of placement.seqs)
    out = update(out, s.path, (list) => {
      const items = asArray(list);
      let at = 0;
      const made: unknown[] = [];
      for (const { index, items: added } of arranged(s, items.length)) {
        made.push(...items.slice(at, index), ...added);
        at = index;
      }
      return [...made, ...items.slice(at)];
    });
  for (const m of placement.maps) out = update(out, m.path, (map) => ({ ...(map as Json), ...m.values }));
  for (const r of placement.rewrites) out = update(out, r.path, () => r.value);
  return out;
}

function without(data: Data, paths: readonly Path[], source: Resource): Data {
  let out = data;
  for (const path of paths) {
    const last = path[path.length - 1];
    const parentPath = path.slice(0, -1);
    out = update(out, parentPath, (parent) => {
      let left: Data;
      if (typeof last === 'string') {
        const rest = { ...(parent as Json) };
        delete rest[last];
        left = rest;
      } else {
        const list = asArray(parent);
        const at = list.findIndex((item) => matches(item, last));
        left = at < 0 ? list : [...list.slice(0, at), ...list.slice(at + 1)];
      }
      // A block collection that loses its last entry leaves its key with no value: null, not {} or [].
      const empty = Array.isArray(left) ? left.length === 0 : Object.keys(left as Json).length === 0;
      return empty && isBlock(nodeAt(source.root, parentPath)) ? null : left;
    });
  }
  return out;
}

const isBlock = (node: unknown): boolean => (isMap(node) || isSeq(node)) && !node.flow;

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A record segment: a name, and a mount path when it has one (see additions.ts selectorOf); or a port. */
function matches(item: unknown, segment: Exclude<Segment, string>): boolean {
  const i = item as { name?: unknown; mountPath?: unknown; port?: unknown } | null;
  if (!('name' in segment)) return i?.port === segment.port;
  const s = segment as { name: string; mountPath?: string };
  return i?.name === s.name && (s.mountPath === undefined || i.mountPath === s.mountPath);
}

/** A copy of `data` with the value at `path` replaced by `change(value)`; copied only along the path. */
function update(data: Data, path: Path, change: (value: Data) => Data): Data {
  if (path.length === 0) return change(data);
  const [head, ...rest] = path;
  if (typeof head === 'string') {
    const map = (data ?? {}) as Json;
    return { ...map, [head]: update(map[head], rest, change) };
  }
  const list = asArray(data);
  const at = list.findIndex((item) => matches(item, head));
  if (at < 0) return list;
  return [...list.slice(0, at), update(list[at], rest, change), ...list.slice(at + 1)];
}

/** The first path where two values differ, as JSON data (maps compare as key sets, lists in order). */
function firstDifference(a: Data, b: Data, path: Segment[]): Path | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    for (let i = 0; i < Math.max(a.length, other.length); i++) {
      const found = firstDifference(a[i], other[i], [...path, nameOf(a[i] ?? other[i], i)]);
      if (found) return found;
    }
    return undefined;
  }
  const x = a as Json;
  const y = b as Json;
  // A key whose value is undefined is no key at all: the emitter leaves it out.
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (x[key] === undefined && y[key] === undefined) continue;
    if (x[key] === undefined || y[key] === undefined) return [...path, key];
    const found = firstDifference(x[key], y[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** A list item named for the message: by its name when it has one, else by its port (a Service's), else by index. */
function nameOf(item: unknown, index: number): Segment {
  const { name, port } = (item ?? {}) as { name?: unknown; port?: unknown };
  return typeof name === 'string' ? { name } : typeof port === 'number' ? { port } : String(index);
}

/** Hard constructs a line of YAML can hold, as a table: the first that matches names what sits there. */
const CONSTRUCTS: readonly [RegExp, string][] = [
  [/^\s*(?:- )?\?(?:\s|$)/, 'explicit key'],
  [/(?:^|\s)!!?[\w/]*\s/, 'tag'],
  [/(?:^|\s)&[^\s]+/, 'anchor'],
  [/(?:^|\s)\*[^\s]+/, 'alias'],
  [/:\s*[|>][-+0-9]*\s*(?:#.*)?$/, 'block scalar'],
  [/[[{][^\]}]*$/, 'flow collection over several lines'],
  [/:\s*(?:#.*)?$/, 'empty value'],
  [/^\s*#/, 'comment'],
];

/** ` (near: construct)` for the line of the deepest part of `path` the source has, when one matches. */
function near(source: Resource, path: Path): string {
  for (let depth = path.length; depth > 0; depth--) {
    const node = nodeAt(source.root, path.slice(0, depth));
    const range = (node as { range?: unknown } | undefined)?.range;
    if (!range) continue;
    const start = lineStart(source.text, rangeOf(node)[0]);
    const end = source.text.indexOf('\n', start);
    const text = source.text.slice(start, end < 0 ? undefined : end);
    const construct = CONSTRUCTS.find(([pattern]) => pattern.test(text))?.[1];
    return construct ? ` (near: ${construct})` : '';
  }
  return '';
}
