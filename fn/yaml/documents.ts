/**
 * Whole documents through `yaml` itself: what the fast parser declines, plain data (config files, JSON,
 * patches) and the rewrite of input that must become block YAML. With nodes.ts, the only place that calls
 * the `yaml` API, so a major upgrade of it touches this folder alone.
 */
import { Document, isAlias, isCollection, parseDocument, visit, type Alias, type Tags } from 'yaml';
import { WRITE_OPTIONS } from './emit';
import { checkNesting } from './nesting';
import { PARSE_OPTIONS } from './fast-scalars';
import { writtenAt, type WrittenAt } from './written';

/** Plain values: YAML 1.1 as Kubernetes reads it, numbers as numbers. */
export const DATA_OPTIONS = { version: '1.1' } as const;

/**
 * Data as the API server takes it, for JSON sent to it: as DATA_OPTIONS, but a plain timestamp
 * (`creationTimestamp: 2026-11-30T09:12:44Z`) is the string written, not a Date. go-yaml v2 decodes a
 * timestamp into interface{} as its text "for backward compatibility", and sigs.k8s.io/yaml passes that on.
 */
export const API_DATA_OPTIONS = {
  version: '1.1',
  customTags: (tags: Tags) => tags.filter((tag) => typeof tag === 'string' || tag.tag !== TIMESTAMP),
} as const;
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';

type Options =
  | typeof DATA_OPTIONS
  | typeof API_DATA_OPTIONS
  | typeof PARSE_OPTIONS
  | { readonly version: '1.1'; readonly intAsBigInt: false };

/** `yaml`'s warnings (a collection as a key) are not ours to print: the guard and the checks judge. */
const NODE_OPTIONS = { ...PARSE_OPTIONS, keepSourceTokens: true, logLevel: 'error' } as const;

/** Aliases expand at most this often: an alias bomb is an error, not a hang. */
const MAX_ALIAS_COUNT = 100;

/** `yaml`'s message without its excerpt and without the position it writes into the text: that is data here. */
const firstLine = (message: string): string => message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');

/** A first error as data: the message, and where it is (an offset into the text read) when `yaml` knows. */
export interface ReadError {
  error: string;
  at?: number;
}

const readError = (doc: Document): ReadError => {
  const first = doc.errors[0];
  return { error: firstLine(first.message), ...(first.pos && { at: first.pos[0] }) };
};

/**
 * The first syntax error `yaml` finds in `text`, or an alias that names no anchor set before it; undefined
 * when there is none. Nothing is expanded: an alias bomb in text nobody reads is no error of the text.
 */
export function syntaxError(text: string, setBefore: (anchor: string) => boolean = () => false): ReadError | undefined {
  checkNesting(text);
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length) return readError(doc);
  const anchors = new Set<string>();
  let undefinedAlias: Alias | undefined;
  // In document order, as `yaml` resolves them: an anchor counts from where it is set (`setBefore`: in the
  // text before this one, as a ResourceList item's earlier siblings, which are the same YAML document).
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node) && !anchors.has(node.source) && !setBefore(node.source)) {
        undefinedAlias = node;
        return visit.BREAK;
      }
      if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  if (!undefinedAlias) return undefined;
  const error = `Unresolved alias (the anchor must be set before the alias): ${undefinedAlias.source}`;
  return { error, ...(undefinedAlias.range && { at: undefinedAlias.range[0] }) };
}

/**
 * A document's root node as `yaml` builds it, with the Document its aliases resolve in; or the first
 * error as one line. Aliases are resolved once here, because `yaml` finds an undefined one (or a bomb)
 * only then.
 */
export function parseNodes(text: string): { root: unknown; doc: Document } | ReadError {
  // Source tokens kept: block-edit.ts reads a map's key column from them (after `? `, tags and anchors).
  const read = parsed(text, NODE_OPTIONS);
  return 'error' in read ? read : { root: read.doc.contents, doc: read.doc };
}

/**
 * YAML (JSON included) as plain data, and where it starts (`at`); null for a document with no content; or the
 * first error as one line.
 */
export function readData(text: string, options: Options = DATA_OPTIONS): { value: unknown; at?: number } | ReadError {
  const read = parsed(text, { ...options, logLevel: 'error' });
  if ('error' in read) return read;
  const at = read.doc.contents?.range?.[0];
  return at === undefined ? { value: read.value } : { value: read.value, at };
}

/** As readData, with each value's text as written, for messages that quote it. */
export function readWritten(
  text: string,
  options: Options = DATA_OPTIONS,
): { value: unknown; at: WrittenAt } | ReadError {
  const read = parsed(text, { ...options, logLevel: 'error' });
  return 'error' in read ? read : { value: read.value, at: writtenAt(read.doc.contents, text) };
}

/** As readData, with a plain timestamp the string written, as the API server takes it (API_DATA_OPTIONS). */
export const readApiData = (text: string): { value: unknown } | ReadError => readData(text, API_DATA_OPTIONS);

/** The document and its plain value, aliases expanded within bounds; or the first error as one line. */
function parsed(
  text: string,
  options: Parameters<typeof parseDocument>[1],
): { doc: Document; value: unknown } | ReadError {
  checkNesting(text);
  const doc = parseDocument(text, options);
  if (doc.errors.length) return readError(doc);
  try {
    return { doc, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const at = failingAlias(doc)?.range?.[0];
    return { error: firstLine((error as Error).message), ...(at !== undefined && { at }) };
  }
}

/**
 * The alias whose expansion failed (an anchor not set before it, or one expansion too many of an alias bomb):
 * `yaml` throws without saying which. Expanded again with each alias noting itself while it resolves, the one
 * still unfinished when the error comes is it (the aliases inside it that resolved have finished).
 */
function failingAlias(doc: Document): Alias | undefined {
  const resolving: Alias[] = [];
  visit(doc, {
    Alias(_key, alias) {
      const toJSON = alias.toJSON.bind(alias);
      alias.toJSON = (...args: Parameters<Alias['toJSON']>) => {
        resolving.push(alias);
        const value: unknown = toJSON(...args);
        resolving.pop();
        return value;
      };
    },
  });
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return resolving.at(-1);
  }
  return undefined;
}

/**
 * JSON as data without losing a number: integers beyond 2^53 as BigInt (written back digit for digit),
 * and a finite literal that overflows a double (`1e400`) as a LiteralNumber, written as the same number
 * in YAML 1.1's float syntax. `asWritten`: every number spelled otherwise than JavaScript writes it (`0.50`,
 * `1.0`, `3e1`) is a LiteralNumber too, so a JSON file written back keeps it. Or the first error as one line.
 */
export function readJson(text: string, { asWritten = false } = {}): { value: unknown } | ReadError {
  checkNesting(text);
  const doc = parseDocument(text, { schema: 'json', intAsBigInt: true, keepSourceTokens: true, logLevel: 'error' });
  if (doc.errors.length) return readError(doc);
  visit(doc, {
    Scalar(_key, node) {
      const source = (node.srcToken as { source?: string } | undefined)?.source;
      if (typeof node.value !== 'number' || !source) return;
      if (asWritten ? source !== String(node.value) : !sameDecimal(source, String(node.value)))
        node.value = new LiteralNumber(source);
    },
  });
  return { value: doc.toJS() };
}

/** Whether two decimal numerals mean the same number (`1.0` and `1`, `1e5` and `100000`). */
function sameDecimal(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/** A decimal numeral as sign, digits without leading or trailing zeros, and the exponent of its last digit. */
function canonical(numeral: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(numeral);
  if (!m) return numeral;
  const digits = `${m[2]}${m[3] ?? ''}`;
  const significant = digits.replace(/^0+/, '');
  if (!significant) return '0';
  const trimmed = significant.replace(/0+$/, '');
  const exponent = BigInt(m[4] ?? 0) - BigInt((m[3] ?? '').length) + BigInt(significant.length - trimmed.length);
  return `${m[1]}${trimmed}e${exponent}`;
}

/** A JSON number literal a double cannot hold exactly (see readJson). */
export class LiteralNumber {
  constructor(readonly source: string) {}
  /** The same number in YAML 1.1 float syntax (a dot in the mantissa, a signed exponent). */
  get yaml(): string {
    // A decimal with a fraction and no exponent (`0.50`) is a YAML 1.1 float as it stands.
    if (/^-?\d+\.\d+$/.test(this.source)) return this.source;
    const [, sign, int, frac, exp] = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(this.source)!;
    const e = Number(exp ?? 0);
    return `${sign}${int}.${frac ?? '0'}e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  }
}

/** Plain data as YAML text, no line folded; `indentSeq: false` writes lists at their key's column. */
export function dataToYaml(data: unknown, { indentSeq = true } = {}): string {
  // A LiteralNumber goes in as a unique plain word and comes out as its text.
  const literals: string[] = [];
  const marker = (i: number) => `sidecar-injector-literal-number-${i}-end`;
  const marked = mapLiterals(data, (n) => marker(literals.push(n.yaml) - 1));
  const text = new Document(marked, WRITE_OPTIONS).toString({ lineWidth: 0, indentSeq });
  return literals.reduce((out, literal, i) => out.replace(marker(i), literal), text);
}

/**
 * Data as JSON text, numbers exact: BigInt digit for digit, and where the data holds a non-finite number
 * that `source` (the data the edit started from) holds as a LiteralNumber at the same place, that literal.
 */
export function writeJson(value: unknown, source: unknown, indent: string): string {
  const raw: string[] = [];
  const marker = (i: number) => `@@sidecar-injector-raw-${i}@@`;
  const keep = (text: string) => marker(raw.push(text) - 1);
  const restored = withLiterals(value, source);
  const text = JSON.stringify(
    restored,
    (_key, v: unknown) =>
      typeof v === 'bigint' ? keep(v.toString()) : v instanceof LiteralNumber ? keep(v.source) : v,
    indent,
  );
  return raw.reduce((out, literal, i) => out.replace(`"${marker(i)}"`, literal), text);
}

function withLiterals(value: unknown, source: unknown): unknown {
  // The edit read the literal back as the double it was first read as: it is still that literal.
  if (typeof value === 'number' && source instanceof LiteralNumber && Object.is(value, Number(source.source)))
    return source;
  if (Array.isArray(value)) return value.map((v, i) => withLiterals(v, Array.isArray(source) ? source[i] : undefined));
  if (value && typeof value === 'object') {
    const from = (source && typeof source === 'object' ? source : {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withLiterals(v, from[k])]));
  }
  return value;
}

function mapLiterals(value: unknown, replace: (n: LiteralNumber) => unknown): unknown {
  if (value instanceof LiteralNumber) return replace(value);
  if (Array.isArray(value)) return value.map((v) => mapLiterals(v, replace));
  if (value && typeof value === 'object' && !(value instanceof Map) && !(value instanceof Set))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLiterals(v, replace)]));
  return value;
}

/**
 * YAML in any style as block YAML, comments kept, with its value for the caller to vet first; or the first
 * error as one line.
 */
export function toBlockStyle(text: string): { value: unknown; block: () => string } | ReadError {
  const read = parsed(text, { ...PARSE_OPTIONS, logLevel: 'error' });
  if ('error' in read) return read;
  const { doc, value } = read;
  const block = () => {
    visit(doc, (_key, node) => {
      if (isCollection(node)) node.flow = false;
    });
    return doc.toString({ lineWidth: 0, indentSeq: false });
  };
  return { value, block };
}
