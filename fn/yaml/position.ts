/**
 * Where a field is written: a KRM result names a field by its path (`pathString`); a CI annotation needs
 * the line and column. Offsets are into the text the nodes were parsed from.
 */
import { child, isMap, pairOf, rangeOf, type Node, type Path, type Segment } from './nodes';

/** A line and a column, both from 1; columns count UTF-16 code units, as SARIF's default `columnKind`. */
export interface Position {
  line: number;
  column: number;
}

/** The inverse of `pathString`: `a.b["c/d"][name=web].e` -> ['a', 'b', 'c/d', {name: 'web'}, 'e']. */
export function parsePath(path: string): Path | undefined {
  const segments: Segment[] = [];
  const token = /\.?([A-Za-z0-9_]+)|\[("(?:[^"\\]|\\.)*")\]|\[name=([^\]]*)\]/y;
  for (let at = 0; at < path.length; at = token.lastIndex) {
    token.lastIndex = at;
    const match = token.exec(path);
    if (!match) return undefined;
    const [, plain, quoted, name] = match;
    segments.push(plain ?? (quoted !== undefined ? (JSON.parse(quoted) as string) : { name: name }));
  }
  return segments;
}

/**
 * Where the field at `path` starts: a map key's own line (not its value's, which may be the next line),
 * a named item's first key. A path that leaves the tree early points at the deepest node it reached.
 */
export function fieldOffset(root: Node, path: Path): number {
  let node: Node = root;
  let at = rangeOf(root)[0];
  for (const segment of path) {
    const pair = typeof segment === 'string' && isMap(node) ? pairOf(node, segment) : undefined;
    const next = child(node, segment);
    // A key with an empty value has a place to name, though no node below it.
    if (pair?.key) at = rangeOf(pair.key)[0];
    else if (next) at = rangeOf(next)[0];
    if (!next) return at;
    node = next;
  }
  return at;
}

/** Offsets to positions in one text: line starts found once, then a binary search per offset. */
export function positions(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  };
}
