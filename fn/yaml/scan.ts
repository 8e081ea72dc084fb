/**
 * A cheap, conservative syntax check for items that are never parsed (the ones that do not mention
 * Speedscale pass through as text). A line-level scan flags what it can see without a parser: a quote,
 * `[` or `{` at the start of a value that is never closed, tabs used as indentation, and lines indented
 * to a column no enclosing block uses. A flagged item is then parsed with `yaml`, which has the last word
 * and the exact message: a false alarm costs one parse, never a wrong error. Clean items (nearly all of a
 * real package) cost one pass over their characters.
 */

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const OPEN_SQUARE = 91;
const OPEN_CURLY = 123;
const CLOSE_SQUARE = 93;
const CLOSE_CURLY = 125;
const COMMA = 44;
const PIPE = 124;
const GREATER = 62;
const AMP = 38;
const BANG = 33;

/** True when the scan sees something that may be a syntax error (confirm with documents.ts' `syntaxError`). */
export function looksMalformed(text: string): boolean {
  return new Scanner(text).suspicious();
}

/**
 * One pass over an item. `open` is the closing character awaited across lines (a quote, or `]`/`}` for the
 * outermost flow collection); `blockParent` is the indentation of a line that opened a block scalar, whose
 * deeper lines are content and not scanned.
 */
class Scanner {
  private at = 0;
  /** Columns where a block (map or sequence content) starts; a line may only dedent to one of them. */
  private readonly columns: number[] = [];
  private open: number[] = [];
  private blockParent = -1;
  /** The column of a key whose plain value ended its line: a deeper line after it is never valid. */
  private scalarKey = -1;
  private lineStart = 0;
  private mustBeKey = false;

  constructor(private readonly text: string) {}

  suspicious(): boolean {
    const { text } = this;
    while (this.at < text.length) {
      const end = lineEnd(text, this.at);
      if (this.open.length) {
        if (this.scanFlow(end)) return true;
      } else if (this.line(end)) return true;
      this.at = end + 1;
    }
    return this.open.length > 0;
  }

  /** A line outside any open quote or flow collection. */
  private line(end: number): boolean {
    const { text } = this;
    let at = this.at;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    const c = text.charCodeAt(at);
    if (at === end || (c === CR && at + 1 === end)) return false; // blank
    const indent = at - this.at;
    if (this.blockParent !== -1) {
      if (indent > this.blockParent) return false; // block scalar content
      this.blockParent = -1;
    }
    if (c === TAB) return true; // a tab in the indentation
    if (c === HASH) return false;
    // `a: 1` then a deeper `b: 2` (or a multi-line plain scalar: the parser decides)
    if (this.scalarKey !== -1 && indent > this.scalarKey) return true;
    this.scalarKey = -1;
    this.lineStart = this.at;
    const top = this.columns.length ? this.columns[this.columns.length - 1] : -1;
    if (this.dedentsBadly(indent)) return true;
    const content = at;
    // Sequence dashes: each opens a block at the column after it.
    while (text.charCodeAt(at) === DASH && isBlank(text.charCodeAt(at + 1))) {
      at++;
      while (at < end && text.charCodeAt(at) === SPACE) at++;
      this.columns.push(at - this.at);
    }
    // A line at a block's own column, without a dash, is a map key: it must have its `:` on this line.
    this.mustBeKey = at === content && indent <= top;
    return this.value(at, end, indent);
  }

  /** The columns stack keeps only enclosing blocks; a dedent must land on one of them. */
  private dedentsBadly(indent: number): boolean {
    const { columns } = this;
    if (!columns.length) {
      columns.push(indent);
      return false;
    }
    let top = columns[columns.length - 1];
    if (indent > top) {
      columns.push(indent);
      return false;
    }
    while (indent < top) {
      columns.pop();
      top = columns.length ? columns[columns.length - 1] : -1;
    }
    if (indent !== top) {
      if (top === -1 || indent > top) return true;
    }
    if (!columns.length) columns.push(indent);
    return false;
  }

  /** From a value start (line content, after dashes, or after `key: `): quotes, flows, block scalars; a key's `: `. */
  private value(at: number, end: number, indent: number, isKey = true): boolean {
    const { text } = this;
    at = skipProperties(text, at, end);
    const c = text.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE || c === OPEN_SQUARE || c === OPEN_CURLY) {
      this.open.push(closer(c));
      this.at = at + 1;
      return this.scanFlow(end, indent, c); // `[,` right after the opener is as wrong as anywhere else
    }
    if (c === PIPE || c === GREATER) {
      this.blockParent = indent;
      return false;
    }
    // Indicators no plain scalar may start with (`]`, `}`, `,`, `@`, backquote, `%`).
    if (c === CLOSE_SQUARE || c === CLOSE_CURLY || c === COMMA || c === 64 || c === 96 || c === 37) return true;
    // A plain key or scalar: find `: ` (a value follows) or the start of a comment.
    if (!isKey) return plainValueHasKey(text, at, end); // nothing in a plain value opens anything
    for (let i = at; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === COLON) {
        if (isBlank(text.charCodeAt(i + 1))) return this.afterKey(i + 1, end, indent, at - this.lineStart);
      } else if (ch === HASH && isBlank(text.charCodeAt(i - 1))) break;
    }
    return this.mustBeKey; // `key value` or a key running onto the next line (a multi-line plain scalar in a sequence: the parser decides)
  }

  /** After `key:`: a value on the same line, a block scalar header, or nothing. */
  private afterKey(at: number, end: number, indent: number, keyColumn = -1): boolean {
    const { text } = this;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    if (at >= end) return false;
    const c = text.charCodeAt(at);
    if (c === TAB) return false; // `key:\tvalue` is legal; leave anything odd to the parser's callers
    if (c === PIPE || c === GREATER) {
      this.blockParent = indent;
      return false;
    }
    if (c === DASH && isBlank(text.charCodeAt(at + 1))) return true; // `key: - x` is never valid
    if (
      c !== HASH &&
      c !== CR &&
      c !== DQUOTE &&
      c !== SQUOTE &&
      c !== OPEN_SQUARE &&
      c !== OPEN_CURLY &&
      c !== AMP &&
      c !== BANG
    )
      this.scalarKey = keyColumn;
    return this.value(at, end, indent, false);
  }

  /**
   * Inside a quote or flow collection, from this.at to the end of the line; it may close here and leave
   * the rest of the line, which must then be a comment, `:` (a quoted key) or nothing.
   */
  private scanFlow(end: number, indent = -1, opener = -1): boolean {
    const { text, open } = this;
    let tokenStart = true;
    /** The last character of flow syntax on this line outside quotes: `,,` and `[,` are never valid. */
    let previous = opener;
    for (let i = this.at; i < end; i++) {
      const ch = text.charCodeAt(i);
      const awaited = open[open.length - 1];
      if (awaited === DQUOTE) {
        if (ch === BACKSLASH) {
          if (!ESCAPES.has(text.charCodeAt(i + 1)) && i + 1 < end) return true; // `"\."`: no such escape
          i++;
        } else if (ch === DQUOTE) open.pop();
      } else if (awaited === SQUOTE) {
        if (ch === SQUOTE) {
          if (text.charCodeAt(i + 1) === SQUOTE) i++;
          else open.pop();
        }
      } else if (ch === HASH && isBlank(text.charCodeAt(i - 1))) {
        return false; // a comment to the end of the line, inside a flow collection
      } else if (ch === COMMA && (previous === COMMA || previous === OPEN_SQUARE || previous === OPEN_CURLY)) {
        return true;
      } else if (ch === OPEN_SQUARE || ch === OPEN_CURLY) {
        open.push(closer(ch));
      } else if (ch === CLOSE_SQUARE || ch === CLOSE_CURLY) {
        if (ch !== awaited) return true;
        open.pop();
      } else if ((ch === DQUOTE || ch === SQUOTE) && tokenStart) {
        open.push(ch);
      }
      if (awaited !== DQUOTE && awaited !== SQUOTE) {
        tokenStart = ch === OPEN_SQUARE || ch === OPEN_CURLY || ch === COMMA || ch === COLON || isBlank(ch);
        if (!isBlank(ch)) previous = ch;
      } else if (!open.length || open[open.length - 1] !== awaited) tokenStart = false;
      if (!open.length) return this.afterFlow(i + 1, end, indent);
    }
    return false;
  }

  /** What follows a closed quote or flow collection on its line. */
  private afterFlow(at: number, end: number, indent: number): boolean {
    const { text } = this;
    const closed = at;
    while (at < end && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at++;
    const c = text.charCodeAt(at);
    if (c === HASH) return at === closed; // `"v"# c`: a comment needs a space before it
    if (at >= end || c === CR) return false;
    if (c === COLON) return this.afterKey(at + 1, end, indent);
    return true;
  }
}

/** What may follow a backslash in a double-quoted scalar (YAML 1.2, 5.7), a line break included. */
const ESCAPES = new Set([...'0abt\tnvfre "/\\N_LPxuU\r\n'].map((c) => c.charCodeAt(0)));

function closer(c: number): number {
  return c === OPEN_SQUARE ? CLOSE_SQUARE : c === OPEN_CURLY ? CLOSE_CURLY : c;
}

function lineEnd(text: string, at: number): number {
  const eol = text.indexOf('\n', at);
  return eol === -1 ? text.length : eol;
}

/** Space, tab, line end or the end of the text (NaN). */
function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || Number.isNaN(c);
}

/** Skips anchors (`&a`) and tags (`!!str`) in front of a value. */
function skipProperties(text: string, at: number, end: number): number {
  while (at < end && (text.charCodeAt(at) === AMP || text.charCodeAt(at) === BANG)) {
    while (at < end && !isBlank(text.charCodeAt(at))) at++;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
  }
  return at;
}

/** `a: b: c` or `a: b:`: a plain scalar never holds `: ` (unless in a comment); the parser names the error. */
function plainValueHasKey(text: string, at: number, end: number): boolean {
  let last = end - 1;
  if (text.charCodeAt(last) === CR) last--;
  const colon = text.indexOf(': ', at); // the next `: ` is nearly always on the next line: a short search
  const found = colon !== -1 && colon < end ? colon : text.charCodeAt(last) === COLON && last >= at ? last : -1;
  return found !== -1 && text.lastIndexOf(' #', found) < at;
}
