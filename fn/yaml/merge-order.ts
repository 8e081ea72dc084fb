/**
 * Keys written before a merge key (`<<`) that the merge also gives. The YAML merge spec, `yaml`, kustomize and
 * kpt (go-yaml v3) keep the written value; Kubernetes itself (sigs.k8s.io/yaml over go-yaml v2) applies the merge
 * where it stands, so it overrides what is written before it (what is written after it wins everywhere). Such a
 * manifest means one thing to kubectl and another to kustomize: the function can neither read nor edit it.
 */
import { isAlias, isMap, isScalar, isSeq, pathString, toJSON, type Document, type Node } from './nodes';

/** The path of every such key in `root`, as a result names a field (`spec.template.spec.containers`). */
export function shadowedByMerge(root: Node, doc: Document | undefined, text: string): string[] {
  // Only `yaml` parses merge keys (the fast parser declines them), and only text that holds one has them.
  if (!doc || !text.includes('<<')) return [];
  const found: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (isSeq(node)) node.items.forEach((item, i) => walk(item, `${path}[${i}]`));
    if (!isMap(node)) return;
    const written = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key === 'symbol') {
        // `yaml` gives a merge key the value Symbol(<<).
        for (const merged of mergedKeys(pair.value, doc)) if (written.has(merged)) found.push(field(path, merged));
        continue;
      }
      // Keys are scalars in Kubernetes objects; a collection as a key names no field.
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') continue;
      written.add(String(key));
      // An alias is walked where its anchor is written.
      if (!isAlias(pair.value)) walk(pair.value, field(path, String(key)));
    }
  };
  walk(root, '');
  return found;
}

/** The keys a merge key's value gives: a map, an alias of one, or a list of those. */
function mergedKeys(value: unknown, doc: Document): string[] {
  const sources = isSeq(value) ? value.items : [value];
  return sources.flatMap((source) => Object.keys((toJSON(source, doc) as Record<string, unknown> | null) ?? {}));
}

function field(path: string, key: string): string {
  const segment = pathString([key]);
  return path && !segment.startsWith('[') ? `${path}.${segment}` : `${path}${segment}`;
}
