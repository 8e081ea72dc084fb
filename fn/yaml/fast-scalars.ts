/**
 * The pieces the fast parser shares: the YAML 1.1 resolution of plain scalars exactly as `yaml` does it,
 * flow collections, and the "not in the subset" signal that sends a text back to `yaml`.
 */
import { isScalar, Schema, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { newMap, newPair, newScalar, newSeq } from './node-factory';
import type { Range } from './nodes';
import { shapeOf, WORDS } from './plain-shapes';

interface ScalarTag {
  tag: string;
  identify?: (value: unknown) => boolean;
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve(source: string, onError: (message: string) => void, options: object): unknown;
}

/** YAML 1.1 scalars, as Kubernetes reads them (`yes` is a boolean there); big integers stay exact. */
export const PARSE_OPTIONS = { version: '1.1', intAsBigInt: true, keepSourceTokens: false, uniqueKeys: true } as const;

/** What the fast parser reads like `yaml` does: YAML 1.1, with or without BigInt integers. */
export interface FastParseOptions {
  readonly version: '1.1';
  readonly intAsBigInt?: boolean;
}
const TAGS = (new Schema({ schema: 'yaml-1.1' }).tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test);
/**
 * Whether any of them matches, in one regular expression: most words match none, and a short run compiled
 * and ran a dozen of them for each new word (each is compiled on its first use).
 */
export const anyOf = (tests: RegExp[]): RegExp => new RegExp(tests.map((test) => `(?:${test.source})`).join('|'));
// Made when first needed: most runs' values all have shapes that plain-shapes.ts decides, and V8 parses an
// expression as it is made.
let anyTag: RegExp | undefined;
const anyTagTest = (): RegExp => (anyTag ??= anyOf(TAGS.map((tag) => tag.test!)));

/**
 * What a tag of YAML 1.1 or 1.2's core schema could match: nothing, a number (a sign, a digit, a dot, or
 * `e` of `e5`, a float to YAML 1.1), `~`, or a word of at most five letters that starts as one of theirs
 * does (null, yes, no, on, off, true, false). Anything else, most names and images, is a string without
 * trying the tags' regular expressions. Asked for every plain scalar and key, in character codes:
 * test/unit/fast-parse.test.ts holds it to the regular expression it was first written as.
 */
export function mayBeTagged(source: string): boolean {
  if (source.length === 0) return true;
  const c = source.charCodeAt(0);
  if (isNumberOrNullFirst(c)) return true;
  if (source.length > 5 || !isYesNoNullFirst(c)) return false;
  for (let i = 1; i < source.length; i++) if (!isAsciiLetter(source.charCodeAt(i))) return false;
  return true;
}
/** A digit, a sign, a dot, `e` (a float to YAML 1.1) or `~`. */
const isNumberOrNullFirst = charSet('0123456789-+.eE~');
const isYesNoNullFirst = charSet('FNOTYfnoty');
const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

export const UNSUPPORTED = Symbol('unsupported');
export const unsupported = (): never => {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sentinel the fast parser catches, no stack to build
  throw UNSUPPORTED;
};

/** `text.indexOf(search, from)` that looks no further than `end` (searches must stay on their line). */
export function indexIn(text: string, search: string, from: number, end: number): number {
  const first = search.charCodeAt(0);
  for (let i = from; i + search.length <= end; i++) {
    if (text.charCodeAt(i) === first && (search.length === 1 || text.startsWith(search, i))) return i;
  }
  return -1;
}

/**
 * Flow collections as people write them, on one line or several: `{app: web, tier: "backend"}`,
 * `[--wait, "30s"]`, padded or not, with comments and line breaks between entries and a trailing comma.
 * Keys are plain or quoted and followed by `: ` (or, after a quoted key, `:` alone, as JSON writes it);
 * values are plain or quoted one-line scalars or nested flow collections. Ranges are `yaml`'s: a value's
 * third offset reaches over the spaces, comments and line breaks up to the next `,` or bracket. Anything
 * else (escapes, multi-line scalars, empty values, explicit keys, pairs in a sequence) returns undefined and
 * `yaml` parses the fragment. The caller checks what the block around it requires (fast-parse.ts flow()).
 */
export class FlowParser {
  /**
   * `toClose`: read the collection up to its closing bracket, wherever that is (`end` is then the text's end,
   * and `offset` after it), rather than exactly to `end`. Where the fast parser's bracket scan (fast-parse.ts
   * flow()) would read the text otherwise, a quote in a plain scalar or a `#` at a line's start, it declines.
   */
  constructor(
    private readonly src: string,
    private at: number,
    private readonly end: number,
    private readonly options: FastParseOptions = PARSE_OPTIONS,
    private readonly toClose = false,
  ) {}

  /** Where reading stopped: after the collection, once collection() has read one. */
  get offset(): number {
    return this.at;
  }

  collection(): YAMLMap | YAMLSeq | undefined {
    const c = this.src[this.at];
    if (c !== '{' && c !== '[') return undefined;
    try {
      const node = this.node();
      return this.toClose || this.at === this.end ? (node as YAMLMap | YAMLSeq) : undefined;
    } catch (error) {
      if (error === UNSUPPORTED) return undefined;
      throw error;
    }
  }

  /** A collection or scalar at `at`; its range's third offset is set by the caller (gap()). */
  private node(): Node {
    const c = this.src[this.at];
    if (c !== '{' && c !== '[') return this.scalar(false);
    const map = c === '{';
    const node = map ? newMap() : newSeq();
    node.flow = true;
    const start = this.at++;
    const close = map ? '}' : ']';
    for (this.gap(); this.src[this.at] !== close;) {
      if (map) {
        const key = this.scalar(true);
        const quoted = key.type !== 'PLAIN';
        const after = this.src.charCodeAt(this.at + 1);
        if (
          this.src[this.at] !== ':' ||
          !(after === 32 || (quoted && !isBreak(after))) ||
          hasKey(node as YAMLMap, key.value)
        )
          unsupported();
        if (key.value === '<<') unsupported();
        this.at++;
        while (this.src.charCodeAt(this.at) === 32) this.at++;
        const v = this.src.charCodeAt(this.at);
        if (isBreak(v) || v === 44 || v === 125 || v === 35) unsupported(); // an empty value: `,`, `}`, `#`
        const value = this.node();
        (value.range as Range)[2] = this.gap(true);
        (node as YAMLMap).items.push(newPair(key, value));
      } else {
        const item = this.node();
        (item.range as Range)[2] = this.gap();
        (node as YAMLSeq).items.push(item);
      }
      if (this.src[this.at] === ',') {
        this.at++;
        this.gap();
      } else if (this.src[this.at] !== close) unsupported();
    }
    this.at++;
    node.range = [start, this.at, this.at];
    return node;
  }

  /**
   * Skips spaces, line breaks and comments up to the next token, and returns where the range of the node
   * before them ends: at that token, but for a map's value at its first line break (`yaml`'s ranges).
   * A line break must not leave the text, and a plain scalar cannot go on past one (scalar() checks).
   */
  private gap(value = false): number {
    const src = this.src;
    let end = -1;
    for (;;) {
      const c = src.charCodeAt(this.at);
      if (c === 32) this.at++;
      else if (c === 10) {
        this.at++;
        if (value && end === -1) end = this.at;
      } else if (c === 35 /* # */ && isSpace(src.charCodeAt(this.at - 1))) {
        if (this.toClose && src.charCodeAt(this.at - 1) === 10) unsupported();
        const nl = src.indexOf('\n', this.at);
        this.at = nl === -1 || nl >= this.end ? this.end : nl;
      } else break;
      if (this.at >= this.end) unsupported();
    }
    return end === -1 ? this.at : end;
  }

  private scalar(key: boolean): Scalar {
    const src = this.src;
    const start = this.at;
    const c = src.charCodeAt(start);
    let node: Scalar;
    if (c === 34 /* " */ || c === 39 /* ' */) {
      let close = start + 1;
      for (; ; close++) {
        const d = src.charCodeAt(close);
        if (close >= this.end || d === 10 || (c === 34 && d === 92) /* \ */) unsupported(); // multi-line, escapes
        if (d === c) {
          if (c === 39 && src.charCodeAt(close + 1) === 39) close++;
          else break;
        }
      }
      node = quotedScalar(src.slice(start + 1, close), c === 39);
      this.at = close + 1;
    } else {
      // A plain scalar may start with `-`, `?` or `:` when a character that could go on it follows.
      if (isDashQuestionColon(c) ? !isPlainChar(src.charCodeAt(start + 1)) : cannotStartFlowPlain(c)) unsupported();
      let at = start + 1;
      let last = at; // after the last character that is not a space
      for (; at < this.end; at++) {
        const d = src.charCodeAt(at);
        // Most characters are none of those asked about below: one look in a table passes them.
        if (!flowPlainAsks(d)) {
          last = at + 1;
          continue;
        }
        if (d === 10 || isFlowIndicator(d)) break;
        if (d === 58 /* : */ && !isPlainChar(src.charCodeAt(at + 1))) break;
        if (d === 35 /* # */ && src.charCodeAt(at - 1) === 32) break;
        if ((d === 34 || d === 39) && this.toClose) unsupported(); // `"` `'`
        if (d !== 32) last = at + 1;
      }
      this.at = last;
      // A plain scalar that reaches a line break may go on on the next line: `yaml`'s to read.
      let next = at;
      while (src.charCodeAt(next) === 32) next++;
      if (src.charCodeAt(next) === 10) unsupported();
      // `a b: c` reads fine, `a : c` is not worth its ranges; an implicit key is at most 1024 characters.
      if (key && (src[last] !== ':' || last - start > 1024)) unsupported();
      node = plainScalar(src.slice(start, last), this.options);
    }
    node.range = [start, this.at, this.at];
    return node;
  }
}

/**
 * A quoted scalar on one line without escapes, from the text between its quotes, as both parsers read one
 * (single: `'...'`, where `''` is a quote).
 */
export function quotedScalar(inner: string, single: boolean): Scalar {
  // Only when there is a doubled quote to undo: replaceAll calls into the runtime even when there is none.
  const node = newScalar(single && inner.includes("''") ? inner.replaceAll("''", "'") : inner);
  node.source = node.value as string;
  node.type = single ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE';
  return node;
}

/**
 * A test of whether a character code is one of `chars` (all ASCII), by a table: the parsers ask it of a
 * token's first character, where a search of the string of them was a call each time.
 */
export function charSet(chars: string): (c: number) => boolean {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return (c) => table[c] === 1;
}
const isDashQuestionColon = charSet('-?:');
/** The characters a flow plain scalar's reading asks about: a break, flow indicators, `:`, `#`, quotes, a space. */
const flowPlainAsks = charSet('\n,[]{}:#"\' ');
/** The indicators and spaces a plain scalar in a flow collection cannot start with (`-?:` only before a space). */
const cannotStartFlowPlain = charSet('-?:,[]{}#&*!|>\'"%@` \n');

/** `,` `[` `]` `{` `}`, by a table (a string search per character was most of scalar()'s time). */
const isFlowIndicator = charSet(',[]{}');
const isBreak = (c: number): boolean => c === 10 || Number.isNaN(c);
const isSpace = (c: number): boolean => c === 32 || c === 10;
/** A character a plain scalar in a flow collection can go on with (not a space, a break or a flow indicator). */
const isPlainChar = (c: number): boolean =>
  !Number.isNaN(c) && c !== 32 && c !== 10 && c !== 9 && c !== 13 && !isFlowIndicator(c);

/**
 * Whether the map has a key of this value already, as a Set of the values would tell (SameValueZero: NaN is
 * NaN, so a second `.nan` key is declined and left to `yaml`); a map's few keys are searched faster than a
 * Set is made. The fast parsers decline a map with a repeated key (`yaml` reports it).
 */
export function hasKey(map: YAMLMap, key: unknown): boolean {
  for (const pair of map.items) {
    const value = (pair.key as Scalar).value;
    if (value === key || (Number.isNaN(value) && Number.isNaN(key))) return true;
  }
  return false;
}

const tagOf = new Map<string, ScalarTag | null>();

const tagged = (name: string, test: (tag: ScalarTag) => boolean = () => true): ScalarTag =>
  TAGS.find((tag) => tag.tag === `tag:yaml.org,2002:${name}` && test(tag))!;
const SHAPE_TAGS = {
  decimal: tagged('int', (tag) => tag.format === undefined),
  octal: tagged('int', (tag) => tag.format === 'OCT'),
};
const WORD_TAGS = {
  null: tagged('null'),
  true: tagged('bool', (tag) => tag.identify!(true)),
  false: tagged('bool', (tag) => tag.identify!(false)),
};

/** The tag the shape of `source` decides (null: none, a string), or undefined when only the tags' tests can. */
function tagByShape(source: string): ScalarTag | null | undefined {
  const shape = shapeOf(source);
  if (shape === 'decimal' || shape === 'octal') return SHAPE_TAGS[shape];
  if (shape === 'word') {
    const word = WORDS.get(source);
    return word ? WORD_TAGS[word] : null;
  }
  return shape === 'string' ? null : undefined;
}

/** The YAML 1.1 tag a plain scalar resolves to (null, bool, int, float, timestamp), or undefined for a string. */
export function implicitTag(source: string): ScalarTag | undefined {
  if (!mayBeTagged(source)) return undefined;
  // The same values (ports, replicas, quantities) recur in every workload: each is tested once.
  let tag = tagOf.get(source);
  if (tag === undefined) {
    tag = tagByShape(source);
    if (tag === undefined) tag = anyTagTest().test(source) ? (TAGS.find((t) => t.test!.test(source)) ?? null) : null;
    if (tagOf.size >= 10_000) tagOf.clear();
    tagOf.set(source, tag);
  }
  return tag ?? undefined;
}

/** A plain scalar resolved with the YAML 1.1 tags, exactly as `yaml` resolves it. */
export function plainScalar(source: string, options: FastParseOptions = PARSE_OPTIONS): Scalar {
  const tag = implicitTag(source);
  let node: Scalar;
  if (tag) {
    const value = resolved(tag, source, options);
    node = isScalar(value) ? value : newScalar(value);
    if (tag.format) node.format = tag.format;
  } else node = newScalar(source);
  node.source = source;
  node.type = 'PLAIN';
  return node;
}

/**
 * The numbers plain scalars resolved to, by source, as BigInts and as numbers: the same ports and replicas
 * recur in every workload, and `yaml`'s integer resolution copies the text, strips `_` with an expression and
 * parses it. Numbers and BigInts are values, so nodes can share them; objects (a Scalar, a Date) are made anew.
 */
const resolvedBigInt = new Map<string, unknown>();
const resolvedNumber = new Map<string, unknown>();

function resolved(tag: ScalarTag, source: string, options: FastParseOptions): unknown {
  const cache = options.intAsBigInt ? resolvedBigInt : resolvedNumber;
  let value = cache.get(source);
  if (value === undefined) {
    value = tag.resolve(source, unsupported, options);
    if (typeof value === 'number' || typeof value === 'bigint') {
      if (cache.size >= 10_000) cache.clear();
      cache.set(source, value);
    }
  }
  return value;
}
