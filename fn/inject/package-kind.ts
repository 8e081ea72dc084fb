/**
 * Reading the package for what a workload needs to know of the rest of it (the workloads a Service selects,
 * the Services that select it, the NetworkPolicies that isolate it): items and the items of Lists, each read
 * alone.
 */
import { metaOf, parseResource, type Resource, type TypeMeta } from '../resource';
import type { ResourceMeta } from '../results';
import { seqAt } from '../yaml/nodes';
import { isListKind, itemType, listItems } from './list';

/**
 * What `take` keeps of each resource (undefined: passed over; a List is walked when passed over). `text`
 * and `implied`: the resource as written, and what a typed List's item is. `mention`: only texts holding it
 * are parsed. A document no parser can take is left to its own pass, which reports it with its place.
 */
export function readPackage<T>(
  items: readonly string[],
  take: (resource: Resource, meta: ResourceMeta, text: string, implied?: TypeMeta) => T | undefined,
  mention = '',
): T[] {
  const found: T[] = [];
  const read = (text: string, implied?: TypeMeta) => {
    const resource = parseResource(text);
    if ('error' in resource) return;
    const meta = metaOf(resource.root, implied);
    const taken = take(resource, meta, text, implied);
    if (taken !== undefined) found.push(taken);
    else if (isListKind(resource.root)) {
      const seq = seqAt(resource.root, ['items']);
      const type = itemType(resource.root);
      if (seq && !seq.flow) for (const item of listItems(text, seq)) read(item.text, type);
    }
  };
  for (const text of items) {
    if (!text.includes(mention)) continue;
    try {
      read(text);
    } catch {
      // Nested too deeply, say: reported by its own pass.
    }
  }
  return found;
}

/** The package's resources of one kind, each as `take` reads it. */
export const readKind = <T>(items: readonly string[], type: TypeMeta, take: (resource: Resource) => T): T[] =>
  readPackage(
    items,
    (resource, meta) => (meta.kind === type.kind && meta.apiVersion === type.apiVersion ? take(resource) : undefined),
    type.kind,
  );
