/**
 * The input formats of the command line, each edited so its untouched bytes come out as they went in:
 * a YAML stream (documents split at `---` lines, each edited as text), a List (`kubectl get -o yaml`:
 * its items edited as text), and JSON (edited as data through YAML, written back as JSON).
 */
import { Document, isMap, parseDocument } from 'yaml';
import { splitResourceList } from '../resource-list/split';
import type { Entry } from './engine';

/** Edits one resource given as text (a document or a List item); the engine behind every format. */
export type EditResource = (text: string) => { text: string; entry: Entry };

export interface Edited {
  text: string;
  entries: Entry[];
}

const PLAIN = { version: '1.1' } as const;
const DOC_START = /^---(?:[ \t]|\r?\n|$)/;
const DOC_END = /^\.\.\.(?:[ \t]|\r?\n|$)/;

export const isJson = (text: string): boolean => /^\s*[{[]/.test(text);

export function editText(text: string, edit: EditResource): Edited {
  return isJson(text) ? editJson(text, edit) : editYamlStream(text, edit);
}

/** Documents as text, split at line level; joined, they are the input again. */
export function splitDocuments(text: string): string[] {
  const chunks = [''];
  let ended = false;
  for (const line of text.split(/(?<=\n)/)) {
    if ((DOC_START.test(line) || ended) && chunks[chunks.length - 1] !== '') chunks.push('');
    ended = DOC_END.test(line);
    chunks[chunks.length - 1] += line;
  }
  return chunks;
}

function editYamlStream(text: string, edit: EditResource): Edited {
  const entries: Entry[] = [];
  const out = splitDocuments(text).map((chunk) => {
    const doc = parseDocument(chunk, PLAIN);
    if (doc.errors.length) return failed(chunk, entries, `malformed YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    if (doc.contents === null) return chunk; // comments only, or empty
    if (!isMap(doc.contents)) return failed(chunk, entries, 'not a Kubernetes object (a YAML map)');
    if (isList(doc.contents.toJSON())) return editYamlList(chunk, entries, edit);
    const { text: edited, entry } = edit(chunk);
    entries.push(entry);
    return edited;
  });
  return { text: out.join(''), entries };
}

/** A List's items are edited as text in place: the rest of the List is copied through. */
function editYamlList(chunk: string, entries: Entry[], edit: EditResource): string {
  const split = splitResourceList(chunk);
  const join = (items: readonly string[]) =>
    split!.preamble +
    split!.sections.map((s) => (s.key === 'items' ? split!.itemsHead + items.join('') : s.text)).join('');
  if (!split || join(split.items) !== chunk)
    return failed(chunk, entries, 'cannot edit this List in place: write its items as block YAML');
  return join(
    split.items.map((item) => {
      const { text, entry } = edit(item);
      entries.push(entry);
      return text;
    }),
  );
}

/** JSON is edited as data: each object goes through the core as block YAML and comes back as data. */
function editJson(text: string, edit: EditResource): Edited {
  const entries: Entry[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { text, entries: [errorEntry(`malformed JSON: ${(error as Error).message}`)] };
  }
  if (!isObject(data)) return { text, entries: [errorEntry('not a Kubernetes object (a JSON object)')] };
  let changed = false;
  const editObject = (object: unknown): unknown => {
    if (!isObject(object)) {
      entries.push(errorEntry('not a Kubernetes object (a JSON object)'));
      return object;
    }
    const yaml = new Document(object, PLAIN).toString({ lineWidth: 0 });
    const { text: edited, entry } = edit(yaml);
    entries.push(entry);
    if (edited === yaml) return object;
    changed = true;
    return parseDocument(edited, PLAIN).toJS();
  };
  const result = isList(data) ? { ...data, items: data.items.map(editObject) } : editObject(data);
  if (!changed) return { text, entries };
  // Written back as it came: the same indentation (kubectl uses four spaces) and final newline.
  const indent = /^\{\r?\n([ \t]+)"/.exec(text.trimStart())?.[1] ?? '';
  return { text: `${JSON.stringify(result, null, indent)}${text.endsWith('\n') ? '\n' : ''}`, entries };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `v1 List` (kubectl), or any `<Kind>List` the API returns. */
const isList = (value: unknown): value is Json & { items: unknown[] } =>
  isObject(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);

function failed(chunk: string, entries: Entry[], why: string): string {
  entries.push(errorEntry(why));
  return chunk;
}

const errorEntry = (why: string): Entry => ({
  meta: { apiVersion: '', kind: '', name: '' },
  status: 'error',
  why,
  results: [],
});
