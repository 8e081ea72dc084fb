/**
 * A fast parser for the block YAML that manifests are written in. Parsing candidates with `yaml` was most
 * of the function's time on large packages; this builds the very same `yaml` nodes (classes, values,
 * scalar types and source ranges) straight from the lines: block maps and sequences, one-line plain and
 * quoted scalars, flow collections on one line or several and simple block scalars (fast-scalars.ts), and
 * comments. Other flow collections, block scalars and escaped strings are handed to `yaml` one fragment at
 * a time.
 * Anything else (anchors, tags, multi-line plain scalars, merge keys, duplicate keys, odd indentation)
 * returns undefined and the caller parses the whole text with `yaml`, which also reports the errors.
 * test/unit/fast-parse.test.ts holds it to `yaml`'s output, node by node.
 */
import { checkNesting } from './nesting';
import {
  isCollection,
  isPair,
  isScalar,
  parseDocument,
  type Node,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { newMap, newPair, newScalar, newSeq } from './node-factory';
import {
  charSet,
  FlowParser,
  hasKey,
  indexIn,
  PARSE_OPTIONS,
  plainScalar,
  quotedScalar,
  unsupported,
  UNSUPPORTED,
  type FastParseOptions,
} from './fast-scalars';
import type { Range } from './nodes';

/** The root collection of `src`, or undefined when `src` is outside the subset (use `yaml` then). */
export function fastParse(src: string, options: FastParseOptions = PARSE_OPTIONS): YAMLMap | YAMLSeq | undefined {
  checkNesting(src); // its flow reader recurses, and so does `yaml`, which it hands the rest
  if (src.includes('\t') || src.includes('\r')) return undefined; // tabs and carriage returns have rules of their own
  try {
    return new Parser(sequential(src), options).document();
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

const BOM = 0xfeff;
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:[ \t]|$)/;
const BLANK = 0;
const COMMENT = 1;
const CONTENT = 2;

/** Each line's start, end (its newline, or the text's end), indentation and kind (BLANK, COMMENT, CONTENT). */
interface LineTables {
  starts: Int32Array;
  ends: Int32Array;
  indents: Int32Array;
  kinds: Uint8Array;
}
const tables = (size: number): LineTables => ({
  starts: new Int32Array(size),
  ends: new Int32Array(size),
  indents: new Int32Array(size),
  kinds: new Uint8Array(size),
});
function grown(from: LineTables): LineTables {
  const to = tables(from.starts.length * 2);
  to.starts.set(from.starts);
  to.ends.set(from.ends);
  to.indents.set(from.indents);
  to.kinds.set(from.kinds);
  return to;
}
/**
 * Line tables kept from parse to parse (parses never overlap): made anew, four arrays grew several times for
 * each item's fifty lines. Tables for more lines than this are a text's own, not kept.
 */
const KEPT_LINES = 16384;
let kept = tables(256);

class Parser {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly indents: Int32Array;
  private readonly kinds: Uint8Array;
  /** How many lines the text has: the tables hold more. */
  private readonly count: number;
  /** Where the search for the next `#` (hashAt) started. */
  private hashFrom = 0;
  /**
   * The first `#` at or after `hashFrom` (-1: none): most lines hold none, and then no comment search is
   * needed. Kept as the parse moves on rather than marked per line as the lines are read.
   */
  private hashAt: number;
  /** The first line not consumed yet. */
  private line = 0;
  /** Where the root collection starts: comments after it belong to the document, not to it. */
  private rootStart = -1;

  constructor(
    private readonly src: string,
    private readonly options: FastParseOptions,
  ) {
    this.hashAt = src.indexOf('#');
    let lines = kept;
    let count = 0;
    // fastParse has refused tabs and carriage returns. By character code: 35 `#`, 37 `%`, 45 `-`, 46 `.`.
    for (let start = 0; start < src.length;) {
      let end = src.indexOf('\n', start);
      if (end === -1) end = src.length;
      let at = start;
      while (src.charCodeAt(at) === 32) at++;
      const c = src.charCodeAt(at);
      // A byte-order mark at the start of a line: before the document's content `yaml` reads past it (YAML
      // allows one at the start of every document), inside it the mark is content. `yaml` tells them apart.
      if (c === BOM && at === start) unsupported();
      if (count === lines.starts.length) {
        lines = grown(lines);
        if (count < KEPT_LINES) kept = lines;
      }
      lines.starts[count] = start;
      lines.ends[count] = end;
      lines.indents[count] = at - start;
      lines.kinds[count] = at === end ? BLANK : c === 35 ? COMMENT : CONTENT;
      count++;
      // The expression (a document marker) only for a line that starts as one: it is a slice and a match.
      if (at === start && (c === 37 || ((c === 45 || c === 46) && DOCUMENT_MARKER.test(src.slice(at, at + 4)))))
        unsupported();
      start = end + 1;
    }
    this.starts = lines.starts;
    this.ends = lines.ends;
    this.indents = lines.indents;
    this.kinds = lines.kinds;
    this.count = count;
  }

  document(): YAMLMap | YAMLSeq {
    const first = this.nextContent(0);
    if (first === -1) return unsupported();
    this.rootStart = this.starts[first] + this.indents[first];
    const root = this.blockNode(first, this.starts[first] + this.indents[first], -1);
    if (!isCollection(root) || this.nextContent(this.line) !== -1) unsupported();
    return root as YAMLMap | YAMLSeq;
  }

  private nextContent(from: number): number {
    for (let i = from; i < this.count; i++) if (this.kinds[i] === CONTENT) return i;
    return -1;
  }

  /** After the line's content at `at`: only spaces and a comment may follow. Returns the line's end. */
  private lineRest(line: number, at: number): void {
    const end = this.ends[line];
    while (at < end && this.src.charCodeAt(at) === 32) at++;
    if (at < end && (this.src[at] !== '#' || this.src.charCodeAt(at - 1) !== 32)) unsupported();
  }

  /** Where a comment (` #`) starts in [from, to), or -1; searched only when a `#` lies there. */
  private commentAt(from: number, to: number): number {
    if (from < this.hashFrom || (this.hashAt !== -1 && from > this.hashAt)) {
      this.hashFrom = from;
      this.hashAt = this.src.indexOf('#', from);
    }
    return this.hashAt === -1 || this.hashAt >= to ? -1 : indexIn(this.src, ' #', from, to);
  }

  /** The offset after a line's newline (the end of the text for the last line). */
  private afterLine(line: number): number {
    return Math.min(this.ends[line] + 1, this.src.length);
  }

  private isDash(at: number, end: number): boolean {
    return this.src[at] === '-' && (at + 1 === end || this.src.charCodeAt(at + 1) === 32);
  }

  /** A node that starts at offset `at` of `line`, inside a block whose indentation is `parent`. */
  private blockNode(line: number, at: number, parent: number): Node {
    if (this.isDash(at, this.ends[line])) return this.sequence(line, at);
    const key = this.keyAt(line, at);
    if (key) return this.map(line, at, key);
    return this.value(line, at, parent);
  }

  /** A block collection on the lines after its key or dash (a scalar there is left to `yaml`). */
  private nested(line: number, parent: number): Node {
    const node = this.blockNode(line, this.starts[line] + this.indents[line], parent);
    return isCollection(node) ? node : unsupported();
  }

  private sequence(line: number, at: number): YAMLSeq {
    const seq = newSeq();
    const column = at - this.starts[line];
    const start = at;
    for (;;) {
      let p = at + 1;
      const end = this.ends[line];
      while (p < end && this.src.charCodeAt(p) === 32) p++;
      let item: Node;
      if (p === end || this.src[p] === '#') {
        const next = this.nextContent(line + 1);
        if (next !== -1 && this.indents[next] > column) item = this.nested(next, column);
        else item = this.empty(line, p, column, true);
      } else item = this.blockNode(line, p, column);
      seq.items.push(item);
      const next = this.nextContent(this.line);
      if (next === -1 || this.indents[next] < column) break;
      if (this.indents[next] > column) unsupported();
      const dash = this.starts[next] + column;
      // A key at the dashes' column ends a sequence that is a map value written without indentation.
      if (!this.isDash(dash, this.ends[next])) break;
      line = next;
      at = dash;
    }
    return this.finish(seq, start, column);
  }

  private map(line: number, at: number, first: Scalar): YAMLMap {
    const map = newMap();
    const column = at - this.starts[line];
    const start = at;
    for (let key = first; ; key = this.keyAt(line, at) ?? unsupported()) {
      if (key.value === '<<' || hasKey(map, key.value)) unsupported();
      const end = this.ends[line];
      let p = (key.range as Range)[1] + 1;
      while (p < end && this.src.charCodeAt(p) === 32) p++;
      let value: Node;
      if (p === end || this.src[p] === '#') {
        const next = this.nextContent(line + 1);
        const indent = next === -1 ? -1 : this.indents[next];
        if (indent > column || (indent === column && this.isDash(this.starts[next] + indent, this.ends[next]))) {
          value = this.nested(next, column);
        } else value = this.empty(line, p, column, false);
      } else value = this.value(line, p, column);
      map.items.push(newPair(key, value));
      const next = this.nextContent(this.line);
      if (next === -1 || this.indents[next] < column) break;
      if (this.indents[next] > column) unsupported();
      line = next;
      at = this.starts[next] + column;
    }
    return this.finish(map, start, column);
  }

  /**
   * Ranges as `yaml` gives them: [start, end of the last entry's node, end including the comment lines
   * up to the next content when any of them is indented as deep as the collection]. The root's own
   * trailing comments belong to the document.
   */
  private finish<T extends YAMLMap | YAMLSeq>(collection: T, start: number, column: number): T {
    const last = collection.items[collection.items.length - 1]!;
    const lastNode = (isPair(last) ? last.value : last) as Node;
    const valueEnd = (lastNode.range as Range)[2];
    let end = valueEnd;
    let reaches = false;
    let i = this.line;
    for (; i < this.count && this.kinds[i] !== CONTENT; i++) {
      if (this.kinds[i] !== COMMENT || this.indents[i] < column) continue;
      // Deeper than the collection but not taken by its last scalar: `yaml`'s rules there are not worth copying.
      if (this.indents[i] > column) unsupported();
      reaches = true;
    }
    // Column-0 comments at the end of the text are the document's; elsewhere their owner is not worth copying.
    if (reaches && column === 0 && i < this.count) unsupported();
    if (reaches && start !== this.rootStart && column > 0) {
      end = i < this.count ? this.starts[i] + this.indents[i] : this.src.length;
      this.line = i;
    }
    collection.range = [start, valueEnd, end];
    return collection;
  }

  /** A plain or quoted key followed by `:` and a space or the line's end, or undefined. */
  private keyAt(line: number, at: number): Scalar | undefined {
    const src = this.src;
    const end = this.ends[line];
    const c = src[at];
    let keyEnd: number;
    let key: Scalar;
    if (c === '"' || c === "'") {
      const close = this.closingQuote(at, end);
      if (close === -1) return undefined;
      keyEnd = close + 1;
      if (src[keyEnd] !== ':') return undefined;
      // Escapes (`\/`, `\u002F`) are `yaml`'s to decode.
      if (c === '"' && indexIn(src, '\\', at, close) !== -1) unsupported();
      key = this.quoted(at, keyEnd);
    } else {
      if (cannotStartPlainKey(src.charCodeAt(at))) return undefined;
      let colon = at;
      for (;;) {
        // Native search: the next `:` is almost always on this line.
        colon = src.indexOf(':', colon + 1);
        if (colon === -1 || colon >= end) return undefined;
        if (colon + 1 === end || src.charCodeAt(colon + 1) === 32) break;
      }
      if (this.commentAt(at, colon) !== -1) return undefined;
      keyEnd = colon;
      while (src.charCodeAt(keyEnd - 1) === 32) keyEnd--;
      if (keyEnd !== colon) return undefined;
      // `<<` is YAML 1.1's merge key: `yaml` builds it as a merge, which the data must reflect.
      if (keyEnd - at === 2 && src.startsWith('<<', at)) unsupported();
      key = plainScalar(src.slice(at, keyEnd), this.options);
    }
    if (keyEnd + 1 < end && src.charCodeAt(keyEnd + 1) !== 32) return undefined;
    // A longer implicit key is an error (YAML's limit): `yaml` reports it.
    if (keyEnd - at > 1024) unsupported();
    key.range = [at, keyEnd, keyEnd];
    return key;
  }

  /** A scalar, flow collection or block scalar that starts at `at`; consumes its lines. */
  private value(line: number, at: number, parent: number): Node {
    const src = this.src;
    const end = this.ends[line];
    const c = src[at];
    if (c === '[' || c === '{') return this.flow(line, at, parent);
    if (c === '|' || c === '>') return this.blockScalar(line, at, parent);
    if (
      cannotStartValue(src.charCodeAt(at)) ||
      this.isDash(at, end) ||
      (c === ':' && (at + 1 === end || src.charCodeAt(at + 1) === 32))
    )
      unsupported();
    let node: Scalar;
    let valueEnd: number;
    if (c === '"' || c === "'") {
      const close = this.closingQuote(at, end);
      if (close === -1) unsupported();
      valueEnd = close + 1;
      node = indexIn(src, '\\', at, close) !== -1 ? (this.fragment(at, valueEnd) as Scalar) : this.quoted(at, valueEnd);
    } else {
      valueEnd = end;
      const hash = this.commentAt(at, end);
      if (hash !== -1) valueEnd = hash;
      while (src.charCodeAt(valueEnd - 1) === 32) valueEnd--;
      // `: ` in it or `:` at its end: not a plain scalar (a key, or an error). Found by searching the text for
      // `:` (the next is near, most values hold none), not by searching a slice made for each value.
      for (let i = src.indexOf(':', at); i !== -1 && i < valueEnd; i = src.indexOf(':', i + 1))
        if (i + 1 === valueEnd || src.charCodeAt(i + 1) === 32) unsupported();
      node = plainScalar(src.slice(at, valueEnd), this.options);
    }
    this.lineRest(line, valueEnd);
    const next = this.nextContent(line + 1);
    if (next !== -1 && this.indents[next] > parent) unsupported(); // a multi-line scalar, or an error
    const last = this.deeperComments(line, parent);
    node.range = [at, valueEnd, this.afterLine(last)];
    this.line = last + 1;
    return node;
  }

  /** `yaml` counts the comment lines right after a scalar that are deeper than its parent as the scalar's. */
  private deeperComments(line: number, parent: number): number {
    let last = line;
    let run = true;
    for (let i = line + 1; i < this.count && this.kinds[i] !== CONTENT; i++) {
      if (this.kinds[i] !== COMMENT) continue;
      if (this.indents[i] <= parent) run = false;
      else if (run) last = i;
      else unsupported(); // deeper comments after shallower ones
    }
    return last;
  }

  /**
   * An empty value (`key:` or `-` with nothing but a comment after it) at `at` of `line`, in a collection at
   * `column`: a null scalar. `yaml`'s parser gives the value the comment and blank lines after it, up to the
   * next content; only a map's next key at `column` takes back those from the second line break after the
   * last comment deeper than `column` (or after `key:`) on. The range ends where the value's lines end when
   * they hold a comment (at the end of the last one's text when split, else at the next content or the end
   * of the text), and is empty when they hold none. test/unit/fast-parse.test.ts holds this to `yaml`.
   */
  private empty(line: number, at: number, column: number, item: boolean): Scalar {
    const next = this.nextContent(line + 1);
    const stop = next === -1 ? this.count : next;
    // The last line the value takes: all of them, or up to the line after the last deeper comment.
    let last = stop - 1;
    let split = false;
    if (!item && next !== -1 && this.indents[next] === column) {
      let deep = line;
      for (let i = line + 1; i < stop; i++) if (this.kinds[i] === COMMENT && this.indents[i] > column) deep = i;
      split = deep + 1 < stop;
      if (split) last = deep + 1;
    }
    let comment = at < this.ends[line];
    for (let i = line + 1; i <= last; i++) if (this.kinds[i] === COMMENT) comment = true;
    // A sequence item's own tokens start at the comments before its dash: with one there, `yaml` ends an
    // item that has none after it past its line breaks too. Not worth copying.
    if (item && !comment)
      for (let i = line - 1; i >= 0 && this.kinds[i] !== CONTENT; i--) if (this.kinds[i] === COMMENT) unsupported();
    const node = plainScalar('');
    let end = at;
    if (comment) {
      // Split: up to the end of that line, without its line break; else up to the next content.
      if (split) end = this.ends[last];
      else end = next === -1 ? this.src.length : this.starts[next] + this.indents[next];
      // What `yaml` left to the next key is between entries, where no range looks.
      this.line = stop;
    } else this.line = line + 1;
    node.range = [at, at, end];
    return node;
  }

  private quoted(at: number, end: number): Scalar {
    return quotedScalar(this.src.slice(at + 1, end - 1), this.src[at] === "'");
  }

  /** The closing quote on the same line, or -1 (multi-line quoted scalars are left to `yaml`). */
  private closingQuote(at: number, end: number): number {
    const src = this.src;
    const quote = src.charCodeAt(at);
    for (let i = at + 1; i < end; i++) {
      const c = src.charCodeAt(i);
      if (quote === 34 /* " */ && c === 92 /* \ */) i++;
      else if (c === quote) {
        if (quote === 39 /* ' */ && src.charCodeAt(i + 1) === 39) i++;
        else return i;
      }
    }
    return -1;
  }

  /**
   * A flow collection, possibly over several lines: FlowParser's, or parsed by `yaml` on its own. FlowParser
   * first reads it to its closing bracket in one pass; where it declines, a scan finds that bracket and
   * FlowParser reads exactly up to it, or `yaml` does.
   */
  private flow(line: number, at: number, parent: number): Node {
    const reader = new FlowParser(this.src, at, this.src.length, this.options, true);
    const node = reader.collection();
    if (!node) return this.scannedFlow(line, at, parent);
    const close = reader.offset - 1;
    let endLine = line;
    // Its lines are deeper than its parent, as scannedFlow requires.
    let atParent = -1;
    while (this.ends[endLine] <= close) atParent = this.flowLine(++endLine, parent, atParent);
    if (atParent !== -1 && atParent !== close) unsupported();
    return this.flowEnd(node, endLine, close, parent);
  }

  /** A flow collection found by a scan for its closing bracket. */
  private scannedFlow(line: number, at: number, parent: number): Node {
    const src = this.src;
    let depth = 0;
    let i = at;
    let endLine = line;
    // Its lines are deeper than its parent, but for a line at the parent's column that starts with its own
    // closing bracket: `yaml` reads that one too.
    let atParent = -1;
    for (; ; i++) {
      if (i >= this.ends[endLine]) {
        atParent = this.flowLine(++endLine, parent, atParent);
        i = this.starts[endLine] - 1;
        continue;
      }
      // By character code: 34 `"`, 39 `'`, 35 `#`, 91 `[`, 123 `{`, 93 `]`, 125 `}`.
      const c = src.charCodeAt(i);
      if (c === 34 || c === 39) {
        i = this.closingQuote(i, this.ends[endLine]);
        if (i === -1) unsupported();
      } else if (c === 35 && isSpaceOrNothing(src.charCodeAt(i - 1))) i = this.ends[endLine] - 1;
      else if (c === 91 || c === 123) depth++;
      else if ((c === 93 || c === 125) && --depth === 0) break;
    }
    if (atParent !== -1 && atParent !== i) unsupported();
    const node = new FlowParser(this.src, at, i + 1, this.options).collection() ?? this.flowFragment(at, i + 1);
    return this.flowEnd(node, endLine, i, parent);
  }

  /**
   * A line a flow collection goes on to: one of the text's (the kept tables hold an earlier text's lines past
   * `count`), deeper than the parent but for one line at its column, where the collection must close. Gives
   * where that line's content starts, or `atParent` as it was.
   */
  private flowLine(line: number, parent: number, atParent: number): number {
    if (line >= this.count) unsupported();
    const indent = this.indents[line];
    if (this.kinds[line] !== CONTENT || indent > parent) return atParent;
    if (indent < parent || atParent !== -1) unsupported();
    return this.starts[line] + indent;
  }

  /** After a flow collection that closes at `close` of `endLine`: only a comment, and nothing deeper after it. */
  private flowEnd(node: Node, endLine: number, close: number, parent: number): Node {
    this.lineRest(endLine, close + 1);
    const next = this.nextContent(endLine + 1);
    if ((next !== -1 && this.indents[next] > parent) || this.deeperComments(endLine, parent) !== endLine) unsupported();
    (node.range as Range)[2] = this.afterLine(endLine);
    this.line = endLine + 1;
    return node;
  }

  /** `yaml`'s reading of an unusual flow collection; with a merge key in it, `yaml` reads the whole text. */
  private flowFragment(start: number, end: number): Node {
    const merge = this.src.indexOf('<<', start);
    if (merge !== -1 && merge < end) unsupported();
    return this.fragment(start, end);
  }

  /** `|`, `>`, `|-`, `>-` with the lines indented deeper than the parent, parsed by `yaml` on its own. */
  private blockScalar(line: number, at: number, parent: number): Node {
    let header = at + 1;
    if (this.src[header] === '-') header++;
    this.lineRest(line, header);
    let last = line;
    for (let i = line + 1; i < this.count && (this.kinds[i] === BLANK || this.indents[i] > parent); i++) {
      if (this.kinds[i] !== BLANK) last = i;
    }
    if (last === line) unsupported();
    // `yaml` counts trailing lines of only spaces into the scalar's range: not worth copying.
    for (let i = last + 1; i < this.count && this.kinds[i] === BLANK; i++)
      if (this.ends[i] > this.starts[i]) unsupported();
    const end = this.afterLine(last);
    const node = this.simpleBlockScalar(line, last, at, header) ?? this.fragment(at, end);
    if (!isScalar(node)) unsupported();
    node.range = [at, end, end];
    this.line = last + 1;
    return node;
  }

  /** The common block scalar: every line at one indentation, none blank. Others go to `yaml`. */
  private simpleBlockScalar(header: number, last: number, at: number, afterIndicator: number): Scalar | undefined {
    const indent = this.indents[header + 1];
    const lines: string[] = [];
    for (let i = header + 1; i <= last; i++) {
      if (this.kinds[i] === BLANK || this.indents[i] !== indent) return undefined;
      lines.push(this.src.slice(this.starts[i] + indent, this.ends[i]));
    }
    const literal = this.src[at] === '|';
    const strip = afterIndicator === at + 2;
    const value = lines.join(literal ? '\n' : ' ') + (strip ? '' : '\n');
    const node = newScalar(value);
    node.source = value;
    node.type = literal ? 'BLOCK_LITERAL' : 'BLOCK_FOLDED';
    return node;
  }

  /** `yaml` parses src[start, end) alone; the nodes' ranges are moved to where the text sits. */
  private fragment(start: number, end: number): Node {
    const doc = parseDocument(this.src.slice(start, end), { ...PARSE_OPTIONS, ...this.options });
    if (doc.errors.length || doc.warnings.length || !doc.contents) unsupported();
    shift(doc.contents as Node, start);
    return doc.contents as Node;
  }
}

/** A space, a tab or the text's start before a `#`: a comment. */
const isSpaceOrNothing = (c: number): boolean => c === 32 || c === 9 || Number.isNaN(c);
/** What a plain key cannot start with (a sequence's dash, flow and other indicators). */
const cannotStartPlainKey = charSet('-?:,[]{}#&*!|>%@`');
/** What a scalar value cannot start with, here (anchors, aliases, tags and other indicators). */
const cannotStartValue = charSet('&*!%@`?,]}#');

function shift(node: Node, by: number): void {
  const range = (node as { range?: Range }).range;
  if (range) for (let i = 0; i < 3; i++) range[i] += by;
  if (isCollection(node)) {
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        shift(item.key as Node, by);
        if (item.value) shift(item.value as Node, by);
      } else shift(item as Node, by);
    }
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
/**
 * Where items are encoded on their way to a copy: `encode` allocated a buffer for each, which was most of the
 * copy's time. Its size bounds what stays allocated; a longer text gets a buffer of its own.
 */
const scratch = new Uint8Array(256 * 1024);
/**
 * `src` as a string of its own. An item is a slice of the input, and V8 reads each character of a slice
 * through its parent: the parser reads every character, and reads them faster from a copy. A copy through
 * UTF-8 is one native pass each way; it is used only when equal to `src` (a lone surrogate would not survive).
 */
function sequential(src: string): string {
  const { read, written } = encoder.encodeInto(src, scratch);
  const copy = decoder.decode(read === src.length ? scratch.subarray(0, written) : encoder.encode(src));
  return copy === src ? copy : src;
}
