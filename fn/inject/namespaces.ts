/**
 * Package-wide facts read before any workload: the Pod Security level each Namespace in the ResourceList
 * enforces, and whether it asks a mesh to inject its own proxy. Only items whose text mentions
 * `kind: Namespace` are parsed, so the scan costs a substring search per item.
 */
import { metaOf, parseResource, type Resource } from '../resource';
import {
  ISTIO_INJECTION_LABEL,
  ISTIO_REV_LABEL,
  LINKERD_INJECT_ANNOTATION,
  POD_SECURITY_ENFORCE_LABEL,
} from '../vocabulary';
import { mapAt, scalarString } from '../yaml/nodes';

export interface NamespaceFacts {
  /** Enforced Pod Security level (`privileged`, `baseline`, `restricted`). */
  podSecurity?: string;
  /** Why Istio will inject into the namespace's pods, e.g. `label istio-injection=enabled`. */
  istio?: string;
  /** Why Linkerd will. */
  linkerd?: string;
}

/** namespace name -> what its Namespace resource says. */
export type Namespaces = ReadonlyMap<string, NamespaceFacts>;

/** Namespace labels and annotations that make a mesh inject its proxy, as a table. */
const MESH_MARKERS: {
  mesh: 'istio' | 'linkerd';
  where: 'labels' | 'annotations';
  key: string;
  matches: (value: string) => boolean;
}[] = [
  { mesh: 'istio', where: 'labels', key: ISTIO_INJECTION_LABEL, matches: (v) => v === 'enabled' },
  { mesh: 'istio', where: 'labels', key: ISTIO_REV_LABEL, matches: (v) => v !== '' },
  { mesh: 'linkerd', where: 'annotations', key: LINKERD_INJECT_ANNOTATION, matches: (v) => v === 'enabled' },
];

/** A document read, or undefined when it cannot be (its own processing reports why, nested too deeply too). */
function readQuietly(text: string): Resource | undefined {
  try {
    const resource = parseResource(text);
    return 'error' in resource ? undefined : resource;
  } catch {
    return undefined;
  }
}

export function readNamespaces(items: readonly string[]): Namespaces {
  const namespaces = new Map<string, NamespaceFacts>();
  for (const text of items) {
    if (!text.includes('kind: Namespace')) continue;
    const resource = readQuietly(text);
    if (!resource) continue;
    const meta = metaOf(resource.root);
    if (meta.kind !== 'Namespace' || meta.apiVersion !== 'v1') continue;
    const value = (where: 'labels' | 'annotations', key: string) =>
      scalarString(mapAt(resource.root, ['metadata', where])?.get(key, true));
    const facts: NamespaceFacts = {};
    const level = value('labels', POD_SECURITY_ENFORCE_LABEL);
    if (level) facts.podSecurity = level;
    for (const marker of MESH_MARKERS) {
      const found = value(marker.where, marker.key);
      if (found !== undefined && marker.matches(found))
        facts[marker.mesh] ??= `namespace ${meta.name} has ${marker.where.slice(0, -1)} ${marker.key}=${found}`;
    }
    if (Object.keys(facts).length) namespaces.set(meta.name, facts);
  }
  return namespaces;
}
