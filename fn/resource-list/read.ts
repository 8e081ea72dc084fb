/**
 * Reads the ResourceList: the fast split for block YAML (what orchestrators send), otherwise a full parse
 * that normalizes JSON or flow-style input to block YAML first (the output must be block YAML anyway).
 */
import { Document, isCollection, parseDocument, visit } from 'yaml';
import { PARSE_OPTIONS } from '../resource';
import { fastParse } from '../yaml/fast-parse';
import { plainToJS } from '../yaml/nodes';
import { splitResourceList, type SplitList } from './split';

/**
 * The header and functionConfig are read as plain values (no BigInt: they end up in JSON messages), by
 * the fast parser when it can: `yaml`'s parser, cold, was a fifth of a small run's own time.
 */
const HEADER_OPTIONS = { version: '1.1', intAsBigInt: false } as const;

export const RESOURCE_LIST_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1'];

export interface ResourceListInput {
  split: SplitList;
  apiVersion: string;
  functionConfig: unknown;
  results: unknown[];
}

export class InputError extends Error {}

export function readResourceList(input: string): ResourceListInput {
  if (input.trim() === '') throw new InputError('empty input: expected a ResourceList on stdin');
  const fast = splitResourceList(input);
  const split = fast ?? splitResourceList(normalize(input));
  if (!split) throw new InputError('input is not a single ResourceList with an items list');
  // Only the small top-level sections are parsed here; items stay text.
  const rest =
    split.preamble +
    split.sections
      .filter((s) => s.key !== 'items')
      .map((s) => s.text)
      .join('');
  const header = (plainToJS(fastParse(rest, HEADER_OPTIONS)) ?? parsedHeader(rest) ?? {}) as Record<string, unknown>;
  if (header.kind !== 'ResourceList')
    throw new InputError(`expected kind ResourceList, got ${JSON.stringify(header.kind ?? null)}`);
  const apiVersion = String(header.apiVersion);
  if (!RESOURCE_LIST_VERSIONS.includes(apiVersion)) {
    throw new InputError(
      `unsupported ResourceList apiVersion ${JSON.stringify(header.apiVersion ?? null)}: expected ${RESOURCE_LIST_VERSIONS.join(' or ')}`,
    );
  }
  return {
    split,
    apiVersion,
    functionConfig: header.functionConfig,
    results: Array.isArray(header.results) ? header.results : [],
  };
}

/** The header as `yaml` reads it (the fast parser declined it): errors and alias bombs are input errors. */
function parsedHeader(text: string): unknown {
  const top = parseDocument(text, HEADER_OPTIONS);
  if (top.errors.length) throw new InputError(`malformed YAML: ${top.errors[0]!.message.split('\n')[0]}`);
  return toJS(top);
}

/** Any YAML or JSON ResourceList -> block YAML with comments kept (for inputs the fast split cannot read). */
function normalize(input: string): string {
  if (/^\s*[{[]/.test(input)) {
    let data: unknown;
    try {
      data = JSON.parse(input);
    } catch (error) {
      throw new InputError(`malformed JSON: ${(error as Error).message}`);
    }
    return new Document(data, { version: '1.1' }).toString({ lineWidth: 0, indentSeq: false });
  }
  const doc = parseDocument(input, PARSE_OPTIONS);
  if (doc.errors.length) throw new InputError(`malformed YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const value = toJS(doc) as Record<string, unknown> | null;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('input is not a YAML map: expected a ResourceList');
  if (!('items' in value)) throw new InputError('the ResourceList has no items');
  if (!Array.isArray(value.items)) throw new InputError('items must be a list');
  visit(doc, (_key, node) => {
    if (isCollection(node)) node.flow = false;
  });
  return doc.toString({ lineWidth: 0, indentSeq: false });
}

/** Plain values with bounded alias expansion: an alias bomb is an input error, not a crash or a hang. */
function toJS(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError(`malformed YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}
