/**
 * The pieces the fast parser shares: the YAML 1.1 resolution of plain scalars exactly as `yaml` does it,
 * one-line flow collections, and the "not in the subset" signal that sends a text back to `yaml`.
 */
import { isCollection, isScalar, Schema, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { newMap, newPair, newScalar, newSeq } from './node-factory';

interface ScalarTag {
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

/** First characters no YAML 1.1 tag's test accepts (null, bool, int, float, timestamp): always strings. */
const NEVER_TAGGED = /^[A-DG-MP-SU-XZa-dg-mp-su-xz_/$]/;

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
 * One-line flow collections written the usual way (`{cpu: 50m, memory: 256Mi}`, `[a, "b"]`): no padding
 * inside the brackets, `, ` between entries, plain or quoted one-word scalars. Anything else returns
 * undefined and `yaml` parses the fragment.
 */
export class FlowParser {
  constructor(
    private readonly src: string,
    private at: number,
    private readonly end: number,
    private readonly options: FastParseOptions = PARSE_OPTIONS,
  ) {}

  collection(): YAMLMap | YAMLSeq | undefined {
    try {
      const node = this.node();
      return this.at === this.end && isCollection(node) ? node : undefined;
    } catch (error) {
      if (error === UNSUPPORTED) return undefined;
      throw error;
    }
  }

  private node(): Node {
    const c = this.src[this.at];
    if (c === '{' || c === '[') {
      const map = c === '{';
      const node = map ? newMap() : newSeq();
      node.flow = true;
      const start = this.at++;
      const close = map ? '}' : ']';
      const seen = new Set<unknown>();
      if (this.src[this.at] !== close) {
        for (;;) {
          if (map) {
            const key = this.scalar(true);
            if (this.src[this.at] !== ':' || this.src[this.at + 1] !== ' ' || seen.has(key.value) || key.value === '<<')
              unsupported();
            seen.add(key.value);
            this.at += 2;
            (node as YAMLMap).items.push(newPair(key, this.node()));
          } else (node as YAMLSeq).items.push(this.node());
          if (this.src[this.at] === close) break;
          if (this.src[this.at] !== ',' || this.src[this.at + 1] !== ' ') unsupported();
          this.at += 2;
        }
      }
      this.at++;
      node.range = [start, this.at, this.at];
      return node;
    }
    return this.scalar(false);
  }

  private scalar(key: boolean): Scalar {
    const src = this.src;
    const start = this.at;
    const c = src[start];
    let node: Scalar;
    if (c === '"' || c === "'") {
      const close = indexIn(src, c, start + 1, this.end);
      if (close === -1 || src[close + 1] === c || (c === '"' && indexIn(src, '\\', start, close) !== -1)) unsupported();
      const text = src.slice(start + 1, close);
      node = newScalar(text);
      node.source = text;
      node.type = c === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      this.at = close + 1;
    } else {
      if ('-?:,[]{}#&*!|>\'"%@` '.includes(c)) unsupported();
      let at = start;
      while (at < this.end && !',[]{}: #'.includes(src[at])) at++;
      if (!key && src[at] === ':') unsupported();
      node = plainScalar(src.slice(start, at), this.options);
      this.at = at;
    }
    node.range = [start, this.at, this.at];
    return node;
  }
}

const tagOf = new Map<string, ScalarTag | null>();

/** The YAML 1.1 tag a plain scalar resolves to (null, bool, int, float, timestamp), or undefined for a string. */
export function implicitTag(source: string): ScalarTag | undefined {
  if (NEVER_TAGGED.test(source)) return undefined;
  // The same values (ports, replicas, quantities) recur in every workload: each is tested once.
  let tag = tagOf.get(source);
  if (tag === undefined) {
    tag = TAGS.find((t) => t.test!.test(source)) ?? null;
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
    const value = tag.resolve(source, unsupported, options);
    node = isScalar(value) ? value : newScalar(value);
    if (tag.format) node.format = tag.format;
  } else node = newScalar(source);
  node.source = source;
  node.type = 'PLAIN';
  return node;
}
