/**
 * The shapes of plain scalars that fill manifests (ports, replicas, words, quantities like `64Mi`, flags like
 * `-c`), told apart without regular expressions. V8 compiles an expression on its first use, twice if it runs
 * again (once to bytecode, then to machine code): the YAML tags' expressions, one for YAML 1.1 and one for the
 * core schema, were most of what a run of two workloads spent compiling expressions. What no shape here
 * decides is left to those expressions (fast-scalars.ts, emit.ts).
 */

/** The words YAML 1.1 reads as null or a boolean (`yaml`'s null and bool tags); the core schema's are among them. */
export const WORDS: ReadonlyMap<string, 'null' | 'true' | 'false'> = new Map([
  ...['null', 'Null', 'NULL'].map((word) => [word, 'null'] as const),
  ...['Y', 'y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((word) => [word, 'true'] as const),
  ...['N', 'n', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (word) => [word, 'false'] as const,
  ),
]);

/**
 * - `decimal`: digits only, an int to YAML 1.1 and to the core schema (`8080`, `0`, `09`);
 * - `octal`: a 0 and more digits, none above 7: an octal int to YAML 1.1 (`0755`);
 * - `word`: ASCII letters only: in WORDS, a null or a boolean; otherwise a string to both;
 * - `string`: a string to both. Every tag of either matches only text made of digits, signs, `_`, `:`, `~`,
 *   spaces and tabs, unless it holds one of `.` (floats, `.inf`), `x` (hex), `b` (binary), `o` (core octal),
 *   `e` (exponents), `t` or `Z` (timestamps), or is one of WORDS. Text with none of those letters and some
 *   other character (`64Mi`, `250m`, `-c`) is a string.
 * Anything else is undefined: the tags' expressions decide.
 */
export type Shape = 'decimal' | 'octal' | 'word' | 'string';

const TAG_LETTERS = '.xXbBoOeEtTZ';
const TAG_OTHERS = '_:+-~ \t';

export function shapeOf(source: string): Shape | undefined {
  if (source === '') return undefined;
  let digits = 0;
  let letters = 0;
  let octal = source.charCodeAt(0) === 48 && source.length > 1;
  let tagLetter = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (c > 55) octal = false;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
    if (TAG_LETTERS.includes(source[i])) tagLetter = true;
  }
  if (digits === source.length) return octal ? 'octal' : 'decimal';
  if (letters === source.length) return 'word';
  if (tagLetter) return undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (!(c >= 48 && c <= 57) && !TAG_OTHERS.includes(source[i])) return 'string';
  }
  return undefined;
}

/** Whether `source`, written plain, is a string to the core schema as well as to YAML 1.1, known from its shape. */
export const stringInBoth = (source: string): boolean => {
  const shape = shapeOf(source);
  return shape === 'string' || (shape === 'word' && !WORDS.has(source));
};
