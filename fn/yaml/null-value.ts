/**
 * A key whose value is null (`key:` with nothing, `key: ~`, `key: null`), which Kubernetes reads as absent:
 * the injection fills it in place with a block, and removal gives back exactly what the key held. Helm
 * renders such keys whenever a `range` is empty (`volumeMounts:`, `env:`, `annotations:`).
 */
import { isScalar, rangeOf, type Pair, type YAMLMap } from './nodes';
import { afterLine, type Edit } from './text-edit';
import { trailingComments } from './trailing-comments';

export interface NullValue {
  /** Just after the key's `:`. */
  colon: number;
  /** The text after the colon that spells the null (` ~`, ` null`, ` !!null`), '' for an empty value. */
  was: string;
  /** Where the filled block goes: the line after the key's. */
  blockAt: number;
}

/**
 * The null a block can fill where it stands, or why it cannot: the key in a block map, its `:` and the
 * null on the key's own line, nothing after it but a comment, no anchor that something else may use.
 */
export function nullValue(src: string, map: YAMLMap, pair: Pair): NullValue | { why: string } | undefined {
  const value = pair.value;
  if (!isScalar(value) || value.value !== null) return undefined;
  if (map.flow) return { why: 'null inside a flow collection' };
  if (value.anchor !== undefined) return { why: 'an anchored null' };
  if (!isScalar(pair.key)) return { why: 'null under a key that is not a plain scalar' };
  let colon = rangeOf(pair.key)[1];
  while (src[colon] === ' ' || src[colon] === '\t') colon++;
  const end = rangeOf(value)[1];
  const line = src.slice(colon, afterLine(src, end));
  // `key:` then the null on the same line, and nothing after it but a comment.
  if (
    src[colon] !== ':' ||
    !/^:[^\n]*$/.test(src.slice(colon, end)) ||
    !/^[ \t]*(?:#.*)?\r?\n?$/.test(src.slice(end, colon + line.length))
  )
    return { why: 'null not written on its key’s line' };
  const spelled = src.slice(colon + 1, end);
  return { colon: colon + 1, was: spelled.trim() === '' ? '' : spelled, blockAt: afterLine(src, end) };
}

/**
 * The edits that fill the null with `block` (lines at `column`): the null's spelling out, and the block in
 * after the key's line and the comments under it that are deeper than the block (trailing-comments.ts).
 */
export function fillEdits(src: string, at: NullValue, block: string, column: number): Edit[] {
  const edits: Edit[] = [];
  if (at.was) edits.push({ start: at.colon, end: at.colon + at.was.length, text: '' });
  let place = trailingComments(src, at.blockAt, column).at;
  // The key on the text's last line: its line break is the one editLines appended, and the block goes after
  // it, so that the text ends as it did (without a final line break, the block's last one is taken off).
  const eol = /^\r?\n/.exec(src.slice(place, place + 2))?.[0];
  if (eol && place + eol.length === src.length) place = src.length;
  const ended = place === 0 || src[place - 1] === '\n';
  edits.push(
    ended
      ? { start: place, end: place, text: block, depth: column }
      : { start: place, end: place, text: `\n${block}`, depth: 0 },
  );
  return edits;
}

/** The edit that gives a filled key back what it held (its whole block is removed by the caller). */
export function restoreEdit(src: string, pair: Pair, was: string): Edit | undefined {
  if (!was || !isScalar(pair.key)) return undefined;
  let colon = rangeOf(pair.key)[1];
  while (src[colon] === ' ' || src[colon] === '\t') colon++;
  if (src[colon] !== ':') return undefined;
  return { start: colon + 1, end: colon + 1, text: was };
}

/**
 * A null rewritten to a value (a Service's `targetPort:` left empty, which Kubernetes defaults to the port).
 * Written as nothing, a null has no text of its own a value can take the place of (written there, the value
 * would touch the colon), and a tag (`!!null`) stays out of its range: so the rewrite replaces everything
 * after the key's colon, the null as spelled (`''`, ` ~`, ` !!null ""`), with the value after one space. The
 * record keeps both texts from the colon on, and the new one's leading space marks them so (fromColon).
 */
export interface NullRewrite {
  /** Just after the key's `:`, and the end of the null as spelled. */
  start: number;
  end: number;
  /** The null as spelled after the colon; '' for nothing (spaces after it are left where they are). */
  was: string;
}

/** Where a null can be rewritten, or why not (nullValue's reasons), or undefined when the value is no null. */
export function nullRewrite(src: string, map: YAMLMap, pair: Pair): NullRewrite | { why: string } | undefined {
  const held = nullValue(src, map, pair);
  if (!held || 'why' in held) return held;
  return { start: held.colon, end: held.colon + held.was.length, was: held.was };
}

/** The new text of a null's rewrite: the value after one space, from the colon on. */
export const afterColon = (text: string): string => ` ${text}`;

/** Whether a recorded rewrite's new text was written from the colon on: a scalar's own text never starts with a space. */
export const fromColon = (now: string): boolean => /^[ \t]/.test(now);

/** The text from just after a key's `:` to the end of its value, where a null's rewrite was written. */
export function colonToValueEnd(src: string, pair: Pair): { start: number; end: number } | undefined {
  if (!isScalar(pair.key) || !isScalar(pair.value)) return undefined;
  let colon = rangeOf(pair.key)[1];
  while (src[colon] === ' ' || src[colon] === '\t') colon++;
  if (src[colon] !== ':') return undefined;
  return { start: colon + 1, end: rangeOf(pair.value)[1] };
}
