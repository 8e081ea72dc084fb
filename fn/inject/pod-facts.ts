/**
 * Facts about one pod template, read once from the resource (after an earlier injection was stripped):
 * what the checks (pod-checks.ts) decide on and what the plan (plan.ts) must not overwrite.
 */
import type { Namespaces } from './namespaces';
import type { Resource } from '../resource';
import { asList, asMap, asText, type Json } from '../shape';
import { mapAt, toJSON, type Path } from '../yaml/nodes';

export interface PodFacts {
  kind: string;
  /** The workload's metadata.name, '' when it has none (or not a string). Default: not known, not checked. */
  name?: string;
  hostNetwork: boolean;
  containers: ContainerFacts[];
  initContainers: ContainerFacts[];
  podAnnotations: Record<string, unknown>;
  /** The workload's own metadata.annotations (the pod template's are podAnnotations). Default: none. */
  workloadAnnotations?: Record<string, unknown>;
  /** Names of the pod's volumes. Default: none. */
  volumes?: string[];
  /** The Pod Security level a Namespace in the same ResourceList enforces on this workload's namespace. */
  podSecurity?: { namespace: string; level: string };
  /** Why a mesh will inject its own proxy at admission (from the workload's Namespace). */
  meshes?: { istio?: string; linkerd?: string };
}

export interface ProbeFacts {
  /** livenessProbe, readinessProbe or startupProbe. */
  kind: string;
  /** The port the kubelet connects to (a named port resolved); undefined for exec probes. */
  port?: number;
}

export interface ContainerFacts {
  name: string;
  image: string;
  ports: number[];
  /** Names of the env vars the container sets itself. Default: none. */
  env?: string[];
  /** Mount paths the container already has. Default: none. */
  mounts?: string[];
  /** Default: none. */
  probes?: ProbeFacts[];
  /** Ports declared with another protocol than TCP (`53/UDP`). Default: none. */
  nonTcp?: string[];
}

interface Where {
  kind: string;
  name?: string;
  podSpec: Path;
  podMetadata: Path;
  /** The workload's namespace, and what the package's Namespaces say about it. */
  namespace?: string;
  namespaces?: Namespaces;
}

/** The pod's facts, or undefined when there is no pod spec map to read them from. */
export function podFacts({ root, doc }: Resource, where: Where): PodFacts | undefined {
  const spec = mapAt(root, where.podSpec);
  if (!spec) return undefined;
  const json = toJSON(spec, doc) as {
    hostNetwork?: unknown;
    containers?: unknown;
    initContainers?: unknown;
    volumes?: unknown;
  };
  const podAnnotations = toJSON(mapAt(root, [...where.podMetadata, 'annotations']), doc) as
    Record<string, unknown> | undefined;
  const facts: PodFacts = {
    kind: where.kind,
    ...(where.name !== undefined && { name: where.name }),
    hostNetwork: json.hostNetwork === true,
    containers: containers(json.containers),
    initContainers: containers(json.initContainers),
    podAnnotations: podAnnotations ?? {},
    workloadAnnotations: (toJSON(mapAt(root, ['metadata', 'annotations']), doc) ?? {}) as Record<string, unknown>,
    volumes: asList(json.volumes).map((v) => asText(asMap(v).name)),
  };
  const namespace = where.namespace === undefined ? undefined : where.namespaces?.get(where.namespace);
  if (namespace?.podSecurity) facts.podSecurity = { namespace: where.namespace!, level: namespace.podSecurity };
  if (namespace) facts.meshes = { istio: namespace.istio, linkerd: namespace.linkerd };
  return facts;
}

function containers(value: unknown): ContainerFacts[] {
  return asList(value).map((item) => {
    const c = asMap(item);
    const ports = asList(c.ports).map(asMap);
    const named = new Map(ports.map((p) => [asText(p.name), Number(p.containerPort)]));
    return {
      name: asText(c.name),
      image: asText(c.image),
      ports: ports.map((p) => Number(p.containerPort)),
      env: asList(c.env).map((e) => asText(asMap(e).name)),
      mounts: asList(c.volumeMounts).map((m) => asText(asMap(m).mountPath)),
      probes: PROBES.filter((kind) => c[kind]).map((kind) => ({ kind, port: probePort(asMap(c[kind]), named) })),
      nonTcp: ports
        .filter((p) => p.protocol !== undefined && asText(p.protocol) !== 'TCP')
        .map((p) => `${asText(p.containerPort)}/${asText(p.protocol)}`),
    };
  });
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** The port a kubelet probe connects to; exec probes have none. */
function probePort(probe: Json, named: Map<string, number>): number | undefined {
  const port = asMap(probe.httpGet).port ?? asMap(probe.tcpSocket).port ?? asMap(probe.grpc).port;
  if (port === undefined) return undefined;
  return typeof port === 'number' ? port : /^\d+$/.test(asText(port)) ? Number(port) : named.get(asText(port));
}
