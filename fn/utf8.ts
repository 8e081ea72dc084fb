/**
 * Bytes as UTF-8 text, strictly (the KRM path and the command line take nothing else), and where they are
 * not: UTF-16 is named as such, anything else by the line and column of its first invalid byte.
 */
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
  const byte = at < bytes.length ? `byte 0x${bytes[at].toString(16).padStart(2, '0')}` : 'a sequence cut short';
  return `${byte} at line ${line}, column ${column}`;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629), or the length. */
function firstInvalid(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (!more || i + more >= b.length) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const low = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const high = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (b[i + 1] < low || b[i + 1] > high) return i;
    for (let k = 2; k <= more; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return b.length;
}
