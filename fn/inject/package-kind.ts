/**
 * The package's resources of one kind, read for what a workload needs to know of them (the Services that
 * select it, the NetworkPolicies that isolate it): items and the items of Lists, each read alone. Only texts
 * that mention the kind are parsed.
 */
import { metaOf, parseResource, type Resource, type TypeMeta } from '../resource';
import { seqAt } from '../yaml/nodes';
import { isListKind, itemType, listItems } from './list';

export function readKind<T>(items: readonly string[], type: TypeMeta, take: (resource: Resource) => T): T[] {
  const found: T[] = [];
  const read = (text: string, implied?: TypeMeta) => {
    const resource = parseResource(text);
    if ('error' in resource) return;
    const meta = metaOf(resource.root, implied);
    if (meta.kind === type.kind && meta.apiVersion === type.apiVersion) found.push(take(resource));
    else if (isListKind(resource.root)) {
      const seq = seqAt(resource.root, ['items']);
      if (seq && !seq.flow) for (const item of listItems(text, seq)) read(item.text, itemType(resource.root));
    }
  };
  for (const text of items) {
    if (!text.includes(type.kind)) continue;
    try {
      read(text);
    } catch {
      // A document no parser can take (nested too deeply, say) is reported by its own pass, with its place.
    }
  }
  return found;
}
