/** trailingComments reads lines in place; held to the version that sliced each line out first. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { afterLine } from '../../fn/yaml/text-edit';
import { trailingComments, type Trailing } from '../../fn/yaml/trailing-comments';

/** trailingComments as it was written before it read lines in place. */
function trailingBySlices(src: string, at: number, column: number): Trailing {
  const commentColumn = (line: string): number | undefined => {
    const c = line.length - line.trimStart().length;
    return line[c] === '#' ? c : undefined;
  };
  let next = at;
  while (next < src.length) {
    const end = afterLine(src, next + 1);
    const c = commentColumn(src.slice(next, end));
    if (c === undefined) break;
    if (c <= column) {
      let after = end;
      while (after < src.length && commentColumn(src.slice(after, afterLine(src, after + 1))) !== undefined)
        after = afterLine(src, after + 1);
      const line = src.slice(after, afterLine(src, after + 1));
      const headsNext = line.trim() !== '' && line.length - line.trimStart().length === c;
      return { at: next, endsCollection: c === column && !headsNext };
    }
    next = end;
  }
  return { at: next, endsCollection: false };
}

describe('trailingComments', () => {
  // Lines of spaces, tabs, other white space and comments, keys and dashes, at a few columns.
  const PIECES = [' ', '  ', '\t', '\u00a0', '\u2028', '\r', '#', '# note', 'a: 1', '- x', '', '\n'];
  const texts = fc.array(
    fc.tuple(fc.nat({ max: 6 }), fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }), fc.boolean()),
    { maxLength: 8 },
  );

  it('places lines as the version that sliced each line did, on generated text', () => {
    fc.assert(
      fc.property(texts, fc.nat({ max: 6 }), (lines, column) => {
        const src = lines
          .map(([indent, parts, ended]) => ' '.repeat(indent) + parts.join('') + (ended ? '\n' : ''))
          .join('\n');
        for (let at = 0; at <= src.length; at = afterLine(src, at + 1)) {
          const a = trailingComments(src, at, column);
          const b = trailingBySlices(src, at, column);
          if (a.at !== b.at || a.endsCollection !== b.endsCollection) return false;
          if (at >= src.length) break;
        }
        return true;
      }),
      { numRuns: 20_000, seed: 2102 },
    );
  });
});
