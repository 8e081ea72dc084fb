/** One resource as text plus its parsed node: the unit the injector edits. */
import { parseDocument, type Document, type YAMLMap } from 'yaml';
import type { ResourceMeta } from './results';
import { fastParse } from './yaml/fast-parse';
import { PARSE_OPTIONS } from './yaml/fast-scalars';
import { isMap, isSeq, mapAt, scalarString } from './yaml/nodes';

export interface Resource {
  text: string;
  root: YAMLMap;
  /** The document `yaml` parsed, when the fast parser declined: its aliases resolve there. */
  doc?: Document;
}

export { PARSE_OPTIONS };

/**
 * Parses a resource given either as a plain document or as one ResourceList item (`- apiVersion: ...`),
 * so edit offsets always refer to the text exactly as it arrived.
 */
export function parseResource(text: string): Resource | string {
  // The fast parser builds the same nodes for ordinary manifests; `yaml` takes the rest and reports errors.
  let root: unknown = fastParse(text);
  let doc: Document | undefined;
  if (root === undefined) {
    doc = parseDocument(text, PARSE_OPTIONS);
    if (doc.errors.length) return doc.errors[0]!.message.split('\n')[0]!;
    // `yaml` finds an undefined alias (or an alias bomb) only when it resolves them: do that here.
    try {
      doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      return (error as Error).message.split('\n')[0]!;
    }
    root = doc.contents;
  }
  if (isSeq(root) && root.items.length === 1) root = root.items[0];
  if (!isMap(root)) return 'not a YAML map';
  return doc ? { text, root, doc } : { text, root };
}

export const ANNOTATION_PATH = 'internal.config.kubernetes.io/path';
export const ANNOTATION_INDEX = 'internal.config.kubernetes.io/index';
const LEGACY_PATH = 'config.kubernetes.io/path';
const LEGACY_INDEX = 'config.kubernetes.io/index';
export const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

export function metaOf(root: YAMLMap): ResourceMeta {
  const annotations = mapAt(root, ['metadata', 'annotations']);
  const annotation = (key: string) => scalarString(annotations?.get(key, true));
  const path = annotation(ANNOTATION_PATH) ?? annotation(LEGACY_PATH);
  const index = annotation(ANNOTATION_INDEX) ?? annotation(LEGACY_INDEX);
  const namespace = scalarString(root.getIn(['metadata', 'namespace'], true));
  return {
    apiVersion: scalarString(root.get('apiVersion', true)) ?? '',
    kind: scalarString(root.get('kind', true)) ?? '',
    name: scalarString(root.getIn(['metadata', 'name'], true)) ?? '',
    ...(namespace !== undefined && { namespace }),
    ...(path !== undefined && {
      file: { path, ...(index !== undefined && /^\d+$/.test(index) && { index: Number(index) }) },
    }),
  };
}

export function isLocalConfig(root: YAMLMap): boolean {
  return scalarString(mapAt(root, ['metadata', 'annotations'])?.get(LOCAL_CONFIG, true)) === 'true';
}
