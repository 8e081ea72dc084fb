/**
 * Bytes as UTF-8 text, strictly (the KRM path and the command line take nothing else), and where they are
 * not: UTF-16 is named as such, anything else by the line and column of its first invalid byte.
 */
import { lineAndColumn } from './yaml/position';

export class NotUtf8 extends TypeError {}

export function utf8Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new NotUtf8(`not valid UTF-8: ${whereInvalid(bytes)}`);
  }
}

function whereInvalid(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return 'it is UTF-16 (it starts with a UTF-16 byte-order mark); convert it to UTF-8';
  const at = firstInvalid(bytes);
  // (lastIndexOf counts a negative start from the end: the first byte has no line before it.)
  const lineStart = at === 0 ? 0 : bytes.lastIndexOf(0x0a, at - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
  // What comes before it on its line is valid: its characters give the column.
  const column = new TextDecoder().decode(bytes.subarray(lineStart, at)).length + 1;
  const what =
    sequenceAt(bytes, at) === 'cut'
      ? 'a character cut short by the end'
      : `byte 0x${bytes[at].toString(16).padStart(2, '0')}`;
  return `${what} at ${lineAndColumn({ line, column })}`;
}

/** The sequence starting at `i` (RFC 3629): its length when well formed, else whether the end cut it off. */
function sequenceAt(b: Uint8Array, i: number): number | 'invalid' | 'cut' {
  const c = b[i];
  if (c < 0x80) return 1;
  const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
  if (!more) return 'invalid';
  // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
  const low = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const high = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  for (let k = 1; k <= more; k++) {
    if (i + k >= b.length) return 'cut';
    const next = b[i + k];
    if (k === 1 ? next < low || next > high : (next & 0xc0) !== 0x80) return 'invalid';
  }
  return more + 1;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence, or the length. */
function firstInvalid(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const length = sequenceAt(b, i);
    if (typeof length !== 'number') return i;
    i += length;
  }
  return b.length;
}
