/**
 * The fields the API server writes and `kubectl get -o yaml` hands back: a resource's `status`, the
 * server's bookkeeping in `metadata` and kubectl's last-applied annotation. Applied again they are noise at
 * best (`resourceVersion` makes an apply conflict), so a front end points them out and offers to strip them.
 * Stripping deletes exactly their lines (or flow entries), as block-edit.ts removes what an injection added:
 * every other byte, comments included, stays as it was.
 */
import { isMap, isSeq, type Pair, type YAMLMap } from 'yaml';
import { removeFromMap } from '../yaml/block-edit';
import { parseNodes } from '../yaml/documents';
import { pairOf, scalarString } from '../yaml/nodes';
import { applyEdits, type Edit } from '../yaml/text-edit';
import { itemType } from '../inject/list';
import { metaOf } from '../resource';
import { blankMarker, splitDocuments } from './stream';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The server's own keys of `metadata`. */
const METADATA_KEYS = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink'];

export interface ServerField {
  /** The resource, as `kind/name`. */
  resource: string;
  /** The field, as a path (`metadata.uid`, `status`). */
  field: string;
  /** On a List itself (its own `metadata.resourceVersion`), not on a resource it holds. Default: false. */
  list?: true;
}

export interface ServerFields {
  found: ServerField[];
  /** The text without them (the text itself when none was found). */
  stripped: string;
}

/** The pairs to cut from one resource's map, each with its field path. */
function fieldsOf(resource: YAMLMap): { pair: Pair; map: YAMLMap; field: string }[] {
  const cut: { pair: Pair; map: YAMLMap; field: string }[] = [];
  const status = pairOf(resource, 'status');
  if (status) cut.push({ pair: status, map: resource, field: 'status' });
  const metadata = pairOf(resource, 'metadata')?.value;
  if (!isMap(metadata)) return cut;
  for (const key of METADATA_KEYS) {
    const pair = pairOf(metadata, key);
    if (pair) cut.push({ pair, map: metadata, field: `metadata.${key}` });
  }
  const annotations = pairOf(metadata, 'annotations');
  const lastApplied = isMap(annotations?.value) ? pairOf(annotations.value, LAST_APPLIED_ANNOTATION) : undefined;
  if (annotations && lastApplied) {
    const field = `metadata.annotations.${LAST_APPLIED_ANNOTATION}`;
    // The only annotation: the whole `annotations:` goes, rather than leave it empty (a null).
    const alone = (annotations.value as YAMLMap).items.length === 1;
    cut.push(
      alone
        ? { pair: annotations, map: metadata, field }
        : { pair: lastApplied, map: annotations.value as YAMLMap, field },
    );
  }
  return cut;
}

/** One document: the resource, or a List's items, each checked. */
function documentFields(chunk: string): { found: ServerField[]; edits: Edit[] } {
  // Read as the function reads it (a byte-order mark after `---` is none of its content); every offset stays.
  let read;
  try {
    read = parseNodes(blankMarker(chunk));
  } catch {
    // Nested beyond the parser's limits: like a YAML error, nothing to point out (the function reports it).
    return { found: [], edits: [] };
  }
  if ('error' in read || !isMap(read.root)) return { found: [], edits: [] };
  const root = read.root;
  const items = pairOf(root, 'items')?.value;
  const isList = !!scalarString(pairOf(root, 'kind')?.value)?.endsWith('List') && isSeq(items);
  const listed = isList ? items.items.filter(isMap) : [];
  const found: ServerField[] = [];
  const edits: Edit[] = [];
  // A typed List's item without kind and apiVersion is its kind (as `kubectl get --raw` lists them).
  const implied = isList ? itemType(root) : undefined;
  for (const resource of [root, ...listed]) {
    const { kind, name } = metaOf(resource, resource === root ? undefined : implied);
    for (const { pair, map, field } of fieldsOf(resource)) {
      // A key that opens a sequence item (`- status: ...`) goes, the next key taking its dash; the item's only
      // key, or one with an anchor or tag before it, cannot go without its dash: left.
      try {
        edits.push(...removeFromMap(chunk, map, [pair]));
      } catch {
        continue;
      }
      found.push({ resource: `${kind}/${name}`, field, ...(resource === root && isList && { list: true }) });
    }
  }
  return { found, edits };
}

/** The server-side fields of a YAML file (a List's items included), and the file without them. */
export function serverFields(text: string): ServerFields {
  const found: ServerField[] = [];
  const stripped = splitDocuments(text)
    .map((chunk) => {
      const one = documentFields(chunk);
      found.push(...one.found);
      return one.edits.length ? applyEdits(chunk, one.edits) : chunk;
    })
    .join('');
  return { found, stripped: found.length ? stripped : text };
}
