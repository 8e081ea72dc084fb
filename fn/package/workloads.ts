/**
 * The workloads a file holds, as an editor lists them, read from the core's own parse: a workload at the top
 * level of a document, or each workload item of a `kind: List` (cut out as the core cuts them, inject/list.ts).
 */
import { hookOf } from '../inject/hook';
import { isListKind, itemType, listItems } from '../inject/list';
import { metaOf, parseResource, type Resource, type TypeMeta } from '../resource';
import { INJECT_ANNOTATION, RECORD_ANNOTATION } from '../vocabulary';
import { podPaths, workloadKind } from '../workloads';
import { entries, isMap, isSeq, mapAt, scalarString, seqAt, type YAMLMap, type YAMLSeq } from '../yaml/nodes';

/** What a workload's manifest says, wherever it sits in its file. */
export interface WorkloadFacts {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  /** Its index among the List's items (listItems), for a workload inside a `kind: List`. */
  item?: number;
  containers: string[];
  initContainers: string[];
  /** Carries a sidecar an earlier run recorded. */
  injected: boolean;
  /** Annotated inject: "true" as written. */
  annotated: boolean;
  /** Annotations as written: on the workload and on its pod template. */
  workloadAnnotations: Record<string, string>;
  podAnnotations: Record<string, string>;
  podMetadataPath: string[];
  /** The Helm or Argo CD hook it is, in words (`a helm.sh/hook: test hook`): skipped unless annotated. */
  hook?: string;
}

/** String entries of a map as written (a value of another type, or an alias, is the core's to report). */
const stringMap = (map: YAMLMap | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [key, value] of entries(map)) {
    const text = scalarString(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
};
const names = (seq: YAMLSeq | undefined): string[] =>
  seq?.items.map((c) => scalarString(isMap(c) ? c.get('name', true) : undefined) ?? '?') ?? [];

/** kind/namespace/name, the namespace `default` when none is written (as the outcomes' meta reads). */
export const workloadId = (meta: { kind: string; namespace?: string; name: string }): string =>
  `${meta.kind}/${meta.namespace?.length ? meta.namespace : 'default'}/${meta.name}`;

function factsOf(r: Resource, item?: number, implied?: TypeMeta): WorkloadFacts | undefined {
  const meta = metaOf(r.root, implied);
  const workload = workloadKind(meta.apiVersion, meta.kind);
  if (!workload) return undefined;
  const paths = podPaths(workload);
  const annotations = mapAt(r.root, ['metadata', 'annotations']);
  const workloadAnnotations = stringMap(annotations);
  const podAnnotations = stringMap(mapAt(r.root, [...paths.podMetadata, 'annotations']));
  const namespace = meta.namespace ?? '';
  const hook = hookOf(annotations);
  return {
    id: workloadId(meta),
    kind: meta.kind,
    namespace,
    name: meta.name,
    ...(item !== undefined && { item }),
    containers: names(seqAt(r.root, [...paths.podSpec, 'containers'])),
    initContainers: names(seqAt(r.root, [...paths.podSpec, 'initContainers'])),
    injected: workloadAnnotations[RECORD_ANNOTATION] !== undefined,
    annotated: (workloadAnnotations[INJECT_ANNOTATION] ?? podAnnotations[INJECT_ANNOTATION]) === 'true',
    workloadAnnotations,
    podAnnotations,
    podMetadataPath: paths.podMetadata,
    ...(hook !== undefined && { hook }),
  };
}

/** `resource`: the document, parsed (a stream's document: `parseResource(text, { item: false })`). */
export function workloadsIn(resource: Resource): WorkloadFacts[] {
  const top = factsOf(resource);
  if (top) return [top];
  if (!isListKind(resource.root)) return [];
  const seq = resource.root.get('items', true);
  if (!isSeq(seq) || seq.flow) return [];
  const type = itemType(resource.root);
  return listItems(resource.text, seq).flatMap(({ text }, index) => {
    const item = parseResource(text);
    const facts = 'error' in item ? undefined : factsOf(item, index, type);
    return facts ? [facts] : [];
  });
}
