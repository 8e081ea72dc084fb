/**
 * Facts about a pod that decide whether it can be injected. Facts, decision and wording stay apart:
 * `findings()` gathers facts, the REASONS table says what each means and how it is worded.
 */
import type { Settings } from '../config/settings-type';
import { appEnv, appMounts, podVolumes, scrapeAnnotations } from '../render/app';
import { OWN_CONTAINERS } from '../render/names';
import { RUN_TO_COMPLETION } from '../workloads';

export interface PodFacts {
  kind: string;
  hostNetwork: boolean;
  containers: ContainerFacts[];
  initContainers: ContainerFacts[];
  podAnnotations: Record<string, unknown>;
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
}

export type Action = 'inject' | 'skip' | 'block';

interface Reason {
  severity: 'error' | 'warning' | 'info';
  /** skip: leave the workload without a sidecar; block: change nothing and fail; inject: go ahead and say so. */
  action: Action;
  message: (detail: string) => string;
}

export const REASONS = {
  'host-network': {
    severity: 'warning',
    action: 'skip',
    message: () =>
      'not injected: the pod uses hostNetwork: true, where iptables redirection would capture the whole node; use proxy-type reverse, forward or dual instead',
  },
  'no-containers': {
    severity: 'error',
    action: 'block',
    message: () => 'not injected: the pod template has no containers',
  },
  'port-conflict': {
    severity: 'error',
    action: 'block',
    message: (d) => `not injected: ${d}; set proxy-in-port/proxy-out-port to free ports`,
  },
  linkerd: {
    severity: 'error',
    action: 'block',
    message: (d) =>
      `not injected: ${d}; Linkerd's proxy uses the same ports (4143/4140) and uid (2102) as goproxy, so the two cannot share a pod`,
  },
  istio: {
    severity: 'warning',
    action: 'inject',
    message: (d) =>
      `${d}: Istio and goproxy both redirect with iptables; set istio-cni: "true" if Istio runs with its CNI agent, and check Speedscale's Istio guide`,
  },
  'foreign-speedscale': {
    severity: 'error',
    action: 'block',
    message: (d) =>
      `not injected: ${d} exists but was not added by this function (no injection record); remove it, then run again`,
  },
  unplaceable: {
    severity: 'error',
    action: 'block',
    message: (d) =>
      `not injected: ${d} is neither absent nor the list or map the injection adds to (an empty key or a scalar); write [] or {}, or remove the key`,
  },
  aliased: {
    severity: 'error',
    action: 'block',
    message: (d) =>
      `not injected: ${d} is shared through a YAML anchor (&name) and alias (*name); adding to it would change every place that uses it; write it out in full here`,
  },
  'pod-security': {
    severity: 'error',
    action: 'block',
    message: (d) =>
      `not injected: ${d}, which rejects the injected containers (root with NET_ADMIN and NET_RAW for iptables, NET_RAW for the proxy); label the namespace pod-security.kubernetes.io/enforce: privileged, or take sidecar.speedscale.com/inject off this workload`,
  },
  'user-value': {
    severity: 'warning',
    action: 'inject',
    message: (d) =>
      `${d}: kept as written, the injected value is not added; remove it there if the Speedscale one should apply`,
  },
  'probe-redirected': {
    severity: 'warning',
    action: 'inject',
    message: (d) =>
      `${d} goes through the proxy (capture-node-traffic is true), so it fails whenever goproxy is not ready; add its port to ignore-inbound-ports to exempt it`,
  },
  'init-before-proxy': {
    severity: 'warning',
    action: 'inject',
    message: (d) =>
      `${d} run after the iptables redirect (insert-init-first) but before the classic proxy starts, so their outbound TCP connections are refused; set nativeSidecar: true, or leave insert-init-first off`,
  },
  'run-to-completion': {
    severity: 'warning',
    action: 'inject',
    message: (d) =>
      `${d} pods will not complete: the classic goproxy sidecar keeps running after the app exits; set nativeSidecar: true (Kubernetes >= 1.29) so the Job can finish`,
  },
  'non-transparent': {
    severity: 'info',
    action: 'inject',
    message: (d) => `proxy type ${d}: no iptables init container; the app must send its traffic to the proxy itself`,
  },
} satisfies Record<string, Reason>;

export type ReasonCode = keyof typeof REASONS;

export interface Finding {
  code: ReasonCode;
  detail: string;
  /** Field the finding is about, relative to the pod spec ('' = the pod spec itself). */
  field?: string;
}

const LINKERD = /(^|\/)linkerd[^/]*proxy/;

type Check = (pod: PodFacts, s: Settings) => Array<Finding | undefined | false>;

const LINKERD_MARKERS: Array<(pod: PodFacts) => string | undefined> = [
  (pod) => {
    const c = [...pod.containers, ...pod.initContainers].find(
      (c) => c.name === 'linkerd-proxy' || c.name === 'linkerd-init' || LINKERD.test(c.image),
    );
    return c && `container ${c.name} is a Linkerd proxy`;
  },
  (pod) =>
    pod.podAnnotations['linkerd.io/inject'] === 'enabled'
      ? 'linkerd.io/inject: enabled asks Linkerd to inject its proxy'
      : undefined,
  (pod) =>
    pod.meshes?.linkerd && pod.podAnnotations['linkerd.io/inject'] !== 'disabled'
      ? `${pod.meshes.linkerd}, so Linkerd injects its proxy`
      : undefined,
];

const ISTIO_MARKERS: Array<(pod: PodFacts) => string | undefined> = [
  (pod) => {
    const c = [...pod.containers, ...pod.initContainers].find(
      (c) => c.name === 'istio-proxy' || c.name === 'istio-init',
    );
    return c && `container ${c.name} is an Istio proxy`;
  },
  (pod) =>
    pod.podAnnotations['sidecar.istio.io/inject'] === 'true'
      ? 'sidecar.istio.io/inject: "true" asks Istio to inject its proxy'
      : undefined,
  (pod) =>
    pod.meshes?.istio && pod.podAnnotations['sidecar.istio.io/inject'] !== 'false'
      ? `${pod.meshes.istio}, so Istio injects its proxy`
      : undefined,
];

/** The first marker that fires names the mesh's proxy. */
const mesh =
  (code: 'linkerd' | 'istio', markers: Array<(pod: PodFacts) => string | undefined>): Check =>
  (pod) => {
    const detail = markers.map((marker) => marker(pod)).find(Boolean);
    return [detail !== undefined && { code, detail }];
  };

/** Every check, in the order its results are reported. */
const CHECKS: Check[] = [
  (pod) => [pod.hostNetwork && { code: 'host-network', detail: '', field: 'hostNetwork' }],
  (pod) => [pod.containers.length === 0 && { code: 'no-containers', detail: '', field: 'containers' }],
  mesh('linkerd', LINKERD_MARKERS),
  mesh('istio', ISTIO_MARKERS),
  (pod) => [
    !!pod.podSecurity &&
      ['baseline', 'restricted'].includes(pod.podSecurity.level) && {
        code: 'pod-security',
        detail: `namespace ${pod.podSecurity.namespace} enforces Pod Security "${pod.podSecurity.level}"`,
      },
  ],
  portConflicts,
  foreign,
  userValues,
  redirectedProbes,
  (pod, s) => [
    s.insertInitFirst &&
      !s.nativeSidecar &&
      s.proxyType === 'transparent' &&
      pod.initContainers.length > 0 && {
        code: 'init-before-proxy',
        detail: `the workload's init containers (${pod.initContainers.map((c) => c.name).join(', ')})`,
        field: 'initContainers',
      },
  ],
  (pod, s) => [RUN_TO_COMPLETION.has(pod.kind) && !s.nativeSidecar && { code: 'run-to-completion', detail: pod.kind }],
  (_pod, s) => [s.proxyType !== 'transparent' && { code: 'non-transparent', detail: s.proxyType }],
];

export function findings(pod: PodFacts, s: Settings): Finding[] {
  return CHECKS.flatMap((check) => check(pod, s)).filter((f): f is Finding => !!f);
}

function portConflicts(pod: PodFacts, s: Settings): Finding[] {
  const ours = [s.proxyInPort, s.proxyOutPort, ...(s.prometheusPort === undefined ? [] : [s.prometheusPort])];
  return pod.containers.flatMap((c, index) => {
    const clash = c.ports.filter((p) => ours.includes(p));
    return clash.length
      ? [
          {
            code: 'port-conflict' as const,
            detail: `container ${c.name} already listens on ${clash.join(', ')}`,
            field: `containers[${index}].ports`,
          },
        ]
      : [];
  });
}

/** Facts are read after our own recorded additions were removed, so any Speedscale name left is someone else's. */
function foreign(pod: PodFacts, s: Settings): Finding[] {
  const container = [...pod.containers, ...pod.initContainers].find((c) => OWN_CONTAINERS.includes(c.name as never));
  const volume = podVolumes(s).find((v) => pod.volumes?.includes(v.name));
  return [
    ...(container ? [{ code: 'foreign-speedscale' as const, detail: `container ${container.name}` }] : []),
    ...(volume ? [{ code: 'foreign-speedscale' as const, detail: `volume ${volume.name}`, field: 'volumes' }] : []),
  ];
}

/** Values the user set where the injector would add its own: they win, and the user hears about it. */
function userValues(pod: PodFacts, s: Settings): Finding[] {
  const out: Finding[] = [];
  const env = appEnv(s).map((v) => v.name);
  const mounts = appMounts(s).map((m) => m.mountPath);
  for (const [index, c] of pod.containers.entries()) {
    for (const name of env.filter((n) => c.env?.includes(n)))
      out.push({ code: 'user-value', detail: `container ${c.name} sets ${name}`, field: `containers[${index}].env` });
    for (const path of mounts.filter((p) => c.mounts?.includes(p))) {
      out.push({
        code: 'user-value',
        detail: `container ${c.name} already mounts ${path}`,
        field: `containers[${index}].volumeMounts`,
      });
    }
  }
  for (const [key, value] of Object.entries(scrapeAnnotations(s))) {
    const current = pod.podAnnotations[key];
    if (current !== undefined && String(current) !== value)
      out.push({ code: 'user-value', detail: `pod annotation ${key} is ${JSON.stringify(current)}` });
  }
  return out;
}

/** Kubelet probes come from the node: redirected only in transparent mode with capture-node-traffic on. */
function redirectedProbes(pod: PodFacts, s: Settings): Finding[] {
  if (s.proxyType !== 'transparent' || !s.captureNodeTraffic || s.ignoreSrcIps.trim() === '*') return [];
  const exempt = new Set(s.ignoreInboundPorts.split(',').map((p) => Number(p.trim())));
  return pod.containers.flatMap((c, index) =>
    (c.probes ?? [])
      .filter((p) => p.port !== undefined && !exempt.has(p.port))
      .map((p) => ({
        code: 'probe-redirected' as const,
        detail: `${p.kind} of container ${c.name} (port ${p.port})`,
        field: `containers[${index}].${p.kind}`,
      })),
  );
}

/** The strongest action among the findings: block beats skip beats inject. */
export function decide(found: readonly Finding[]): Action {
  const actions = new Set(found.map((f) => REASONS[f.code].action as Action));
  return actions.has('block') ? 'block' : actions.has('skip') ? 'skip' : 'inject';
}
