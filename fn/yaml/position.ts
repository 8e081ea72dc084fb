/**
 * Where things are written. The core keeps positions as offsets (a result's `at`, an outcome's `at` and
 * `offset`); a front end adds up the offsets to its own text and turns them into lines and columns once,
 * with `positions`. A KRM result names its field by path (`pathString`): `fieldOffset` finds that path in
 * the nodes, where the result is made.
 */
import { LineCounter } from 'yaml';
import { child, isMap, isSeq, pairOf, rangeOf, type Node, type Path, type Segment } from './nodes';

/** A line and a column, both from 1; columns count UTF-16 code units, as SARIF's default `columnKind`. */
export interface Position {
  line: number;
  column: number;
}

/** A position as every message words it: `line 3, column 5`. */
export const lineAndColumn = ({ line, column }: Position): string => `line ${line}, column ${column}`;

/** A path as a result names it: keys, `{name}` selectors, and list indexes (`containers[0]`). */
type FieldPath = readonly (Segment | number)[];

/** The inverse of `pathString`: `a.b["c/d"][name=web][0].e` -> ['a', 'b', 'c/d', {name: 'web'}, 0, 'e']; `[port=80]` -> {port: 80}. */
export function parsePath(path: string): FieldPath | undefined {
  const segments: (Segment | number)[] = [];
  const token = /\.?([A-Za-z0-9_]+)|\[("(?:[^"\\]|\\.)*")\]|\[name=([^\]]*)\]|\[(\d+)\]|\[port=(\d+)\]/y;
  for (let at = 0; at < path.length; at = token.lastIndex) {
    token.lastIndex = at;
    const match = token.exec(path);
    if (!match) return undefined;
    const [, plain, quoted, name, index, port] = match;
    segments.push(
      plain ??
        (quoted !== undefined
          ? (JSON.parse(quoted) as string)
          : name !== undefined
            ? { name }
            : port !== undefined
              ? { port: Number(port) }
              : Number(index)),
    );
  }
  return segments;
}

const step = (node: unknown, segment: Segment | number): Node | undefined =>
  typeof segment === 'number'
    ? isSeq(node)
      ? (node.items[segment] as Node | undefined)
      : undefined
    : child(node, segment);

/**
 * Where the field at `path` starts: a map key's own line (not its value's, which may be the next line),
 * a named item's first key. A path that leaves the tree early points at the deepest node it reached.
 */
export function fieldOffset(root: Node, path: FieldPath | Path): number {
  let node: Node = root;
  let at = rangeOf(root)[0];
  for (const segment of path) {
    const pair = typeof segment === 'string' && isMap(node) ? pairOf(node, segment) : undefined;
    const next = step(node, segment);
    // A key with an empty value has a place to name, though no node below it.
    if (pair?.key) at = rangeOf(pair.key)[0];
    else if (next) at = rangeOf(next)[0];
    if (!next) return at;
    node = next;
  }
  return at;
}

/**
 * Offsets to positions in one text: `yaml`'s own line counter, fed the text's line starts once. A byte order
 * mark opening the text is no column: no editor shows it, and the KRM function (which drops it first) and a
 * file without one must give the same column for the same line.
 */
export function positions(text: string): (offset: number) => Position {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  return (offset) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: line === 1 ? Math.max(col - bom, 1) : col };
  };
}
