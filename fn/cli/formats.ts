/**
 * The input formats of the command line, each edited so its untouched bytes come out as they went in:
 * a YAML stream (documents split at `---` lines, each edited as text; a List's items by the core, as in a
 * ResourceList), and JSON (edited as data through YAML, written back as JSON).
 */
import { NO_META, outcome, type Outcome } from '../outcome';
import { dataToYaml, readData, readJson, writeJson } from '../yaml/documents';
import { fastParse } from '../yaml/fast-parse';
import { PARSE_OPTIONS } from '../yaml/fast-scalars';
import { isMap } from '../yaml/nodes';
import type { Resource } from '../resource';

/** The core's answer for one resource, given as text or as text the caller has parsed: what every format is edited with. */
export type Process = (resource: string | Resource) => Outcome;

export interface Edited {
  text: string;
  /** One per document, in order (a List's items are its `items`). */
  outcomes: Outcome[];
}

const DOC_START = /^---(?:[ \t]|\r?\n|$)/;
const DOC_END = /^\.\.\.(?:[ \t]|\r?\n|$)/;

export const isJson = (text: string): boolean => /^\s*[{[]/.test(text);

/**
 * How a stream's document is read first: a map as a Resource, anything else undefined (read again by `yaml`
 * for its error or its emptiness). The fast parser by default; the page passes its memo of parseResource.
 */
export type ReadMap = (text: string) => Resource | undefined;

const fastMap: ReadMap = (text) => {
  const root = fastParse(text);
  return isMap(root) ? { text, root } : undefined;
};

export function editText(text: string, process: Process, readMap: ReadMap = fastMap): Edited {
  // A byte-order mark is not part of the first document: it goes back in front of the output.
  if (text.startsWith(BOM)) {
    const edited = editText(text.slice(1), process, readMap);
    return { ...edited, text: BOM + edited.text };
  }
  return isJson(text) ? editJson(text, process) : editYamlStream(text, process, readMap);
}

const BOM = '\uFEFF';

/** Whether editText edits a file as JSON: decided for the whole file, after its byte-order mark. */
export const isJsonFile = (text: string): boolean => isJson(text.startsWith(BOM) ? text.slice(1) : text);

/** Documents as text, split at line level; joined, they are the input again. */
export function splitDocuments(text: string): string[] {
  const chunks: string[] = [];
  let start = 0; // of the current chunk
  let ended = false;
  // Line by line without splitting the text: a marker line starts with - or ., the only lines tested.
  for (let at = 0; at < text.length;) {
    const newline = text.indexOf('\n', at);
    const c = text[at];
    const head = c === '-' || c === '.' ? text.slice(at, at + 5) : '';
    if ((ended || (c === '-' && DOC_START.test(head))) && at > start) {
      chunks.push(text.slice(start, at));
      start = at;
    }
    ended = c === '.' && DOC_END.test(head);
    at = newline === -1 ? text.length : newline + 1;
  }
  chunks.push(text.slice(start));
  return chunks;
}

function editYamlStream(text: string, process: Process, readMap: ReadMap): Edited {
  const outcomes: Outcome[] = [];
  const out = splitDocuments(text).map((chunk) => {
    const body = blankMarker(chunk);
    // A map read is an object `yaml` reads without error: the full parse is for the rest.
    const resource = readMap(body);
    if (!resource) {
      const read = readData(chunk);
      if ('error' in read) return failed(chunk, outcomes, 'malformed-yaml', `malformed YAML: ${read.error}`);
      if (read.value === null) return chunk; // comments only, or empty
      if (!isObject(read.value))
        return failed(chunk, outcomes, 'not-an-object', 'not a Kubernetes object (a YAML map)');
    }
    // What was read is the resource: the core does not parse it again.
    const processed = process(resource ?? body);
    const done = body === chunk ? processed : restoreMarker(processed);
    outcomes.push(done);
    return done.text;
  });
  return { text: out.join(''), outcomes };
}

const MARKER = '---\n';
const BLANK = '   \n';
/**
 * A document's own `---` line as spaces: the fast parser reads one document and declines a marker, which sent
 * every document of a stream to `yaml` (most of a large stream's time). Every offset and line stays the same.
 */
export const blankMarker = (chunk: string): string => (chunk.startsWith(MARKER) ? BLANK + chunk.slice(4) : chunk);
const unblank = (text: string): string => (text.startsWith(BLANK) ? MARKER + text.slice(4) : text);
const restoreMarker = (done: Outcome): Outcome => ({ ...done, input: unblank(done.input), text: unblank(done.text) });
/** The chunk an edit of blankMarker(chunk) came from, marker back in place. */
export const restoreBlanked = unblank;

/** JSON is edited as data: the object (a List too) goes through the core as block YAML and comes back as data. */
function editJson(text: string, process: Process): Edited {
  const parsed = readJson(text);
  if ('error' in parsed)
    return { text, outcomes: [failedOutcome(text, 'malformed-yaml', `malformed JSON: ${parsed.error}`)] };
  const data = parsed.value;
  if (!isObject(data))
    return { text, outcomes: [failedOutcome(text, 'not-an-object', 'not a Kubernetes object (a JSON object)')] };
  const yaml = dataToYaml(data);
  const done = process(yaml);
  if (done.text === yaml) return { text, outcomes: [done] };
  const read = readData(done.text, PARSE_OPTIONS);
  if ('error' in read) throw new Error(`the edited JSON does not read back: ${read.error}`);
  return { text: jsonLike(text, read.value, data), outcomes: [done] };
}

/**
 * `value` (read back from the edited YAML) as JSON written like `text`: the same indentation (kubectl uses
 * four spaces), line endings and final newline, numbers as `source` (the data `text` held) wrote them.
 */
export function jsonLike(text: string, value: unknown, source: unknown): string {
  const indent = /^\{\r?\n([ \t]+)"/.exec(text.trimStart())?.[1] ?? '';
  const json = `${writeJson(value, source, indent)}${text.endsWith('\n') ? '\n' : ''}`;
  // A JSON string holds no raw line break: every one is the layout's.
  return text.includes('\r\n') ? json.replaceAll('\n', '\r\n') : json;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const failedOutcome = (text: string, reason: 'malformed-yaml' | 'not-an-object', why: string): Outcome =>
  outcome('error', reason, NO_META, text, [], why);

function failed(chunk: string, outcomes: Outcome[], reason: 'malformed-yaml' | 'not-an-object', why: string) {
  outcomes.push(failedOutcome(chunk, reason, why));
  return chunk;
}
