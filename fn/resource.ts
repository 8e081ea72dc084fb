/** One resource as text plus its parsed node: the unit the injector edits. */
import type { ResourceMeta } from './results';
import {
  INDEX_ANNOTATION,
  LEGACY_INDEX_ANNOTATION,
  LEGACY_PATH_ANNOTATION,
  LOCAL_CONFIG_ANNOTATION,
  PATH_ANNOTATION,
} from './vocabulary';
import { fastParse } from './yaml/fast-parse';
import { parseNodes, type ReadError } from './yaml/documents';
import { notAMap } from './shape';
import { child, isMap, isScalar, isSeq, mapAt, rangeOf, scalarString, type Document, type YAMLMap } from './yaml/nodes';

export interface Resource {
  text: string;
  root: YAMLMap;
  /** The document `yaml` parsed, when the fast parser declined: its aliases resolve there. */
  doc?: Document;
}

/**
 * Parses a resource given either as a plain document or as one ResourceList item (`- apiVersion: ...`),
 * so edit offsets always refer to the text exactly as it arrived.
 */
/**
 * Why a text is no resource: `empty` when it holds nothing but null (`- ~`, an item with nothing after its
 * dash); `notMap`, what it holds instead when that is valid YAML but no map (`a scalar ("x")`), at `at`.
 */
export type NotAResource = ReadError & { empty?: true; notMap?: string };

export function parseResource(text: string, { item = true }: { item?: boolean } = {}): Resource | NotAResource {
  // The fast parser builds the same nodes for ordinary manifests; `yaml` takes the rest and reports errors.
  let root: unknown = fastParse(text);
  let doc: Document | undefined;
  if (root === undefined) {
    const parsed = parseNodes(text);
    if ('error' in parsed) return parsed;
    ({ root, doc } = parsed);
  }
  // `item: false` reads a document of a stream, where a one-item sequence is not a resource.
  if (item && isSeq(root) && root.items.length === 1) root = root.items[0];
  const not = notAResource(root);
  if (not && 'empty' in not) return { error: 'empty (null)', empty: true };
  if (not) return { error: 'not a YAML map', notMap: not.notMap, at: rangeOf(root)[0] };
  if (!isMap(root)) return { error: 'not a YAML map' };
  return doc ? { text, root, doc } : { text, root };
}

/** A kind and the apiVersion it is served under. */
export interface TypeMeta {
  apiVersion: string;
  kind: string;
}

/**
 * `implied`: what a resource that names neither its kind nor its apiVersion is (an item of a typed List:
 * inject/list.ts, itemType); nothing is written into it.
 */
export function metaOf(root: YAMLMap, implied?: TypeMeta): ResourceMeta {
  // Read for every item: `child` (nodes.ts), not `yaml`'s get, which costs several times more per key.
  const metadata = child(root, 'metadata');
  const annotations = child(metadata, 'annotations');
  const annotation = (key: string) => scalarString(child(annotations, key));
  const file = fileOf(annotation);
  const namespace = scalarString(child(metadata, 'namespace'));
  const apiVersion = scalarString(child(root, 'apiVersion')) ?? '';
  const kind = scalarString(child(root, 'kind')) ?? '';
  const name = scalarString(child(metadata, 'name')) ?? '';
  // A literal and the optional keys set after it, not spreads (in this order, as results list them): asked
  // once of every item, and a spread copies its object key by key.
  const meta: ResourceMeta = implied && !apiVersion && !kind ? { ...implied, name } : { apiVersion, kind, name };
  if (namespace !== undefined) meta.namespace = namespace;
  if (file) meta.file = file;
  return meta;
}

/**
 * The file and document a resource came from, by the orchestrator's annotations (kpt's path and index, the
 * legacy keys too): where kpt shows and saves a result about it.
 */
export function fileOf(annotation: (key: string) => string | undefined): ResourceMeta['file'] {
  const path = annotation(PATH_ANNOTATION) ?? annotation(LEGACY_PATH_ANNOTATION);
  const index = annotation(INDEX_ANNOTATION) ?? annotation(LEGACY_INDEX_ANNOTATION);
  if (path === undefined) return undefined;
  const file: NonNullable<ResourceMeta['file']> = { path };
  if (index !== undefined && /^\d+$/.test(index)) file.index = Number(index);
  return file;
}

export function isLocalConfig(root: YAMLMap): boolean {
  return scalarString(mapAt(root, ['metadata', 'annotations'])?.get(LOCAL_CONFIG_ANNOTATION, true)) === 'true';
}

/**
 * What a node holds that is no resource: nothing (a null), or a scalar or a list in words (notAMap); undefined
 * for a map, or anything else (an alias). Documents and List items are told apart by it alike.
 */
export function notAResource(node: unknown): { empty: true } | { notMap: string } | undefined {
  if (node === null || (isScalar(node) && node.value === null)) return { empty: true };
  if (isSeq(node)) return { notMap: notAMap([]) };
  if (isScalar(node)) return { notMap: notAMap(node.value) };
  return undefined;
}
