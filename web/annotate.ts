/**
 * Sets or removes annotations in one resource's text, byte-exact like the core's own edits: the page's
 * "Choose" and per-workload settings become annotations the user commits, so every other byte stays theirs.
 */
import { parseResource } from '../fn/resource';
import { addToMap, detectStyle, removeFromMap } from '../fn/yaml/block-edit';
import { mapAt, pairOf, rangeOf, scalarString, type Pair } from '../fn/yaml/nodes';
import { applyEdits, type Edit } from '../fn/yaml/text-edit';

/** Annotation -> value to write, or null to take it out. */
export type AnnotationChanges = Record<string, string | null>;

/** `metadataPath`: the metadata map to annotate (['metadata'], or the pod template's). */
export function setAnnotations(text: string, metadataPath: readonly string[], changes: AnnotationChanges): string {
  // Most workloads of a large package have nothing to change: no parse for them.
  if (!Object.keys(changes).length) return text;
  const resource = parseResource(text);
  if (typeof resource === 'string') return text;
  const { root } = resource;
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
    // Taking out the last annotation takes out the key too: `annotations:` alone would be a null the user never wrote.
    edits.push(
      ...(whole && metadata.items.length > 1
        ? removeFromMap(text, metadata, [whole])
        : removeFromMap(text, annotations, remove)),
    );
  }
  if (Object.keys(add).length) {
    if (annotations) edits.push(addToMap(text, annotations, add, style));
    else if (metadata) edits.push(addToMap(text, metadata, { annotations: add }, style));
    else {
      const parent = mapAt(root, metadataPath.slice(0, -1));
      if (!parent) return text;
      edits.push(addToMap(text, parent, { [metadataPath[metadataPath.length - 1]]: { annotations: add } }, style));
    }
  }
  return edits.length ? applyEdits(text, edits) : text;
}
