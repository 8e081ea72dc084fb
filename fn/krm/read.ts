/**
 * Reads the ResourceList: the fast split for block YAML (what orchestrators send), otherwise a full parse
 * that normalizes JSON or flow-style input to block YAML first (the output must be block YAML anyway).
 */
import { dataToYaml, readJson, readWritten, toBlockStyle } from '../yaml/documents';
import { fastParse } from '../yaml/fast-parse';
import { nodeAt, plainToJS } from '../yaml/nodes';
import { lineAndColumn, positions } from '../yaml/position';
import { RESOURCE_LIST_VERSIONS } from '../vocabulary';
import { splitResourceList, type SplitList } from './split';
import { writtenAt, type WrittenAt } from '../yaml/written';

/**
 * The header and functionConfig are read as plain values (no BigInt: they end up in JSON messages), by
 * the fast parser when it can: `yaml`'s parser, cold, was a fifth of a small run's own time.
 */
const HEADER_OPTIONS = { version: '1.1', intAsBigInt: false } as const;

export interface ResourceListInput {
  split: SplitList;
  apiVersion: string;
  functionConfig: unknown;
  /** The functionConfig's values as written, for messages that quote them. */
  functionConfigAt: WrittenAt;
  results: unknown[];
}

export class InputError extends Error {}

/** Another kind on stdin: most often a plain manifest piped to the function, which the command line takes. */
const notAResourceList = (kind: unknown): string =>
  `expected kind ResourceList, got ${JSON.stringify(kind ?? null)}` +
  (typeof kind === 'string' && kind !== 'List' ? ': for plain manifests, run `sidecar-injector inject -f FILE`' : '');

export function readResourceList(input: string): ResourceListInput {
  if (input.trim() === '') throw new InputError('empty input: expected a ResourceList on stdin');
  const fast = splitResourceList(input);
  const normalized = fast ? undefined : splitResourceList(normalize(input));
  const split = fast ?? (normalized && { ...normalized, rewritten: true as const });
  if (!split) throw new InputError('input is not a single ResourceList with an items list');
  // Only the small top-level sections are parsed here; items stay text.
  const rest =
    split.preamble +
    split.sections
      .filter((s) => s.key !== 'items')
      .map((s) => s.text)
      .join('');
  const root = fastParse(rest, HEADER_OPTIONS);
  const plain = plainToJS(root);
  const read =
    plain === undefined
      ? parsedHeader(rest, fast ? input : undefined, split)
      : { value: plain, at: writtenAt(nodeAt(root, ['functionConfig']), rest) };
  const header = (read.value ?? {}) as Record<string, unknown>;
  if (header.kind !== 'ResourceList') throw new InputError(notAResourceList(header.kind));
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
    functionConfigAt: read.at,
    results: Array.isArray(header.results) ? header.results : [],
  };
}

/**
 * The header as `yaml` reads it (the fast parser declined it): errors and alias bombs are input errors, at
 * their line in the input when it was split as it came (`input`).
 */
function parsedHeader(text: string, input: string | undefined, split: SplitList): { value: unknown; at: WrittenAt } {
  const read = readWritten(text, HEADER_OPTIONS);
  if ('error' in read) {
    const at = input !== undefined && read.at !== undefined ? inputOffset(split, read.at) : undefined;
    throw new InputError(`malformed YAML${at === undefined ? '' : where(input!, at)}: ${read.error}`);
  }
  return { value: read.value, at: (path) => read.at(['functionConfig', ...path]) };
}

/** Where an offset into the header's text (the preamble and the sections but items) is in the input. */
function inputOffset(split: SplitList, at: number): number {
  let inHeader = split.preamble.length;
  let inInput = split.preamble.length;
  // Past the end (an unclosed collection): the end of the last header section, not the end of the items.
  let lastEnd = inInput;
  if (at < inHeader) return at;
  for (const section of split.sections) {
    if (section.key !== 'items') {
      if (at < inHeader + section.text.length) return inInput + (at - inHeader);
      inHeader += section.text.length;
      lastEnd = inInput + section.text.length;
    }
    inInput += section.text.length;
  }
  return lastEnd;
}

const where = (text: string, offset: number): string => ` at ${lineAndColumn(positions(text)(offset))}`;

/** `yaml`'s advice for a stream of several documents is for its callers; ours is about the input. */
const severalDocuments = (error: string): string | undefined =>
  error.startsWith('Source contains multiple documents')
    ? 'the input holds several YAML documents (separated by ---): expected one ResourceList; for plain ' +
      'manifests, run `sidecar-injector inject -f FILE`'
    : undefined;

/** Any YAML or JSON ResourceList -> block YAML with comments kept (for inputs the fast split cannot read). */
function normalize(input: string): string {
  const json = /^\s*[{[]/.test(input) ? readJson(input) : undefined;
  if (json && !('error' in json)) return dataToYaml(json.value, { indentSeq: false });
  // Not JSON: YAML in flow style (`{apiVersion: ..., items: [...]}`) is read as YAML; neither is JSON's error.
  const read = toBlockStyle(input);
  if ('error' in read) {
    const several = json ? undefined : severalDocuments(read.error);
    if (several) throw new InputError(several);
    const failed = json && 'error' in json ? json : read;
    const at = failed.at === undefined ? '' : where(input, failed.at);
    throw new InputError(json ? `malformed JSON${at}: ${json.error}` : `malformed YAML${at}: ${read.error}`);
  }
  const value = read.value as Record<string, unknown> | null;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('input is not a YAML map: expected a ResourceList');
  if (value.kind !== 'ResourceList') throw new InputError(notAResourceList(value.kind));
  if (!('items' in value)) throw new InputError('the ResourceList has no items');
  if (!Array.isArray(value.items)) throw new InputError('items must be a list');
  return read.block();
}
