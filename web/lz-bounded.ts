/**
 * lz-string's decompressFromEncodedURIComponent (lz-string 1.5.0, MIT, copyright 2013 pieroxy), ported as it
 * is but for one thing: it stops once its output passes a length. lz-string's output grows quadratically
 * with its input (each dictionary entry is one character longer than one before it), so a share link of
 * 30 KB unpacks to 100 MB; lz-string itself cannot be stopped before it has built all of it, and the tab
 * runs out of memory. Here the work and the memory are bounded by the input's length and `max`.
 */

/** The output would pass the length allowed. */
export class TooLong extends Error {}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));
const RESET = 32; // six bits a character

/**
 * The text `encoded` holds, as lz-string decompresses it: null or '' when it is no lz-string output.
 * Throws TooLong as soon as the text would be longer than `max` characters.
 */
export function decompressBounded(encoded: string, max: number): string | null {
  if (encoded === '') return null;
  const input = encoded.replace(/ /g, '+');
  // A character outside the alphabet reads as 0, as lz-string reads it.
  const valueAt = (index: number): number => VALUE.get(input.charAt(index)) ?? 0;
  let val = valueAt(0);
  let position = RESET;
  let index = 1;
  const read = (bitCount: number): number => {
    let bits = 0;
    const maxpower = 2 ** bitCount;
    for (let power = 1; power !== maxpower; power <<= 1) {
      const bit = val & position;
      position >>= 1;
      if (position === 0) {
        position = RESET;
        val = valueAt(index++);
      }
      if (bit > 0) bits |= power;
    }
    return bits;
  };

  const dictionary: string[] = [];
  let dictSize = 4;
  let enlargeIn = 4;
  let numBits = 3;
  const first = read(2);
  if (first === 2) return '';
  if (first === 3) return null;
  let w = String.fromCharCode(read(first === 0 ? 8 : 16));
  dictionary[3] = w;
  const result = [w];
  let total = w.length;
  for (;;) {
    if (index > input.length) return '';
    let code = read(numBits);
    if (code === 0 || code === 1) {
      dictionary[dictSize++] = String.fromCharCode(read(code === 0 ? 8 : 16));
      code = dictSize - 1;
      enlargeIn--;
    } else if (code === 2) return result.join('');
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let entry: string;
    if (dictionary[code]) entry = dictionary[code];
    else if (code === dictSize) entry = w + w.charAt(0);
    else return null;
    total += entry.length;
    if (total > max) throw new TooLong(`longer than ${max} characters`);
    result.push(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    enlargeIn--;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
}
