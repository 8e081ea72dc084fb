/**
 * The Review step's diff: lines first, characters only inside a changed run of lines. CodeMirror's own diff
 * works on characters, and an injection adds a few kilobytes: Myers' O(N·D) made that a sixth of a second
 * for one workload. By lines D is the few dozen lines added, and a pure addition (what an injection is)
 * is marked as exactly its lines.
 */
import { Change, diff } from '@codemirror/merge';

/** Past this many differing lines the two texts are shown as one change (a diff of nothing alike). */
const MAX_LINE_EDITS = 2000;
/** Replaced runs longer than this (both sides, in characters) are not diffed by characters. */
const MAX_REFINED = 8000;

/** Line starts of `text`, with its length last: line i is text.slice(at[i], at[i + 1]). */
function lineStarts(text: string): number[] {
  const at = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) at.push(i + 1);
  if (at[at.length - 1] !== text.length) at.push(text.length);
  return at;
}

const linesOf = (text: string, at: number[]): string[] => at.slice(1).map((end, i) => text.slice(at[i], end));

/** Myers' greedy diff of two line arrays: the runs [a0, a1) of `a` replaced by [b0, b1) of `b`, in order. */
export function lineRuns(a: readonly string[], b: readonly string[]): [number, number, number, number][] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_LINE_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    // What step d starts from, for the diagonals it reads (-d-1 .. d+1): kept for the way back.
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found < 0 && d === max) return undefined;
  }
  // Back from (n, m): each step is one deleted or inserted line after a run of equal ones; adjacent steps
  // make one run.
  const runs: [number, number, number, number][] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const kept = trace[d];
    const before = (diagonal: number) => kept[diagonal + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && before(k - 1) < before(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = before(prevK);
    const prevY = prevX - prevK;
    const midX = down ? prevX : prevX + 1;
    // The equal lines after the step.
    y -= x - midX;
    x = midX;
    const first = runs[0];
    if (first?.[0] === x && first[2] === y) {
      first[0] = prevX;
      first[2] = prevY;
    } else runs.unshift([prevX, x, prevY, y]);
    x = prevX;
    y = prevY;
  }
  return runs;
}

/** The changes from `a` to `b` for CodeMirror's merge view (its `diffConfig.override`). */
export function lineDiff(a: string, b: string): readonly Change[] {
  const atA = lineStarts(a);
  const atB = lineStarts(b);
  const runs = lineRuns(linesOf(a, atA), linesOf(b, atB));
  if (!runs) return a === b ? [] : [new Change(0, a.length, 0, b.length)];
  return runs.flatMap(([a0, a1, b0, b1]) => {
    const [fromA, toA, fromB, toB] = [atA[a0], atA[a1], atB[b0], atB[b1]];
    // A changed line is marked by the characters that changed in it; an added or removed line whole, and
    // so is a long run of replaced lines (characters there would cost what this module saves).
    if (fromA === toA || fromB === toB || toA - fromA + toB - fromB > MAX_REFINED)
      return [new Change(fromA, toA, fromB, toB)];
    return diff(a.slice(fromA, toA), b.slice(fromB, toB)).map(
      (c) => new Change(fromA + c.fromA, fromA + c.toA, fromB + c.fromB, fromB + c.toB),
    );
  });
}
