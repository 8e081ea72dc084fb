/**
 * A file as the command line and the page edit it, so its untouched bytes come out as they went in: a YAML
 * stream (documents split at `---` lines, each edited as text; a List's items by the core, as in a
 * ResourceList), or JSON (json-file.ts).
 */
import { isObject, notAMap } from '../shape';
import { failure, failureReason, isStackOverflow, isTooDeepMessage, TOO_DEEP } from '../failure';
import type { Outcome } from '../outcome';
import { hasTemplateActions, HELM_TEMPLATE_HINT } from '../helm-template';
import type { Resource } from '../resource';
import { readData } from '../yaml/documents';
import { fastParse } from '../yaml/fast-parse';
import { nestingAt } from '../yaml/nesting';
import { isMap } from '../yaml/nodes';
import { notAnObject, nullItem } from '../inject/not-a-resource';
import { editJson, failedOutcome, isJson } from './json-file';

/** The core's answer for one resource, given as text or as text the caller has parsed: what every format is edited with. */
export type Process = (resource: string | Resource) => Outcome;

export interface Edited {
  text: string;
  /** One per document, in order (a List's items are its `items`). */
  outcomes: Outcome[];
}

const DOC_START = /^---(?:[ \t]|\r?\n|$)/;
const DOC_END = /^\.\.\.(?:[ \t]|\r?\n|$)/;
const BOM = '\uFEFF';

/**
 * How a stream's document is read first: a map as a Resource, anything else undefined (read again by `yaml`
 * for its error or its emptiness). The fast parser by default; the page passes its session's parse.
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
    const outcomes = edited.outcomes.map((o) => (o.offset === undefined ? o : { ...o, offset: o.offset + BOM.length }));
    return { text: BOM + edited.text, outcomes };
  }
  return isJson(text) ? editJson(text, process) : editYamlStream(text, process, readMap);
}

/** A chunk of nothing but directives, comments and blank lines, with at least one directive. */
const DIRECTIVES_ONLY = /^(?:[ \t]*(?:#.*)?\r?\n)*%[^\n]*\n(?:(?:%[^\n]*|[ \t]*(?:#.*)?)\r?\n)*$/;

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
    // Directives (`%YAML 1.1`) belong to the document whose `---` follows them: not a document of their own.
    if ((ended || (c === '-' && DOC_START.test(head))) && at > start && !DIRECTIVES_ONLY.test(text.slice(start, at))) {
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
  let offset = 0;
  const out = splitDocuments(text).map((chunk) => {
    const done = editSafely(chunk, process, readMap);
    // Where the document is in the file: a copy, since a session hands the same outcome to equal documents.
    if (done) outcomes.push({ ...done, offset });
    offset += chunk.length;
    return done ? done.text : chunk;
  });
  return { text: out.join(''), outcomes };
}

/**
 * editDocument, with what it throws (a document nested beyond the parsers' recursion, a bug) as that
 * document's error: it is written as it came, and the documents after it are still edited.
 */
function editSafely(chunk: string, process: Process, readMap: ReadMap): Outcome | undefined {
  try {
    return editDocument(chunk, process, readMap);
  } catch (error) {
    // Too deep: at the bracket one level beyond the limit, when that is what it is.
    const at = isStackOverflow(error) ? nestingAt(chunk) : undefined;
    return failedOutcome(chunk, failureReason(error), failure(error), at);
  }
}

/** One document's outcome; none for a document with nothing in it (comments only, or empty). */
function editDocument(chunk: string, process: Process, readMap: ReadMap): Outcome | undefined {
  const body = blankMarker(chunk);
  // A map read is an object `yaml` reads without error: the full parse is for the rest.
  const resource = readMap(body);
  if (!resource) {
    const read = readData(body);
    if ('error' in read && isTooDeepMessage(read.error)) return failedOutcome(chunk, 'too-deep', TOO_DEEP);
    if ('error' in read) {
      const hint = hasTemplateActions(chunk) ? `; ${HELM_TEMPLATE_HINT}` : '';
      return failedOutcome(chunk, 'malformed-yaml', `malformed YAML: ${read.error}${hint}`, read.at);
    }
    // Nothing in it, or comments only, is no document at all; a null written out (`~`, `null`) is said once.
    if (read.value === null) return nullWritten(body) ? nullItem(chunk, 'the document') : undefined;
    if (!isObject(read.value)) return notAnObject(chunk, 'the document', notAMap(read.value), read.at);
  }
  // What was read is the resource: the core does not parse it again.
  const processed = process(resource ?? body);
  return body === chunk ? processed : restoreMarker(processed, chunk);
}

/** Whether a document whose value is null writes it out (`~`, `null`, `--- ~`) rather than holding nothing. */
const nullWritten = (chunk: string): boolean =>
  chunk
    .split('\n')
    .some((line) => /^(?:---[ \t]+)?(?:!!null[ \t]+)?(?:~|null|Null|NULL|!!null)[ \t]*(?:#.*)?\r?$/.test(line));

const MARKER = '---\n';
const BLANK = '   \n';
/** A `---` line (alone, or with a comment), and a byte-order mark on the line after it. */
const MARKER_BOM = /^(---(?:[ \t]+(?:#[^\n]*?)?)?)(\r?\n)\uFEFF/;
/**
 * A document's own `---` line as spaces: the fast parser reads one document and declines a marker, which sent
 * every document of a stream to `yaml` (most of a large stream's time). Every offset and line stays the same.
 * A byte-order mark that starts the document after its `---` line (YAML allows one at the start of every
 * document, and kubectl reads past it; `yaml` would read it as the first key's first character) becomes a
 * space before that line's break, so it is read as no content and nothing after it moves either.
 */
export function blankMarker(chunk: string): string {
  if (chunk.startsWith(MARKER))
    return chunk[MARKER.length] === BOM
      ? ` ${BLANK}${chunk.slice(MARKER.length + 1)}`
      : BLANK + chunk.slice(MARKER.length);
  const bom = MARKER_BOM.exec(chunk);
  return bom ? `${bom[1]} ${bom[2]}${chunk.slice(bom[0].length)}` : chunk;
}
/**
 * The chunk an edit of blankMarker(chunk) came from, its first line (and byte-order mark) back in place: that
 * line is as long blanked as written, and an edit never touches it.
 */
export function restoreBlanked(edited: string, chunk: string): string {
  const body = blankMarker(chunk);
  if (body === chunk) return edited;
  const line = body.indexOf('\n') + 1;
  return edited.startsWith(body.slice(0, line)) ? chunk.slice(0, line) + edited.slice(line) : edited;
}
const restoreMarker = (done: Outcome, chunk: string): Outcome => ({
  ...done,
  input: restoreBlanked(done.input, chunk),
  text: restoreBlanked(done.text, chunk),
});
