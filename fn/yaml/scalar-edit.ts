/**
 * Rewriting one scalar the author wrote, in place: the value of a `key: value` or a list item, never a key.
 * Only a scalar written on one line (plain, single- or double-quoted) is rewritten: its source text is
 * exactly what removal writes back, and the new text takes its place on the same line. A block scalar or a
 * value over several lines is left to the caller to refuse.
 */
import { isScalar } from './nodes';
import type { Edit } from './text-edit';

interface Ranged {
  range?: [number, number, number] | null;
  type?: string;
  /** Set when the source writes one (`!!str`). */
  tag?: string;
}

/** The source text of a one-line flow scalar, or undefined when `node` is anything else. */
export function scalarSource(src: string, node: unknown): string | undefined {
  const span = scalarSpan(src, node);
  return span && src.slice(span.start, span.end);
}

/**
 * Where a one-line flow scalar is written, a tag written just before it on its line included (`!!str true`):
 * the tag is part of what the value reads as (without it, `true` is a boolean), so a rewrite replaces both
 * and removal writes both back. Undefined for anything else, and for a tag elsewhere (on the line before, or
 * with an anchor between them), which a rewrite could not take with the value.
 */
export function scalarSpan(src: string, node: unknown): { start: number; end: number } | undefined {
  if (!isScalar(node)) return undefined;
  const { range, type, tag } = node as Ranged;
  if (!range || (type !== 'PLAIN' && type !== 'QUOTE_DOUBLE' && type !== 'QUOTE_SINGLE')) return undefined;
  const text = src.slice(range[0], range[1]);
  // Nothing written (`value:` left empty) is no text to replace: written there, a value would touch the colon.
  if (text === '' || /[\r\n]/.test(text)) return undefined;
  if (tag === undefined) return { start: range[0], end: range[1] };
  const before = src.slice(src.lastIndexOf('\n', range[0] - 1) + 1, range[0]);
  const tagged = /(?:^|[\s:,[{-])(!\S*)[ \t]+$/.exec(before);
  return tagged ? { start: range[0] - tagged[0].length + tagged[0].indexOf('!'), end: range[1] } : undefined;
}

/**
 * Where a plain or quoted scalar is written, on one line or folded over several (as a formatter may write a
 * long value), or undefined for any other node: what a restore replaces once the value is known unchanged.
 */
export function flowScalarRange(node: unknown): { start: number; end: number } | undefined {
  if (!isScalar(node)) return undefined;
  const { range, type } = node as Ranged;
  if (!range || (type !== 'PLAIN' && type !== 'QUOTE_DOUBLE' && type !== 'QUOTE_SINGLE')) return undefined;
  return range[1] > range[0] ? { start: range[0], end: range[1] } : undefined;
}

/** The edit that writes `text` where the scalar `node` is written (scalarSource must have accepted it). */
export function replaceScalar(node: unknown, text: string): Edit {
  const [start, end] = (node as Ranged).range!;
  return { start, end, text };
}

// A plain scalar YAML 1.1 reads as something other than the string: booleans, null, numbers, dates.
const NOT_A_STRING =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+.]?\d.*)$/;
// Characters that are safe anywhere in a plain scalar on one line.
const PLAIN_SAFE = /^[A-Za-z_/.][A-Za-z0-9_./=@+-]*$/;

/**
 * `value` written as the scalar `was` is written: numbers as numbers; strings in the same quotes, or plain
 * when `was` was plain and the string reads back as itself, else double-quoted (JSON's escapes are YAML's).
 */
export function scalarLike(was: string, value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (was.startsWith("'") && !/[\r\n]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (!was.startsWith('"') && !was.startsWith("'") && PLAIN_SAFE.test(value) && !NOT_A_STRING.test(value)) return value;
  return JSON.stringify(value);
}
