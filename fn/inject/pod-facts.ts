/**
 * Facts about one pod template, read once from the resource (after an earlier injection was stripped):
 * what the checks (pod-checks.ts) decide on and what the plan (plan.ts) must not overwrite.
 */
import type { Namespaces } from './namespaces';
import type { Resource } from '../resource';
import { asList, asMap, asText, unset, type Json } from '../shape';
import {
  isPlainMap,
  isPlainSeq,
  isScalar,
  mapAt,
  nodeAt,
  plainKey,
  toJSON,
  type Path,
  type YAMLMap,
} from '../yaml/nodes';
import { scalarSource } from '../yaml/scalar-edit';
import type { ControllerLabels, PodPaths } from '../workloads';
import type { PodLabels } from './label-selector';
import { selecting, type NetworkPolicy } from './network-policies';

/**
 * Whether a Service of the package selects a workload's pods: surely, surely not, or only maybe, by a label the
 * pods' controller sets (`maybe`: each such Service, named with those labels, for the words).
 */
export type ServiceSelection = 'yes' | 'no' | { maybe: string[] };

export interface PodFacts {
  kind: string;
  /** The workload's metadata.name, '' when it has none (or not a string). Default: not known, not checked. */
  name?: string;
  hostNetwork: boolean;
  /**
   * Where the pod is put on Windows, whose API validation refuses a Linux securityContext and whose nodes
   * cannot run the Linux images: `os.name` (spec.os.name: windows), `nodeSelector` (kubernetes.io/os) or a
   * required `affinity.nodeAffinity` every term of which picks Windows nodes.
   * Default: not on Windows.
   */
  windows?: 'os.name' | 'nodeSelector' | 'affinity.nodeAffinity';
  containers: ContainerFacts[];
  initContainers: ContainerFacts[];
  podAnnotations: Record<string, unknown>;
  /** The workload's own metadata.annotations (the pod template's are podAnnotations). Default: none. */
  workloadAnnotations?: Record<string, unknown>;
  /** The annotations of the objects it makes (a CronJob's jobTemplate), which the operator sees. Default: none. */
  madeAnnotations?: Record<string, unknown>;
  /** Names of the pod's volumes. Default: none. */
  volumes?: string[];
  /** Names of the volumes the controller adds from its claim templates, replacing any so named. Default: none. */
  claimVolumes?: string[];
  /** The Pod Security level a Namespace in the same ResourceList enforces on this workload's namespace. */
  podSecurity?: { namespace: string; level: string };
  /** Why a mesh will inject its own proxy at admission (from the workload's Namespace). */
  meshes?: { istio?: string; linkerd?: string };
  /** The pod-level spec.resources (Kubernetes 1.34 beta), when written. Default: none. */
  resources?: { requests: Record<string, unknown>; limits: Record<string, unknown> };
  /** The pod's securityContext.runAsUser, when a number: its containers' unless they set their own. */
  runAsUser?: number;
  /** Whether a Service in the package selects the pods. Default: not known (the package's Services not read). */
  selectedByService?: ServiceSelection;
  /** Host names spec.hostAliases writes into the pod's /etc/hosts, resolved without DNS. Default: none. */
  hostAliases?: string[];
  /** The package's NetworkPolicies that surely select the pods (none on hostNetwork). Default: not known (not read). */
  networkPolicies?: readonly NetworkPolicy[];
  /**
   * The package's NetworkPolicies that may select the pods, by labels their controller sets (label-selector.ts):
   * they isolate the pods for no check, but their rules may allow what the others do not. Default: none.
   */
  maybePolicies?: readonly NetworkPolicy[];
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
  /** Mount paths the container already has, cleaned (mountPath below). Default: none. */
  mounts?: string[];
  /** Default: none. */
  probes?: ProbeFacts[];
  /**
   * JAVA_TOOL_OPTIONS as the container sets it: its value, or why it cannot be appended to (it comes from
   * valueFrom, or is not written on one line). Default: unset.
   */
  javaToolOptions?: { value: string; times?: number } | { fixed: string };
  /** The first word the container runs: its command's, else its args'. Default: the image's own. */
  runs?: string;
  /** requests and limits as written, by resource name. Default: none. */
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  /** containerPorts declared TCP (or with no protocol). Default: none. */
  tcpPorts?: number[];
  /** containerPorts by their names. Default: none. */
  namedPorts?: Record<string, number>;
  /** Ports declared with another protocol than TCP (`53/UDP`). Default: none. */
  nonTcp?: string[];
  /** securityContext.runAsUser, when a number. Default: the pod's, else the image's. */
  runAsUser?: number;
  /** An init container with restartPolicy: Always, which runs beside the app (a native sidecar). Default: no. */
  sidecar?: true;
}

interface Where {
  kind: string;
  name?: string;
  /** The workload's namespace, and what the package's Namespaces say about it. */
  namespace?: string;
  namespaces?: Namespaces;
  /** Whether a Service of the package selects the pods (services.ts), when the settings ask for it. */
  selectedByService?: ServiceSelection;
  /** The package's NetworkPolicies (network-policies.ts), when they were read. */
  networkPolicies?: readonly NetworkPolicy[];
}

/**
 * The pod's facts, or undefined when there is no pod spec map to read them from. `paths` is its own argument,
 * not spread into `where`: copying it into a new object was a share of every annotated workload's time.
 */
export function podFacts({ root, doc, text }: Resource, paths: PodPaths, where: Where): PodFacts | undefined {
  const spec = mapAt(root, paths.podSpec);
  if (!spec) return undefined;
  const json = (doc ? toJSON(spec, doc) : read(spec, SPEC)) as {
    hostNetwork?: unknown;
    os?: unknown;
    nodeSelector?: unknown;
    affinity?: unknown;
    containers?: unknown;
    initContainers?: unknown;
    volumes?: unknown;
    securityContext?: unknown;
    resources?: unknown;
    hostAliases?: unknown;
  };
  const windows = windowsAt(json.os, json.nodeSelector, json.affinity);
  const runAsUser = uidOf(json.securityContext);
  const podAnnotations = toJSON(mapAt(root, [...paths.podMetadata, 'annotations']), doc) as
    Record<string, unknown> | undefined;
  const annotationsAt = (metadata: Path) =>
    (toJSON(mapAt(root, [...metadata, 'annotations']), doc) ?? {}) as Record<string, unknown>;
  const facts: PodFacts = {
    kind: where.kind,
    hostNetwork: json.hostNetwork === true,
    containers: containers(json.containers),
    initContainers: containers(json.initContainers),
    podAnnotations: podAnnotations ?? {},
    workloadAnnotations: annotationsAt(['metadata']),
    volumes: asList(json.volumes).map((v) => asText(asMap(v).name)),
  };
  // What some pods have, set after the literal: a conditional spread in it costs every workload (V8 copies
  // them one by one).
  if (where.name !== undefined) facts.name = where.name;
  if (windows) facts.windows = windows;
  if (paths.madeMetadata) facts.madeAnnotations = annotationsAt(paths.madeMetadata);
  if (runAsUser !== undefined) facts.runAsUser = runAsUser;
  if (paths.claims)
    facts.claimVolumes = asList(toJSON(nodeAt(root, paths.claims), doc)).map((c) =>
      asText(asMap(asMap(c).metadata).name),
    );
  if (json.resources !== undefined) facts.resources = resourcesOf(json.resources);
  // A value the function would append to must be one it can rewrite in place (yaml/scalar-edit.ts).
  for (const c of facts.containers) {
    if (!c.javaToolOptions || !('value' in c.javaToolOptions) || c.javaToolOptions.times) continue;
    const at = [...paths.podSpec, 'containers', { name: c.name }, 'env', { name: 'JAVA_TOOL_OPTIONS' }, 'value'];
    const node = nodeAt(root, at);
    if (scalarSource(text, node) === undefined)
      c.javaToolOptions = {
        fixed: isScalar(node) && node.value === null ? 'holds no value' : 'is not written on one line',
      };
  }
  const namespace = where.namespace === undefined ? undefined : where.namespaces?.get(where.namespace);
  if (namespace?.podSecurity) facts.podSecurity = { namespace: where.namespace!, level: namespace.podSecurity };
  if (namespace) facts.meshes = { istio: namespace.istio, linkerd: namespace.linkerd };
  if (where.selectedByService !== undefined) facts.selectedByService = where.selectedByService;
  // A host-network pod is on the node's network, which NetworkPolicy does not govern: no policy isolates it.
  if (where.networkPolicies?.length) {
    const { sure, maybe } = facts.hostNetwork
      ? { sure: [], maybe: [] }
      : selecting(where.networkPolicies, where.namespace, podLabels({ root, doc }, paths));
    facts.networkPolicies = sure;
    if (maybe.length) facts.maybePolicies = maybe;
    // Only the policies' check reads them (a forwarder these name needs no DNS).
    if (json.hostAliases !== undefined)
      facts.hostAliases = asList(json.hostAliases).flatMap((a) => asList(asMap(a).hostnames).map(asText));
  }
  return facts;
}

/**
 * The pods' labels (what selectors compare): the template's as the author wrote them, as text, and the keys the
 * workload's controller sets (workloads.ts), whose values the package does not say.
 */
export function podLabels(
  { root, doc }: Pick<Resource, 'root' | 'doc'>,
  paths: { podMetadata: Path; controllerLabels?: ControllerLabels },
): PodLabels {
  const labels = asMap(toJSON(mapAt(root, [...paths.podMetadata, 'labels']), doc));
  const known = Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, asText(value)]));
  const keys = paths.controllerLabels;
  if (!keys) return { known, unknown: [] };
  const unknown = [
    ...(keys.set ?? []),
    // Set only where the template has none: the template's own value is the pods'.
    ...(keys.unless ?? []).filter((key) => !Object.hasOwn(known, key)),
    ...(keys.roles ?? []).flatMap((path) => Object.keys(asMap(toJSON(mapAt(root, path), doc)))),
  ];
  return { known, unknown };
}

/**
 * The keys the facts read (every key `containers` below reads): for a map, or a list of maps, the keys
 * read from it.
 */
interface Keys {
  readonly [key: string]: Keys | null;
}

/**
 * The keys of a map that the facts read, as toJSON gives them, down to the keys they read of the maps in
 * them (without a document: no alias or merge key to resolve). Converting the whole pod spec also converted
 * every container's command, resources and security context, a twentieth of an annotated workload's time;
 * each container's probes, env and ports whole, another share. The map's pairs are walked once: a map toJSON
 * would hand to `yaml` (a key that is no plain string) is converted whole, as toJSON does.
 */
function read(map: YAMLMap, keys: Keys): unknown {
  const out: Json = {};
  for (const { key, value } of map.items) {
    const name = plainKey(key);
    if (name === undefined) return toJSON(map);
    if (!Object.hasOwn(keys, name)) continue;
    const inner = keys[name];
    out[name] = inner ? readValue(value, inner) : toJSON(value);
  }
  return out;
}

/** A value the facts read `inner` of: a map, or a list of maps; anything else as toJSON gives it. */
function readValue(value: unknown, inner: Keys): unknown {
  if (isPlainMap(value)) return read(value, inner);
  if (!isPlainSeq(value)) return toJSON(value);
  const items: unknown[] = [];
  for (const item of value.items) items.push(isPlainMap(item) ? read(item, inner) : toJSON(item));
  return items;
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
// Every key `containers`, `probePort`, `javaToolOptionsOf`, `resourcesOf`, `uidOf`, `windowsAt` and podFacts
// read must be in these tables: a key left out reads as absent when the spec is read here (no document),
// and as written when it is converted whole (with one). test/unit/pod-facts.test.ts compares the two.
/** A probe's port (probePort), by how the kubelet connects. */
const PROBE: Keys = { httpGet: { port: null }, tcpSocket: { port: null }, grpc: { port: null } };
const CONTAINER: Keys = {
  name: null,
  image: null,
  command: null,
  args: null,
  ports: { containerPort: null, protocol: null, name: null },
  env: { name: null, value: null },
  volumeMounts: { mountPath: null },
  resources: { requests: null, limits: null },
  securityContext: { runAsUser: null },
  restartPolicy: null,
  livenessProbe: PROBE,
  readinessProbe: PROBE,
  startupProbe: PROBE,
};
const SPEC: Keys = {
  hostNetwork: null,
  os: null,
  nodeSelector: null,
  affinity: null,
  containers: CONTAINER,
  initContainers: CONTAINER,
  volumes: { name: null },
  securityContext: { runAsUser: null },
  resources: null,
  hostAliases: null,
};

/** The OS labels a nodeSelector may choose Windows nodes by (the beta one is still set on nodes). */
const OS_LABELS = ['kubernetes.io/os', 'beta.kubernetes.io/os'];

/** Where the pod spec puts the pod on Windows, if it does (PodFacts.windows). */
function windowsAt(os: unknown, nodeSelector: unknown, affinity: unknown): PodFacts['windows'] {
  if (asText(asMap(os).name) === 'windows') return 'os.name';
  const selector = asMap(nodeSelector);
  if (OS_LABELS.some((label) => asText(selector[label]) === 'windows')) return 'nodeSelector';
  // Terms are alternatives: only when every one of them allows nothing but Windows is the pod surely there.
  // A term with no expression and no field matches no node (the scheduler skips it): it allows nothing.
  const required = asMap(asMap(asMap(affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  // A loop that pushes, not map() and filter(): see `containers`.
  const terms: Json[] = [];
  for (const item of asList(required.nodeSelectorTerms)) {
    const term = asMap(item);
    if (asList(term.matchExpressions).length + asList(term.matchFields).length > 0) terms.push(term);
  }
  const windowsOnly = (term: Json) =>
    asList(term.matchExpressions)
      .map(asMap)
      .some((e) => {
        const operator = asText(e.operator);
        return (
          OS_LABELS.includes(asText(e.key)) &&
          Object.hasOwn(KEEPS_TO_WINDOWS, operator) &&
          KEEPS_TO_WINDOWS[operator](asList(e.values).map(asText))
        );
      });
  return terms.length > 0 && terms.every(windowsOnly) ? 'affinity.nodeAffinity' : undefined;
}

/**
 * Whether a requirement on a node's OS label, by its operator, keeps the pod to Windows nodes: a kubelet runs on
 * Linux or Windows and always sets the label, so leaving out `linux` leaves only Windows.
 */
const KEEPS_TO_WINDOWS: Record<string, (values: string[]) => boolean> = {
  In: (values) => values.length > 0 && values.every((v) => v === 'windows'),
  NotIn: (values) => values.includes('linux'),
};

/**
 * A mount path as the runtime places it: `/etc/ssl/certs/` and `/etc//ssl/./certs` are where the injection
 * would mount `/etc/ssl/certs`, and two mounts there fail the container. `..` is left as written.
 */
const mountPath = (path: string): string =>
  path.startsWith('/')
    ? `/${path
        .split('/')
        .filter((part) => part !== '' && part !== '.')
        .join('/')}`
    : path;

/** A container's or the pod's resources: requests and limits as written. */
function resourcesOf(value: unknown): { requests: Record<string, unknown>; limits: Record<string, unknown> } {
  const resources = asMap(value);
  return { requests: asMap(resources.requests), limits: asMap(resources.limits) };
}

/** securityContext.runAsUser, when it is a number (a uid); anything else Kubernetes refuses anyway. */
const uidOf = (securityContext: unknown): number | undefined => {
  const uid = asMap(securityContext).runAsUser;
  return typeof uid === 'number' ? uid : undefined;
};

function containers(value: unknown): ContainerFacts[] {
  // A loop that pushes, like those below: plan, the checks and their finds walk this list, and the array
  // map() made here once this was optimized threw their optimized code away.
  const all: ContainerFacts[] = [];
  for (const item of asList(value)) {
    const c = asMap(item);
    // Loops that push, not map() and filter(): the arrays map() makes in optimized code are of another kind
    // than the interpreter's, and the code reading them was thrown away and compiled again (V8's deopts).
    const ports: number[] = [];
    const tcpPorts: number[] = [];
    const nonTcp: string[] = [];
    const named = new Map<string, number>();
    const namedPorts: Record<string, number> = {};
    for (const entry of asList(c.ports)) {
      const p = asMap(entry);
      const port = Number(p.containerPort);
      ports.push(port);
      if (isTcp(p)) tcpPorts.push(port);
      else nonTcp.push(`${asText(p.containerPort)}/${asText(p.protocol)}`);
      const name = asText(p.name);
      named.set(name, port);
      if (name !== '') putOwn(namedPorts, name, port);
    }
    const env: string[] = [];
    const javaToolOptions: Json[] = [];
    for (const entry of asList(c.env)) {
      const e = asMap(entry);
      env.push(asText(e.name));
      if (e.name === 'JAVA_TOOL_OPTIONS') javaToolOptions.push(e);
    }
    const mounts: string[] = [];
    for (const m of asList(c.volumeMounts)) mounts.push(mountPath(asText(asMap(m).mountPath)));
    const probes: ProbeFacts[] = [];
    for (const kind of PROBES) if (c[kind]) probes.push({ kind, port: probePort(asMap(c[kind]), named) });
    const facts: ContainerFacts = {
      name: asText(c.name),
      image: asText(c.image),
      ports,
      env,
      mounts,
      probes,
      resources: resourcesOf(c.resources),
      tcpPorts,
      namedPorts,
      nonTcp,
    };
    // Set here rather than spread into the literal: with the spreads and the callbacks above, this was the
    // second largest compile of a run.
    if (javaToolOptions.length > 0) facts.javaToolOptions = javaToolOptionsOf(javaToolOptions);
    const runs = asList(c.command)[0] ?? asList(c.args)[0];
    if (runs !== undefined) facts.runs = asText(runs);
    const runAsUser = uidOf(c.securityContext);
    if (runAsUser !== undefined) facts.runAsUser = runAsUser;
    if (c.restartPolicy === 'Always') facts.sidecar = true;
    all.push(facts);
  }
  return all;
}

/**
 * `object[key] = value` as Object.fromEntries sets it, an own property whatever the key: `__proto__` would
 * set the prototype. Object.fromEntries of the named ports was a third of `containers`' own time.
 */
function putOwn(object: Record<string, number>, key: string, value: number): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/**
 * JAVA_TOOL_OPTIONS as the container sets it: the last entry's, which is what the kubelet passes when the
 * name is set more than once (`times`; each entry replaces the one before, and none is appended to then).
 */
function javaToolOptionsOf(entries: Json[]): ContainerFacts['javaToolOptions'] {
  const last = entries[entries.length - 1];
  if (!('value' in last)) return { fixed: 'comes from valueFrom' };
  const value = asText(last.value);
  return entries.length > 1 ? { value, times: entries.length } : { value };
}

/** Whether a port (a container's or a Service's) is TCP: a protocol left unset (absent, null, "") is. */
export const isTcp = (port: Json): boolean => unset(port.protocol) || port.protocol === 'TCP';

/** The TCP ones of a container's ports. */
const tcp = (ports: Json[]): number[] => ports.filter(isTcp).map((p) => Number(p.containerPort));

/** The distinct TCP ports the pod's app containers declare, read before the rest of the facts are. */
export function appTcpPorts({ root, doc }: Resource, podSpec: Path): number[] {
  const containers = asList(toJSON(mapAt(root, podSpec)?.get('containers', true), doc));
  return [...new Set(containers.flatMap((c) => tcp(asList(asMap(c).ports).map(asMap))))];
}

/** The port a kubelet probe connects to; exec probes have none. */
function probePort(probe: Json, named: Map<string, number>): number | undefined {
  const port = asMap(probe.httpGet).port ?? asMap(probe.tcpSocket).port ?? asMap(probe.grpc).port;
  if (port === undefined) return undefined;
  return typeof port === 'number' ? port : /^\d+$/.test(asText(port)) ? Number(port) : named.get(asText(port));
}
