/**
 * Text edits for the YAML structures the injector touches. New content is rendered in the file's own
 * indentation style and spliced in; removal deletes exactly the lines (or flow text) an insertion added.
 */
import { isMap, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { emitBlock, emitFlow, emitFlowEntry, type Style } from './emit';
import { FlowParser } from './fast-scalars';
import { rangeOf, sameData, toJSON } from './nodes';
import { afterLine, columnOf, lineStart, type Edit } from './text-edit';
import { trailingComments } from './trailing-comments';

export type { Style };

export const DEFAULT_STYLE: Style = { indent: 2, indentSeq: false };

/** Learns indentation from the resource itself: a nested map and a block sequence under a key. */
export function detectStyle(src: string, root: YAMLMap, seqHint?: { key: Node; seq: YAMLSeq }): Style {
  let indent = DEFAULT_STYLE.indent;
  for (const pair of root.items) {
    const value = pair.value;
    if (isMap(value) && !value.flow && value.items.length) {
      // Key columns, not key ranges: a key's range starts after its tag or anchor (`!!str metadata:`).
      const step = keyColumn(src, value) - keyColumn(src, root);
      if (step > 0) indent = step;
      break;
    }
  }
  let indentSeq = DEFAULT_STYLE.indentSeq;
  if (seqHint && !seqHint.seq.flow && seqHint.seq.items.length) {
    indentSeq = columnOf(src, rangeOf(seqHint.seq)[0]) > columnOf(src, rangeOf(seqHint.key)[0]);
  }
  return { indent, indentSeq };
}

/**
 * Offset of the `-` indicator of item `index` of a block sequence: where the sequence starts for the first,
 * else the first thing after the previous item but spaces and comments. (Walking back from the item itself
 * fails on `- &anchor` and `- # comment`: the item starts after them.)
 */
export function dashOf(src: string, seq: YAMLSeq, index: number): number {
  let at = index === 0 ? rangeOf(seq)[0] : rangeOf(seq.items[index - 1])[1];
  for (;;) {
    while (at < src.length && /\s/.test(src[at])) at++;
    if (src[at] !== '#') break;
    at = src.indexOf('\n', at);
    if (at === -1) at = src.length;
  }
  if (src[at] !== '-') throw new Error('block sequence item without a "-" indicator');
  return at;
}

/** Block lines inserted at `at`, after a newline when the text before does not end its line (no final newline). */
function blockAt(src: string, at: number, text: string, column: number, item: boolean): Edit {
  return at > 0 && src[at - 1] !== '\n'
    ? { start: at, end: at, text: `\n${text}`, depth: 0 }
    : { start: at, end: at, text, depth: column, lines: { column, item } };
}

/**
 * Inserts `values` into a sequence before `index` (`index >= length` appends). In a block sequence they go
 * below the comments above that item, or above the last `under` comment and blank lines of them: those that
 * stood under the items they put back (linesUnder).
 */
export function insertIntoSeq(
  src: string,
  seq: YAMLSeq,
  index: number,
  values: unknown[],
  style: Style,
  under = 0,
): Edit {
  const items = seq.items;
  if (seq.flow || items.length === 0) {
    const text = values.map(emitFlow).join(', ');
    const meant = toJSON(seq) as unknown[];
    const edit = (at: number, inserted: string): Edit =>
      flowEdit(seq, at, inserted, [...meant.slice(0, index), ...values, ...meant.slice(index)]);
    if (items.length === 0) return edit(src.lastIndexOf(']', rangeOf(seq)[1]), text);
    if (index >= items.length) return edit(rangeOf(items[items.length - 1])[1], `, ${text}`);
    return edit(rangeOf(items[index])[0], `${text}, `);
  }
  const column = columnOf(src, dashOf(src, seq, 0));
  const text = emitBlock(values, style, column);
  if (index < items.length) {
    let at = lineStart(src, dashOf(src, seq, index));
    for (let n = 0; n < under && at > 0; n++) {
      const above = lineStart(src, at - 1);
      const line = src.slice(above, at).trim();
      if (line !== '' && !line.startsWith('#')) break;
      at = above;
    }
    return { start: at, end: at, text, depth: column, lines: { column, item: true } };
  }
  const after = trailingComments(src, afterLine(src, contentEnd(items[items.length - 1])), column);
  return blockAt(src, after.at, text, column, true);
}

/** Adds key/value pairs at the end of a map. */
export function addToMap(src: string, map: YAMLMap, values: Record<string, unknown>, style: Style): Edit {
  const pairs = map.items;
  if (map.flow || pairs.length === 0) {
    // A loop that pushes, not map(): see pod-facts.ts `containers`.
    const entries: string[] = [];
    for (const key in values) entries.push(emitFlowEntry(key, values[key]));
    const text = entries.join(', ');
    const meant = withEntries(toJSON(map) as Record<string, unknown>, values);
    if (pairs.length === 0) return flowEdit(map, src.lastIndexOf('}', rangeOf(map)[1]), text, meant);
    return flowEdit(map, pairEnd(pairs[pairs.length - 1]), `, ${text}`, meant);
  }
  const column = keyColumn(src, map);
  const text = emitBlock(values, style, column);
  const after = trailingComments(src, afterLine(src, pairEnd(pairs[pairs.length - 1])), column);
  const before = after.endsCollection ? beforeEntry(src, pairs[pairs.length - 1], column) : undefined;
  return before === undefined
    ? blockAt(src, after.at, text, column, false)
    : { start: before, end: before, text, depth: column };
}

/**
 * The start of a map entry's first line, above the comments that head it at its column; undefined when the
 * entry shares its line with something before it (`- name: x`, the first key of a list item).
 */
function beforeEntry(src: string, pair: Pair, column: number): number | undefined {
  let at = lineStart(src, rangeOf(pair.key)[0]);
  if (src.slice(at, at + column).trim() !== '') return undefined;
  while (at > 0) {
    const above = lineStart(src, at - 1);
    const line = src.slice(above, at);
    if (line.length - line.trimStart().length !== column || !line.trimStart().startsWith('#')) break;
    at = above;
  }
  return at;
}

/**
 * `{ ...data, ...values }` where `data` is a fresh object of its own (toJSON's): the values set on it in a
 * loop. The spread went through V8's slow path for every flow map a workload's labels go into (58 of 121 ms
 * of addToMap, 10,000 workloads). A `__proto__` key is defined, as the spread does, not set as the prototype.
 */
function withEntries(data: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  for (const key in values)
    if (key === '__proto__')
      Object.defineProperty(data, key, { value: values[key], enumerable: true, writable: true, configurable: true });
    else data[key] = values[key];
  return data;
}

/** An insertion into a flow collection, with what the collection must then read as (see plainInsertions). */
function flowEdit(collection: YAMLMap | YAMLSeq, at: number, text: string, meant: unknown): Edit {
  const [start, end] = rangeOf(collection);
  return { start: at, end: at, text, flow: { start, end, meant } };
}

/**
 * The column of a block map's keys. `yaml` knows it (its CST, kept for what it parses); the fast parser's
 * maps start with a plain key, whose column it is. A key's own range starts after `? `, a tag or an
 * anchor, so it alone would put new keys too far right.
 */
export function keyColumn(src: string, map: YAMLMap): number {
  const token = (map as { srcToken?: { type?: string; indent?: number } }).srcToken;
  if (token?.type === 'block-map' && typeof token.indent === 'number') return token.indent;
  return columnOf(src, rangeOf(map.items[0].key)[0]);
}

/**
 * Where a node's own content ends: a collection's range runs on over the comments and blank lines after it,
 * up to the next token, which may sit on a line of its parent's (`spec:`, `volumeClaimTemplates:`). What
 * is added after a collection goes right after its last content, and what was added is removed up to there,
 * so comments after it stay where they were.
 */
function contentEnd(node: unknown): number {
  if (isMap(node) && !node.flow && node.items.length) return pairEnd(node.items[node.items.length - 1]);
  if (isSeq(node) && !node.flow && node.items.length) return contentEnd(node.items[node.items.length - 1]);
  return rangeOf(node)[1];
}

function pairEnd(pair: Pair): number {
  return pair.value ? contentEnd(pair.value) : rangeOf(pair.key)[1];
}

/**
 * The comment and blank lines between block sequence item `index` and the next item: what its removal
 * (removeFromSeq) leaves above that one.
 */
export function linesUnder(src: string, seq: YAMLSeq, index: number): number {
  if (seq.flow || index + 1 >= seq.items.length) return 0;
  const gap = src.slice(afterLine(src, contentEnd(seq.items[index])), lineStart(src, dashOf(src, seq, index + 1)));
  return gap.split('\n').length - 1;
}

/** Removes sequence items: their whole lines in block style, the items and their separators in flow style. */
export function removeFromSeq(src: string, seq: YAMLSeq, items: readonly Node[]): Edit[] {
  if (seq.flow)
    return removeFlowEntries(
      seq.items.map((i) => rangeOf(i)),
      items.map((i) => seq.items.indexOf(i)),
    );
  return items.map((item) => ({
    start: lineStart(src, dashOf(src, seq, seq.items.indexOf(item))),
    end: afterLine(src, contentEnd(item)),
    text: '',
  }));
}

export function removeFromMap(src: string, map: YAMLMap, pairs: readonly Pair[]): Edit[] {
  if (map.flow)
    return removeFlowEntries(
      map.items.map((p) => [rangeOf(p.key)[0], pairEnd(p), 0]),
      pairs.map((p) => map.items.indexOf(p)),
    );
  const first = firstKeyRemoval(src, map, pairs);
  return [
    ...(first ? [first.edit] : []),
    ...pairs
      .filter((pair) => map.items.indexOf(pair) >= (first?.kept ?? 0))
      .map((pair) => {
        const start = lineStart(src, rangeOf(pair.key)[0]);
        if (src.slice(start, rangeOf(pair.key)[0]).trim() !== '')
          throw new Error('cannot remove the first key of a sequence item');
        return { start, end: afterLine(src, pairEnd(pair)), text: '' };
      }),
  ];
}

/**
 * The first key of a list item (`- env:`) goes with the keys after it that go too, up to the first one
 * kept, which takes its place after the dash. The injection adds keys at a map's end, but a tool that sorts
 * keys (`kustomize build`, `kubectl get -o yaml`) puts `env` or `volumeMounts` first in a container. `kept`:
 * the index of that key, the first the other edits may touch. Only a plain `- key:` line: with an anchor or
 * a tag before the key, the key kept would take it over (the caller refuses, as before).
 */
function firstKeyRemoval(src: string, map: YAMLMap, pairs: readonly Pair[]): { edit: Edit; kept: number } | undefined {
  const firstKey = map.items[0];
  if (!firstKey || !pairs.includes(firstKey)) return undefined;
  const start = rangeOf(firstKey.key)[0];
  if (!/^[ ]*-[ ]+$/.test(src.slice(lineStart(src, start), start))) return undefined;
  let kept = 1;
  while (kept < map.items.length && pairs.includes(map.items[kept])) kept++;
  if (kept === map.items.length) throw new Error('cannot remove every key of a sequence item');
  // Up to what follows the last key that goes (the kept key, or the comment lines that head it).
  let end = afterLine(src, pairEnd(map.items[kept - 1]));
  while (end < src.length && /\s/.test(src[end])) end++;
  return { edit: { start, end, text: '' }, kept };
}

/**
 * Flow entries go in contiguous runs, each with one separator: `a, X, Y, b` loses `X, Y, `; a run at the
 * end loses the separator before it. Exactly the text an insertion added.
 */
function removeFlowEntries(ranges: [number, number, number][], indices: number[]): Edit[] {
  const doomed = new Set(indices);
  const edits: Edit[] = [];
  for (let i = 0; i < ranges.length; i++) {
    if (!doomed.has(i)) continue;
    let j = i;
    while (doomed.has(j + 1)) j++;
    if (j + 1 < ranges.length) edits.push({ start: ranges[i][0], end: ranges[j + 1][0], text: '' });
    else if (i > 0) edits.push({ start: ranges[i - 1][1], end: ranges[j][1], text: '' });
    else edits.push({ start: ranges[i][0], end: ranges[j][1], text: '' });
    i = j;
  }
  return edits;
}

export function isCollection(node: unknown): node is YAMLMap | YAMLSeq {
  return isMap(node) || isSeq(node);
}

/**
 * Whether every edit is a block of lines whose place follows from indentation alone, so that reading the
 * text back could not tell anything the lines around it do not: each edit inserts whole lines at a line
 * start, its first line at the block's column (the emitter writes whole lines, the first at the column
 * asked for and the rest deeper: its shape is held to `yaml`'s own writer by test/unit/emit.test.ts, as for
 * the read-back, so an edit that carries it in `lines` is not read again); the line before it is plain content
 * (no comment or blank line, no empty value, block scalar or open flow collection it could join), and the
 * line after it is shallower (or, for a block of list items at a list's column, a key that ends the list),
 * or the end, past any comment lines shallower than the block (in a text the fast parser read, no block
 * scalar or flow collection holds them). Only LF text with a final line break; at one place and column,
 * list items before one block of keys. An insertion into a one-line flow collection is proven on the
 * collection (flowInsertion). Anything else is for the read-back (fn/inject/guard.ts); this is the proof
 * for the plain case, checked on every edit.
 */
export function plainInsertions(src: string, edits: readonly Edit[]): boolean {
  if (src.includes('\r') || !src.endsWith('\n')) return false;
  // Blocks at one place and column go in as given (applyEdits): list items, then the keys that end the list.
  // As pairs of numbers, not a Set of `${start}:${column}` strings: a workload has a handful of edits.
  const keysAt: number[] = [];
  for (const edit of edits) {
    if (edit.flow) {
      if (!flowInsertion(src, edit, edits)) return false;
      continue;
    }
    const { start, end } = edit;
    const shape = edit.lines ?? linesOf(edit.text);
    if (start !== end || !shape || (start > 0 && src[start - 1] !== '\n')) return false;
    const { column, item } = shape;
    if (holdsPlace(keysAt, start, column)) return false;
    if (!item) keysAt.push(start, column);
    const before = lineBefore(src, start);
    // Comment lines shallower than the block (the next item's head comment) cannot join it: the line after them decides.
    let next = start;
    while (next < src.length && isCommentBelow(src, next, column)) next = src.indexOf('\n', next) + 1;
    const after = next < src.length ? src.slice(next, src.indexOf('\n', next) + 1) : undefined;
    const afterColumn = after === undefined ? -1 : indentOf(after);
    if (after !== undefined && !isContent(after)) return false;
    // A list's first items go right after the key that holds the list, before its first dash.
    const first = item && after !== undefined && afterColumn === column && after.startsWith('- ', column);
    if (first) {
      if (!/^[ ]*[A-Za-z0-9_."'/-][^#:]*:[ ]*(?:#.*)?\n$/.test(before) || indentOf(before) > column) return false;
      continue;
    }
    if (!isContent(before) || !endsValue(before)) return false;
    if (after === undefined || afterColumn < column) continue;
    // A key at a list's own column ends the list (`containers:` and `- name:` at one column).
    if (!(item && afterColumn === column && !after.startsWith('-', column))) return false;
  }
  return true;
}

/** Whether `places`, pairs of a start and a column one after the other, holds `start` and `column`. */
function holdsPlace(places: readonly number[], start: number, column: number): boolean {
  for (let i = 0; i < places.length; i += 2) if (places[i] === start && places[i + 1] === column) return true;
  return false;
}

/**
 * An insertion into a flow collection on one line, proven on the collection alone: brackets end a flow
 * collection, so the line around it reads as before, and the collection's text with the insertion made must
 * read as exactly what was meant (FlowParser, the fast parser's own reader of such collections, held to
 * `yaml` by test/unit/fast-parse.test.ts). One line of text, no comment, no other edit inside.
 */
function flowInsertion(src: string, edit: Edit, edits: readonly Edit[]): boolean {
  const { start, end, meant } = edit.flow!;
  const at = edit.start;
  const text = edit.text;
  if (at !== edit.end || at <= start || at >= end || text.includes('\n') || text.includes('\r') || text.includes('#'))
    return false;
  // The first line break from the collection's start, not the last before its end: the same question, and
  // indexOf is a fraction of lastIndexOf's cost (on an item's text, 80 against 300 ns).
  const lineBreak = src.indexOf('\n', start);
  if (lineBreak !== -1 && lineBreak < end) return false;
  for (const other of edits) if (other !== edit && other.start < end && other.end > start) return false;
  const inserted = src.slice(start, at) + text + src.slice(at, end);
  const read = readFlow(inserted);
  return read !== undefined && sameData(read, meant);
}

/**
 * FlowParser's reading of a whole flow collection's text. The last text and what it read are kept: a
 * workload's two label maps (its own and its pod's) are most often written alike, and so read alike once
 * the same label goes into each. What is kept is only read (sameData), never changed.
 */
function readFlow(text: string): Node | undefined {
  const last = lastFlow;
  if (last?.text === text) return last.read;
  const read = new FlowParser(text, 0, text.length).collection();
  lastFlow = { text, read };
  return read;
}
let lastFlow: { text: string; read: Node | undefined } | undefined;

/** Whole lines, and where their first starts: a list item or a key, at which column. */
function linesOf(text: string): Edit['lines'] {
  if (!text.endsWith('\n')) return undefined;
  const column = indentOf(text);
  return { column, item: text.startsWith('- ', column) };
}

/** The line before `at` (a line start), with its line break. */
function lineBefore(src: string, at: number): string {
  return at === 0 ? '' : src.slice(lineStart(src, at - 1), at);
}

/** Whether the line at `at` is a comment line indented less than `column`. */
function isCommentBelow(src: string, at: number, column: number): boolean {
  let i = at;
  while (src.charCodeAt(i) === 32) i++;
  return src[i] === '#' && i - at < column;
}

/**
 * Not blank and not a comment line: after the spaces it starts with, a character that is not `#` or a line
 * break (what `/^[ ]*[^ #\n]/` says, asked twice of every plain insertion: test/unit/block-edit.test.ts).
 */
export function isContent(line: string): boolean {
  const at = indentOf(line);
  const c = line.charCodeAt(at);
  return at < line.length && c !== HASH && c !== LINE_FEED;
}

/**
 * A line that ends its value: not `key:` with nothing after it (the next lines could be its value), not
 * a block scalar header, not an open flow collection or quote, not a lone dash.
 *
 * Asked of every line an insertion follows, so written with character codes rather than the regular
 * expressions it was first written with; test/unit/block-edit.test.ts holds those (endsValueByPatterns) and
 * compares the two on many generated lines.
 */
export function endsValue(line: string): boolean {
  const code = (line.includes('#') ? line.replace(/[ ]+#.*$/, '') : line).trimEnd();
  const length = code.length;
  const last = code.charCodeAt(length - 1);
  // `key:`, an open flow collection or entry: `[`, `{`, `,`.
  if (last === COLON || last === OPEN_BRACKET || last === OPEN_BRACE || last === COMMA) return false;
  // A block scalar header, `|`, `>-`, `|2+`, at the start or after a colon or space.
  let header = length;
  while (header > 0 && isHeaderIndicator(code.charCodeAt(header - 1))) header--;
  const indicator = code.charCodeAt(header - 1);
  if (indicator === BAR || indicator === GREATER) {
    const before = header < 2 ? -1 : code.charCodeAt(header - 2);
    if (before === -1 || before === COLON || before === SPACE) return false;
  }
  // A lone dash, or a line whose content starts with an explicit key or value indicator (`? `, `: `),
  // after any dashes of list items (`- - `).
  let at = indentOf(code);
  if (last === DASH && at === length - 1) return false;
  while (code.charCodeAt(at) === DASH && code.charCodeAt(at + 1) === SPACE) at += 2;
  const mark = code.charCodeAt(at);
  if ((mark === QUESTION || mark === COLON) && (at + 1 === length || code.charCodeAt(at + 1) === SPACE)) return false;
  return closedAndPlain(code);
}

/**
 * No quote left open (an even number of `"`), and no anchor, alias or tag indicator (`&`, `*`, `!`) outside
 * the quoted strings: those read left to right, a `"` or `'` opening a string only where it is closed later.
 */
function closedAndPlain(code: string): boolean {
  let quotes = 0;
  for (let at = code.indexOf('"'); at !== -1; at = code.indexOf('"', at + 1)) quotes++;
  if (quotes % 2 !== 0) return false;
  for (let at = 0; at < code.length; at++) {
    const c = code.charCodeAt(at);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const close = code.indexOf(c === DOUBLE_QUOTE ? '"' : "'", at + 1);
      if (close !== -1) at = close;
    } else if (c === AMPERSAND || c === ASTERISK || c === BANG) return false;
  }
  return true;
}

const LINE_FEED = 0x0a;
const SPACE = 0x20;
const BANG = 0x21;
const DOUBLE_QUOTE = 0x22;
const HASH = 0x23;
const AMPERSAND = 0x26;
const SINGLE_QUOTE = 0x27;
const ASTERISK = 0x2a;
const COMMA = 0x2c;
const DASH = 0x2d;
const COLON = 0x3a;
const GREATER = 0x3e;
const QUESTION = 0x3f;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const BAR = 0x7c;

/** What may follow a block scalar's `|` or `>`: chomping and indentation indicators, `[-+0-9]`. */
const isHeaderIndicator = (c: number): boolean => c === 0x2b || c === DASH || (c >= 0x30 && c <= 0x39);

function indentOf(text: string): number {
  let n = 0;
  while (text.charCodeAt(n) === SPACE) n++;
  return n;
}

/**
 * Whether a comment is written within a created pair's lines but outside the entries removal takes (what the
 * injection writes around its entries holds none; inside them, a script may): someone else's, to keep.
 */
export function commentBeside(src: string, pair: Pair, node: YAMLMap | YAMLSeq, doomed: readonly unknown[]): boolean {
  // A block entry's whole lines; a flow entry's own text (a flow collection may share its lines).
  const span = (start: number, end: number) =>
    node.flow ? [start, end] : [lineStart(src, start), afterLine(src, end)];
  const ours = doomed
    .map((entry) =>
      isSeq(node)
        ? span(node.flow ? rangeOf(entry)[0] : dashOf(src, node, node.items.indexOf(entry as never)), contentEnd(entry))
        : span(rangeOf((entry as Pair).key)[0], pairEnd(entry as Pair)),
    )
    .sort((a, b) => a[0] - b[0]);
  let at = lineStart(src, rangeOf(pair.key)[0]);
  let rest = '';
  for (const [start, end] of ours) {
    rest += src.slice(at, Math.max(at, start));
    at = Math.max(at, end);
  }
  rest += src.slice(at, Math.max(at, afterLine(src, pairEnd(pair))));
  return /(?:^|[ \t])#/m.test(rest);
}
