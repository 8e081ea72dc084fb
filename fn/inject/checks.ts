/**
 * Facts about a pod that decide whether it can be injected. Facts, decision and wording stay apart:
 * `findings()` gathers facts, the REASONS table says what each means and how it is worded.
 */
import type { Settings } from '../config/settings-type';
import { OWN_CONTAINERS } from '../render/names';
import { RUN_TO_COMPLETION } from '../workloads';

export interface PodFacts {
  kind: string;
  hostNetwork: boolean;
  containers: ContainerFacts[];
  initContainers: ContainerFacts[];
  podAnnotations: Record<string, unknown>;
}

export interface ContainerFacts {
  name: string;
  image: string;
  ports: number[];
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
  'no-containers': { severity: 'error', action: 'block', message: () => 'not injected: the pod template has no containers' },
  'port-conflict': {
    severity: 'error',
    action: 'block',
    message: (d) => `not injected: ${d}; set proxy-in-port/proxy-out-port to free ports`,
  },
  linkerd: {
    severity: 'error',
    action: 'block',
    message: (d) => `not injected: ${d}; Linkerd's proxy uses the same ports (4143/4140) and uid (2102) as goproxy, so the two cannot share a pod`,
  },
  istio: {
    severity: 'warning',
    action: 'inject',
    message: (d) => `${d}: Istio and goproxy both redirect with iptables; set istio-cni: "true" if Istio runs with its CNI agent, and check Speedscale's Istio guide`,
  },
  'foreign-speedscale': {
    severity: 'error',
    action: 'block',
    message: (d) => `not injected: container ${d} exists but was not added by this function (no injection record); remove it, then run again`,
  },
  'run-to-completion': {
    severity: 'warning',
    action: 'inject',
    message: (d) => `${d} pods will not complete: the classic goproxy sidecar keeps running after the app exits; set nativeSidecar: true (Kubernetes >= 1.29) so the Job can finish`,
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

export function findings(pod: PodFacts, s: Settings): Finding[] {
  const out: Finding[] = [];
  const all = [...pod.containers, ...pod.initContainers];
  if (pod.hostNetwork) out.push({ code: 'host-network', detail: '', field: 'hostNetwork' });
  if (pod.containers.length === 0) out.push({ code: 'no-containers', detail: '', field: 'containers' });
  const linkerd = all.find((c) => c.name === 'linkerd-proxy' || c.name === 'linkerd-init' || LINKERD.test(c.image));
  if (linkerd) out.push({ code: 'linkerd', detail: `container ${linkerd.name} is a Linkerd proxy` });
  else if (pod.podAnnotations['linkerd.io/inject'] === 'enabled') out.push({ code: 'linkerd', detail: 'linkerd.io/inject: enabled asks Linkerd to inject its proxy' });
  const istio = all.find((c) => c.name === 'istio-proxy' || c.name === 'istio-init');
  if (istio) out.push({ code: 'istio', detail: `container ${istio.name} is an Istio proxy` });
  for (const [index, c] of pod.containers.entries()) {
    const clash = c.ports.filter((p) => p === s.proxyInPort || p === s.proxyOutPort);
    if (clash.length) {
      out.push({ code: 'port-conflict', detail: `container ${c.name} already listens on ${clash.join(', ')}`, field: `containers[${index}].ports` });
    }
  }
  // Facts are read after our own recorded additions were removed, so any Speedscale container left is someone else's.
  const foreign = all.find((c) => OWN_CONTAINERS.includes(c.name as never));
  if (foreign) out.push({ code: 'foreign-speedscale', detail: foreign.name });
  if (RUN_TO_COMPLETION.has(pod.kind) && !s.nativeSidecar) out.push({ code: 'run-to-completion', detail: pod.kind });
  if (s.proxyType !== 'transparent') out.push({ code: 'non-transparent', detail: s.proxyType });
  return out;
}

/** The strongest action among the findings: block beats skip beats inject. */
export function decide(found: readonly Finding[]): Action {
  const actions = new Set(found.map((f) => REASONS[f.code].action as Action));
  return actions.has('block') ? 'block' : actions.has('skip') ? 'skip' : 'inject';
}
