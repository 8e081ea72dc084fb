/**
 * JSON files, edited as data: the object (a List too) goes through the core as the block YAML of its data
 * and is written back as JSON laid out like the file's own (kubectl's indentation, its numbers as written).
 * Whether a file is JSON is decided once for the whole file, after its byte-order mark.
 */
import { isObject, notAMap } from '../shape';
import { isTooDeepMessage, TOO_DEEP } from '../failure';
import { NO_META, outcome, type Outcome } from '../outcome';
import { notAnObject } from '../inject/not-a-resource';
import { dataToYaml, readData, readJson, writeJson } from '../yaml/documents';
import { PARSE_OPTIONS } from '../yaml/fast-scalars';

const BOM = '\uFEFF';

const GO_ESCAPES = /\\u(?:0026|003[ce]|202[89])/;
const goEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Whether a document is edited as JSON: it starts with `{` or `[` and is JSON, or is not YAML either (then
 * its error is JSON's). A YAML flow map on one line (`{apiVersion: v1, ...}`) is YAML, and so is a stream of
 * documents (`kubectl get -o json` outputs joined with `---`): JSON has no line that starts with `---` or `...`.
 */
export function isJson(text: string): boolean {
  if (!/^\s*[{[]/.test(text) || /^(?:---|\.\.\.)(?:\s|$)/m.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return 'error' in readData(text, PARSE_OPTIONS);
  }
}

/** Whether a file is edited as JSON: decided for the whole file, after its byte-order mark. */
export const isJsonFile = (text: string): boolean => isJson(text.startsWith(BOM) ? text.slice(1) : text);

/** One JSON document (no byte-order mark) through `process`, as the YAML of its data, and back as JSON. */
export function editJson(text: string, process: (yaml: string) => Outcome): { text: string; outcomes: Outcome[] } {
  const parsed = readJson(text, { asWritten: true });
  if ('error' in parsed && isTooDeepMessage(parsed.error))
    return { text, outcomes: [{ ...failedOutcome(text, 'too-deep', TOO_DEEP), offset: 0 }] };
  if ('error' in parsed)
    return {
      text,
      outcomes: [{ ...failedOutcome(text, 'malformed-yaml', `malformed JSON: ${parsed.error}`, parsed.at), offset: 0 }],
    };
  const data = parsed.value;
  if (!isObject(data)) return { text, outcomes: [{ ...notAnObject(text, 'the document', notAMap(data)), offset: 0 }] };
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
  let json = `${writeJson(value, source, indent)}${text.endsWith('\n') ? '\n' : ''}`;
  // Go's encoding/json (kubectl get -o json) escapes <, > and & in every string, and U+2028 and U+2029: a file
  // written so is written back so. None of them can stand outside a string in JSON.
  if (GO_ESCAPES.test(text)) json = json.replace(/[<>&\u2028\u2029]/g, goEscape);
  // A JSON string holds no raw line break: every one is the layout's.
  return text.includes('\r\n') ? json.replaceAll('\n', '\r\n') : json;
}

/** The block YAML of a JSON file's object, or undefined for anything else (the core reports that file). */
export function jsonAsYaml(text: string): string | undefined {
  const parsed = readJson(text.startsWith(BOM) ? text.slice(1) : text);
  return 'error' in parsed || !isObject(parsed.value) ? undefined : dataToYaml(parsed.value);
}

/**
 * `text` (a JSON file) with `edit` made to its YAML, written back as JSON (its byte-order mark kept); the
 * very text when nothing changed, or why it could not be written back.
 */
export function throughYaml(text: string, edit: (yaml: string) => string): { text: string } | { problem: string } {
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = text.slice(bom.length);
  const parsed = readJson(body, { asWritten: true });
  if ('error' in parsed || !isObject(parsed.value)) return { text };
  const yaml = dataToYaml(parsed.value);
  const edited = edit(yaml);
  if (edited === yaml) return { text };
  // Each edit was read back already (annotate.ts); a failure here would be a bug, said rather than thrown.
  const read = readData(edited, PARSE_OPTIONS);
  if ('error' in read) return { problem: `the annotated JSON does not read back (${read.error}): add it by hand` };
  return { text: bom + jsonLike(body, read.value, parsed.value) };
}

/** A document that is no resource: why, and where the problem is when that is known (`at`, in `text`). */
export function failedOutcome(
  text: string,
  reason: 'malformed-yaml' | 'too-deep' | 'internal-error',
  why: string,
  at?: number,
): Outcome {
  return { ...outcome('error', reason, NO_META, text, [], why), ...(at !== undefined && { at }) };
}
