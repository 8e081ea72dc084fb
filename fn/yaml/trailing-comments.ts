/**
 * Where lines added after a collection's last entry go among the comment lines that follow it. kpt reads
 * every function's output with kyaml (yaml.v3), which attaches a comment to the block it ends, and copies
 * the input's comments back onto the output by path: a comment that ends up attached elsewhere in the
 * output is written twice, and again on every render. So the added lines go where they leave each
 * comment attached as it was:
 * - after a comment deeper than the added lines: it ends the entry before them (a note under the last
 *   container, a commented-out key), and still does;
 * - before the first comment at or left of their column: it belongs to what encloses them, and stays last
 *   there;
 * - a comment at exactly a map's key column, not followed by a key at that column, ends the map itself
 *   (kyaml gives it to the map's last key): keys added to that map go before its last key, which keeps it.
 * Only comment lines right after the entry count; a blank line ends them.
 */
import { afterLine } from './text-edit';

export interface Trailing {
  /** Where the added lines go: after the comments that end the last entry. */
  at: number;
  /** A comment at the added lines' own column ends the enclosing collection (see above). */
  endsCollection: boolean;
}

const commentColumn = (line: string): number | undefined => {
  const column = line.length - line.trimStart().length;
  return line[column] === '#' ? column : undefined;
};

/**
 * commentColumn of the line that starts at `at`, without slicing it out when the line starts with spaces
 * and then `#` or a printable ASCII character, where trimStart stops too (the lines after a collection's
 * last entry, for every workload); anything else (a tab, a blank line) is sliced and asked as before.
 */
const commentColumnAt = (src: string, at: number): number | undefined => {
  let i = at;
  while (src.charCodeAt(i) === SPACE) i++;
  const c = src.charCodeAt(i);
  if (c === HASH) return i - at;
  if (c > SPACE && c < DELETE) return undefined;
  return commentColumn(src.slice(at, afterLine(src, at + 1)));
};
const SPACE = 0x20;
const HASH = 0x23;
const DELETE = 0x7f;

/** `at`: the line start just after a collection's last entry; `column`: where the added lines start. */
export function trailingComments(src: string, at: number, column: number): Trailing {
  let next = at;
  while (next < src.length) {
    const c = commentColumnAt(src, next);
    if (c === undefined) break;
    const end = afterLine(src, next + 1);
    if (c <= column) {
      // What follows the comment lines: a line at the comment's column makes it that line's heading.
      let after = end;
      while (after < src.length && commentColumnAt(src, after) !== undefined) after = afterLine(src, after + 1);
      const line = src.slice(after, afterLine(src, after + 1));
      const headsNext = line.trim() !== '' && line.length - line.trimStart().length === c;
      return { at: next, endsCollection: c === column && !headsNext };
    }
    next = end;
  }
  return { at: next, endsCollection: false };
}
