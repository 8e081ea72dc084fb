/**
 * Sets or removes annotations in a file's workloads, byte-exact like the core's own edits: an editor's
 * "Choose" and per-workload settings become annotations the user commits, so every other byte stays theirs.
 * Every edit is read back, as the core's guard reads back its own: a workload that cannot be annotated
 * safely is left as it was, with why.
 */
import { isObject } from '../shape';
import { listItems } from '../inject/list';
import { parseResource } from '../resource';
import { addToMap, detectStyle, keyColumn, removeFromMap } from '../yaml/block-edit';
import { emitBlock } from '../yaml/emit';
import { fillEdits, nullValue, type NullValue } from '../yaml/null-value';
import {
  isMap,
  mapAt,
  nodeAt,
  pairOf,
  pathString,
  rangeOf,
  same,
  scalarString,
  toJSON,
  isSeq,
  type Pair,
  type YAMLMap,
} from '../yaml/nodes';
import { applyEdits, editLines, type Edit } from '../yaml/text-edit';
import { documentsOf, type FileWorkload } from './file-workloads';
import { isJsonFile, throughYaml } from './json-file';
import { PackageSession } from './session';
import { blankMarker, restoreBlanked } from './stream';

/** Annotation -> value to write, or null to take it out. */
export type AnnotationChanges = Record<string, string | null>;

/** The text with the annotations, or why they could not be written (the text is then left as it was). */
export type Annotated = { text: string } | { problem: string };

type Json = Record<string, unknown>;

/** `metadataPath`: the metadata map to annotate (['metadata'], or the pod template's). */
export function setAnnotations(text: string, metadataPath: readonly string[], changes: AnnotationChanges): Annotated {
  // Most workloads of a large package have nothing to change: no parse for them.
  if (!Object.keys(changes).length) return { text };
  const resource = parseResource(text);
  if ('error' in resource) return { text }; // not a workload: the core reports the document
  const { root } = resource;
  // A key there that is not a map: one that holds null (`annotations:` with nothing, or only a comment,
  // under it) is filled in place, as the core fills it for its own additions (null-value.ts); anything else
  // would need a second key, a duplicate. Only additions need the map: taking out what is not there
  // changes nothing.
  const adds = Object.values(changes).some((value) => value !== null);
  let fill: Fill | undefined;
  for (let depth = 1; adds && !fill && depth <= metadataPath.length + 1; depth++) {
    const path = [...metadataPath, 'annotations'].slice(0, depth);
    const node = nodeAt(root, path);
    if (node === undefined || isMap(node)) continue;
    const parent = mapAt(root, path.slice(0, -1));
    const pair = parent && pairOf(parent, path[path.length - 1]);
    const held = pair && nullValue(text, parent, pair);
    if (!held || 'why' in held)
      return {
        problem: `${pathString(path)} is not a map${held ? ` (${held.why})` : ''}: write {} there, or remove the key`,
      };
    fill = { parent, at: held, keys: [...metadataPath, 'annotations'].slice(depth) };
  }
  // Lines as the text has them (CRLF or LF, with or without a final line break), as the core writes.
  let refused: string | undefined;
  let edited: string;
  try {
    edited = editLines(text, (src) => {
      const edits = fill ? filled(src, root, fill, changes) : annotationEdits(src, root, metadataPath, changes);
      if (Array.isArray(edits)) return edits;
      refused = edits.problem;
      return [];
    });
  } catch (error) {
    // The editor declines what it cannot place (a first key of a sequence item, say): so does the page.
    return {
      problem: `cannot annotate ${pathString(metadataPath)} here (${(error as Error).message}): add it by hand`,
    };
  }
  if (refused !== undefined) return { problem: refused };
  if (edited === text) return { text };
  // Read back, as the core's guard does: the edit must mean the resource with exactly these changes.
  return means(edited, expected(toJSON(root, resource.doc), metadataPath, changes), metadataPath)
    ? { text: edited }
    : { problem: `the annotations could not be written safely at ${pathString(metadataPath)}: add them by hand` };
}

/** A key on the way to the annotations that holds null: the map it is in, its null, the keys to create in it. */
interface Fill {
  parent: YAMLMap;
  at: NullValue;
  keys: string[];
}

/** The annotations written into a null on their way, one level under its key (only additions: nothing to remove there). */
function filled(src: string, root: YAMLMap, fill: Fill, changes: AnnotationChanges): Edit[] {
  let value: Record<string, unknown> = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== null));
  for (const key of [...fill.keys].reverse()) value = { [key]: value };
  const style = detectStyle(src, root);
  const column = keyColumn(src, fill.parent) + style.indent;
  return fillEdits(src, fill.at, emitBlock(value, style, column), column);
}

/** The text edits that make the changes, placed by the core's block editor. */
function annotationEdits(
  text: string,
  root: YAMLMap,
  metadataPath: readonly string[],
  changes: AnnotationChanges,
): Edit[] | { problem: string } {
  const style = detectStyle(text, root);
  const metadata = mapAt(root, metadataPath);
  const annotations = metadata && mapAt(metadata, ['annotations']);
  const edits: Edit[] = [];
  const add: Record<string, string> = {};
  const remove: Pair[] = [];
  for (const [key, value] of Object.entries(changes)) {
    const pair = annotations && pairOf(annotations, key);
    if (value === null) {
      if (pair) remove.push(pair);
    } else if (!pair) add[key] = value;
    else if (scalarString(pair.value) !== value) {
      const [start, end] = pair.value ? rangeOf(pair.value) : [rangeOf(pair.key)[1], rangeOf(pair.key)[1]];
      edits.push({ start, end, text: pair.value ? JSON.stringify(value) : ` ${JSON.stringify(value)}` });
    }
  }
  if (remove.length && annotations) {
    const all = remove.length === annotations.items.length && !Object.keys(add).length;
    const whole = all && metadata && pairOf(metadata, 'annotations');
    // Taking out the last annotation takes out the key too (`annotations:` alone would be a null the user
    // never wrote), and a pod template's metadata left with nothing goes with it, for the same reason.
    const parent = mapAt(root, metadataPath.slice(0, -1));
    const emptied = whole && metadata.items.length === 1 && parent && parent.items.length > 1;
    const metadataPair = emptied ? pairOf(parent, metadataPath[metadataPath.length - 1]) : undefined;
    edits.push(
      ...(whole && metadata.items.length > 1
        ? removeFromMap(text, metadata, [whole])
        : metadataPair
          ? removeFromMap(text, parent!, [metadataPair])
          : removeFromMap(text, annotations, remove)),
    );
  }
  if (Object.keys(add).length) {
    if (annotations) edits.push(addToMap(text, annotations, add, style));
    else if (metadata) edits.push(addToMap(text, metadata, { annotations: add }, style));
    else {
      const parent = mapAt(root, metadataPath.slice(0, -1));
      if (!parent) return { problem: `${pathString(metadataPath.slice(0, -1))} is missing: nowhere to annotate` };
      edits.push(addToMap(text, parent, { [metadataPath[metadataPath.length - 1]]: { annotations: add } }, style));
    }
  }
  return edits;
}

/**
 * The resource's data with the changes: an annotations map left empty counts as no annotations. `data` is
 * toJSON's, built for this call: it is changed in place.
 */
function expected(data: unknown, metadataPath: readonly string[], changes: AnnotationChanges): unknown {
  const copy = data as Json;
  let metadata = copy;
  for (const key of metadataPath) metadata = isObject(metadata[key]) ? metadata[key] : (metadata[key] = {});
  const annotations: Json = isObject(metadata.annotations) ? metadata.annotations : {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete annotations[key];
    else annotations[key] = value;
  }
  metadata.annotations = annotations;
  return withoutEmptyAnnotations(copy, metadataPath);
}

/** An empty annotations map counts as none, and so does the empty metadata map it leaves (not a null). */
function withoutEmptyAnnotations(data: unknown, metadataPath: readonly string[]): unknown {
  let parent: unknown;
  let metadata: unknown = data;
  for (const key of metadataPath) [parent, metadata] = [metadata, isObject(metadata) ? metadata[key] : undefined];
  if (isObject(metadata) && same(metadata.annotations, {})) delete metadata.annotations;
  if (isObject(parent) && same(metadata, {})) delete parent[metadataPath[metadataPath.length - 1]];
  return data;
}

function means(text: string, data: unknown, metadataPath: readonly string[]): boolean {
  const read = parseResource(text);
  return !('error' in read) && same(withoutEmptyAnnotations(toJSON(read.root, read.doc), metadataPath), data);
}

/** What to write on one workload: on its own metadata and on its pod template's. */
export interface WorkloadAnnotations {
  workload: AnnotationChanges;
  pod: AnnotationChanges;
}

export interface AnnotatedFile {
  text: string;
  /** The workloads left as they were, each with why. */
  refused: { workload: FileWorkload; problem: string }[];
}

/**
 * `text` with the annotations `changesOf` gives for each of `workloads` (the file's, from fileWorkloads).
 * Both places or neither: a workload that cannot be annotated safely stays as it was, and says why.
 */
export function annotateFile(
  text: string,
  workloads: readonly FileWorkload[],
  changesOf: (w: FileWorkload) => WorkloadAnnotations,
  session: PackageSession = new PackageSession(),
): AnnotatedFile {
  const refused: AnnotatedFile['refused'] = [];
  const docs = documentsOf(text);
  const json = isJsonFile(text);
  for (const [doc, ws] of byDoc(workloads)) {
    const annotate = (body: string) => annotateDocument(body, ws, changesOf, session, refused);
    if (!json) {
      docs[doc] = restoreBlanked(annotate(blankMarker(docs[doc])), docs[doc]);
      continue;
    }
    // A JSON file is annotated through the YAML the function edits it as.
    const done = throughYaml(docs[doc], annotate);
    if ('text' in done) docs[doc] = done.text;
    else for (const workload of ws) refused.push({ workload, problem: done.problem });
  }
  return { text: docs.join(''), refused };
}

function byDoc(found: readonly FileWorkload[]): Map<number, FileWorkload[]> {
  const docs = new Map<number, FileWorkload[]>();
  for (const w of found) {
    const list = docs.get(w.doc);
    if (list) list.push(w);
    else docs.set(w.doc, [w]);
  }
  return docs;
}

/** One document (its `---` line blanked) with its workloads' annotations: itself, or a List's items. */
function annotateDocument(
  body: string,
  ws: readonly FileWorkload[],
  changesOf: (w: FileWorkload) => WorkloadAnnotations,
  session: PackageSession,
  refused: AnnotatedFile['refused'],
): string {
  const annotate = (text: string, w: FileWorkload) => {
    const { workload, pod } = changesOf(w);
    const first = setAnnotations(text, ['metadata'], workload);
    const both = 'text' in first ? setAnnotations(first.text, w.podMetadataPath, pod) : first;
    if ('text' in both) return both.text;
    refused.push({ workload: w, problem: both.problem });
    return text;
  };
  const top = ws.find((w) => w.item === undefined);
  if (top) return annotate(body, top);
  const read = session.read(body);
  const seq = 'error' in read ? undefined : read.root.get('items', true);
  if (!isSeq(seq)) return body;
  const items = listItems(body, seq);
  const edits: Edit[] = ws.flatMap((w) => {
    const item = items[w.item!];
    const text = annotate(item.text, w);
    return text === item.text ? [] : [{ start: item.start, end: item.end, text }];
  });
  return edits.length ? applyEdits(body, edits) : body;
}
