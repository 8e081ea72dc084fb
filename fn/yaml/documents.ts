/**
 * Whole documents through `yaml` itself: what the fast parser declines, plain data (config files, JSON,
 * patches) and the rewrite of input that must become block YAML. With nodes.ts, the only place that calls
 * the `yaml` API, so a major upgrade of it touches this folder alone.
 */
import { Document, isCollection, parseDocument, visit } from 'yaml';
import { PARSE_OPTIONS } from './fast-scalars';

/** Plain values: YAML 1.1 as Kubernetes reads it, numbers as numbers. */
export const DATA_OPTIONS = { version: '1.1' } as const;
type Options = typeof DATA_OPTIONS | typeof PARSE_OPTIONS | { readonly version: '1.1'; readonly intAsBigInt: false };

/** `yaml`'s warnings (a collection as a key) are not ours to print: the guard and the checks judge. */
const NODE_OPTIONS = { ...PARSE_OPTIONS, keepSourceTokens: true, logLevel: 'error' } as const;

/** Aliases expand at most this often: an alias bomb is an error, not a hang. */
const MAX_ALIAS_COUNT = 100;

const firstLine = (message: string): string => message.split('\n')[0];

export interface SyntaxError {
  /** The first line of `yaml`'s message, without its position. */
  message: string;
  /** 1-based, in the text given. */
  line: number;
  column: number;
}

/** The first syntax error `yaml` finds in `text`, or undefined. */
export function syntaxError(text: string): SyntaxError | undefined {
  const error = parseDocument(text, PARSE_OPTIONS).errors[0];
  if (!error) return undefined;
  const [line, column] = error.linePos ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
  return { message: firstLine(error.message).replace(/ at line \d+, column \d+:?$/, ''), line, column };
}

/**
 * A document's root node as `yaml` builds it, with the Document its aliases resolve in; or the first
 * error as one line. Aliases are resolved once here, because `yaml` finds an undefined one (or a bomb)
 * only then.
 */
export function parseNodes(text: string): { root: unknown; doc: Document } | string {
  // Source tokens kept: block-edit.ts reads a map's key column from them (after `? `, tags and anchors).
  const doc = parseDocument(text, NODE_OPTIONS);
  if (doc.errors.length) return firstLine(doc.errors[0].message);
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return firstLine((error as Error).message);
  }
  return { root: doc.contents, doc };
}

/** YAML (JSON included) as plain data; null for a document with no content; or the first error as one line. */
export function readData(text: string, options: Options = DATA_OPTIONS): { value: unknown } | { error: string } {
  const doc = parseDocument(text, { ...options, logLevel: 'error' });
  if (doc.errors.length) return { error: firstLine(doc.errors[0].message) };
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    return { error: firstLine((error as Error).message) };
  }
}

/** Plain data as YAML text, no line folded; `indentSeq: false` writes lists at their key's column. */
export function dataToYaml(data: unknown, { indentSeq = true } = {}): string {
  return new Document(data, DATA_OPTIONS).toString({ lineWidth: 0, indentSeq });
}

/**
 * YAML in any style as block YAML, comments kept, with its value for the caller to vet first; or the first
 * error as one line.
 */
export function toBlockStyle(text: string): { value: unknown; block: () => string } | { error: string } {
  const doc = parseDocument(text, { ...PARSE_OPTIONS, logLevel: 'error' });
  if (doc.errors.length) return { error: firstLine(doc.errors[0].message) };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { error: firstLine((error as Error).message) };
  }
  const block = () => {
    visit(doc, (_key, node) => {
      if (isCollection(node)) node.flow = false;
    });
    return doc.toString({ lineWidth: 0, indentSeq: false });
  };
  return { value, block };
}
