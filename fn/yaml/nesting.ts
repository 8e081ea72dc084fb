/**
 * How deeply a text nests flow collections (`[`, `{`), read before `yaml` parses it. `yaml` recurses once per
 * level: thousands of levels run it out of stack, and V8 may then fail to compile a regular expression at that
 * depth, which ends the process with no error to catch. No manifest nests a hundredth as deep, so a text beyond
 * the limit is refused up front, as too deep, before any parser sees it.
 */
import { TooDeepError } from '../failure';

export const MAX_FLOW_DEPTH = 1000;

/** Where a quoted scalar or a comment may start: a token's first character. */
const TOKEN_START = new Set([undefined, ' ', '\t', '\n', '\r', '[', '{', ',', ':', '-', '?']);

/**
 * Throws TooDeepError when `text` opens more than MAX_FLOW_DEPTH flow collections inside one another, outside
 * quoted scalars and comments (JSON's strings, YAML's).
 */
export function checkNesting(text: string): void {
  if (nestingAt(text) !== undefined) throw new TooDeepError(`nested deeper than ${MAX_FLOW_DEPTH} levels`);
}

/** Where `text` opens its flow collection one level beyond MAX_FLOW_DEPTH (an offset), or undefined. */
export function nestingAt(text: string): number | undefined {
  // Fewer brackets than the limit cannot nest beyond it: two native searches settle nearly every text.
  if (count(text, '[') + count(text, '{') <= MAX_FLOW_DEPTH) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const starts = TOKEN_START.has(text[i - 1]);
    if (c === '"' && starts) i = closing(text, i, '"');
    else if (c === "'" && starts) i = closing(text, i, "'");
    else if (c === '#' && starts) i = lineEnd(text, i);
    else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** The offset of the line break that ends the line holding `at`, or the text's end. */
function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end;
}

/** How often `char` occurs in `text`, counting no further than just past the limit. */
function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1 && n <= MAX_FLOW_DEPTH; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** The offset of the quote that ends the scalar opened at `start` (`\` escapes in double quotes, `''` in single). */
function closing(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
