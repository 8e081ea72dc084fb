/**
 * capture: ebpf, the way from the sidecar to Speedscale's eBPF capture, one workload at a time: the workload
 * keeps no sidecar (its earlier record is stripped, as inject "false" would), gains the opt-in
 * capture.speedscale.com/enabled: "true", and its own inject annotations, which the operator never combines
 * with eBPF capture, read "false" instead of "true". The opt-in is recorded as an addition and each inject
 * annotation as a rewrite, so capture: sidecar (or uninstall) brings back the author's bytes exactly.
 *
 * Nothing the operator would act on as a sidecar request or a reason to skip is left: no inject "true", and
 * no operator.speedscale.com/ignore (operatorIgnore adds it only with a sidecar). A workload that cannot move
 * gets an error that says why, and is left as it was.
 */
import type { Settings } from '../config/settings.generated';
import type { Resource } from '../resource';
import { asText } from '../shape';
import {
  EBPF_ENABLED_ANNOTATION,
  EBPF_JAVA_AGENT_ANNOTATION,
  INJECT_ANNOTATION,
  OPERATOR_IGNORE_ANNOTATION,
} from '../vocabulary';
import { mapAt, pathString, scalarString, type Path } from '../yaml/nodes';
import type { PodPaths } from '../workloads';
import type { Addition, Rewrite } from './additions';

const WORKLOAD_ANNOTATIONS: Path = ['metadata', 'annotations'];

/**
 * Where the opt-in goes: on the object the operator's webhook sees. It matches Deployments, Jobs, Pods and
 * the rest, never CronJobs: a CronJob's opt-in goes on its jobTemplate, whose metadata each Job it creates gets.
 */
const optInAt = (paths: PodPaths): Path =>
  paths.madeMetadata ? [...paths.madeMetadata, 'annotations'] : WORKLOAD_ANNOTATIONS;

/**
 * The annotations of the workload, of the objects it makes (a CronJob's jobTemplate, where the opt-in goes and
 * which the operator sees on each Job) and of its pod template, each once (a Pod's are one map).
 */
function annotationMaps(paths: PodPaths): Path[] {
  const maps = [WORKLOAD_ANNOTATIONS, optInAt(paths), [...paths.podMetadata, 'annotations']];
  return maps.filter((path, i) => maps.findIndex((other) => pathString(other) === pathString(path)) === i);
}

type Annotation = (key: string) => string | undefined;

/** What keeps a workload from moving, as one table: each finds its case in the annotations and the settings. */
const BLOCKERS: readonly ((annotation: Annotation, s: Settings) => string | undefined)[] = [
  (annotation) =>
    annotation(OPERATOR_IGNORE_ANNOTATION) === 'true'
      ? `${OPERATOR_IGNORE_ANNOTATION}: "true" makes the operator skip the workload, its eBPF opt-in too; remove it`
      : undefined,
  (annotation) => {
    const enabled = annotation(EBPF_ENABLED_ANNOTATION);
    return enabled !== undefined && enabled !== 'true'
      ? `${EBPF_ENABLED_ANNOTATION} is "${enabled}": the workload opted out of eBPF capture, and would keep none`
      : undefined;
  },
  (annotation, s) =>
    annotation(EBPF_JAVA_AGENT_ANNOTATION) === 'true' && (s.tlsJavaToolOptions || s.tlsJavaToolOptionsValue)
      ? `${EBPF_JAVA_AGENT_ANNOTATION} keeps the app's own TLS trust and writes JAVA_TOOL_OPTIONS itself, so ` +
        'tls-java-tool-options (the Speedscale truststore in JAVA_TOOL_OPTIONS) has no counterpart there; drop it, or stay on the sidecar'
      : undefined,
];

export type Move = { additions: Addition[]; rewrites: Rewrite[] } | { blocked: string };

/** The move of one workload (base: as its author wrote it), or why it cannot move. */
export function ebpfMove(base: Resource, paths: PodPaths, s: Settings): Move {
  const maps = annotationMaps(paths);
  // Each map on its own: the operator reads each object's annotations (the workload's, each Job's, each Pod's),
  // so an opt-out on any one of them keeps it from capturing what it makes.
  const annotationsAt =
    (path: Path): Annotation =>
    (key) => {
      const value = mapAt(base.root, path)?.get(key, true);
      return value === undefined || value === null
        ? undefined
        : (scalarString(value) ?? asText((value as { value?: unknown }).value));
    };
  const blocked = maps.flatMap((path) => BLOCKERS.map((blocker) => blocker(annotationsAt(path), s))).find(Boolean);
  if (blocked) return { blocked };

  const optIn = optInAt(paths);
  const opted = scalarString(mapAt(base.root, optIn)?.get(EBPF_ENABLED_ANNOTATION, true)) === 'true';
  const additions: Addition[] = opted ? [] : [{ path: optIn, key: EBPF_ENABLED_ANNOTATION, value: 'true' }];
  const rewrites = maps
    .filter((path) => scalarString(mapAt(base.root, path)?.get(INJECT_ANNOTATION, true)) === 'true')
    .map((path): Rewrite => ({ path: [...path, INJECT_ANNOTATION], value: 'false' }));
  return { additions, rewrites };
}
