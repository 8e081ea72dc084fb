/**
 * What the pod's facts mean for injection, as one table: each check finds its cases, says how serious
 * they are, what they do to the workload (inject anyway, skip it, or block and change nothing) and how
 * they are worded. A new reason is one entry here and a row in test/unit/checks.test.ts. The table's
 * order is the order results are reported in.
 */
import type { Settings } from '../config/settings-type';
import { appEnv, appMounts, podVolumes, scrapeAnnotations } from '../render/app';
import type { Severity } from '../results';
import {
  ISTIO_INJECT_ANNOTATION,
  LINKERD_INJECT_ANNOTATION,
  OWN_CONTAINERS,
  POD_SECURITY_ENFORCE_LABEL,
  EBPF_CAPTURE_PREFIX,
} from '../vocabulary';
import { RUN_TO_COMPLETION } from '../workloads';
import { text } from '../json';
import type { PodFacts } from './pod-facts';

/** skip: leave the workload without a sidecar; block: change nothing and fail; inject: go ahead and say so. */
export type Action = 'inject' | 'skip' | 'block';

/** One case a check found: its detail for the wording, and the field it is about (relative to the pod spec). */
export interface Case {
  detail: string;
  field?: string;
}

interface PodCheck {
  severity: Severity;
  action: Action;
  find: (pod: PodFacts, s: Settings) => (Case | false | undefined)[];
  message: (detail: string) => string;
}

const LINKERD_IMAGE = /(^|\/)linkerd[^/]*proxy/;

export const POD_CHECKS = {
  'host-network': {
    severity: 'warning',
    action: 'skip',
    find: (pod) => [pod.hostNetwork && { detail: '', field: 'hostNetwork' }],
    message: () =>
      'not injected: the pod uses hostNetwork: true, where iptables redirection would capture the whole node; ' +
      'use proxy-type reverse, forward or dual instead',
  },
  'no-containers': {
    severity: 'error',
    action: 'block',
    find: (pod) => [pod.containers.length === 0 && { detail: '', field: 'containers' }],
    message: () => 'not injected: the pod template has no containers',
  },
  linkerd: {
    severity: 'error',
    action: 'block',
    find: firstMarker([
      (pod) => {
        const c = [...pod.containers, ...pod.initContainers].find(
          (c) => c.name === 'linkerd-proxy' || c.name === 'linkerd-init' || LINKERD_IMAGE.test(c.image),
        );
        return c && `container ${c.name} is a Linkerd proxy`;
      },
      (pod) =>
        pod.podAnnotations[LINKERD_INJECT_ANNOTATION] === 'enabled'
          ? `${LINKERD_INJECT_ANNOTATION}: enabled asks Linkerd to inject its proxy`
          : undefined,
      (pod) =>
        pod.meshes?.linkerd && pod.podAnnotations[LINKERD_INJECT_ANNOTATION] !== 'disabled'
          ? `${pod.meshes.linkerd}, so Linkerd injects its proxy`
          : undefined,
    ]),
    message: (d) =>
      `not injected: ${d}; Linkerd's proxy uses the same ports (4143/4140) and uid (2102) as goproxy, ` +
      'so the two cannot share a pod',
  },
  istio: {
    severity: 'warning',
    action: 'inject',
    find: firstMarker([
      (pod) => {
        const c = [...pod.containers, ...pod.initContainers].find(
          (c) => c.name === 'istio-proxy' || c.name === 'istio-init',
        );
        return c && `container ${c.name} is an Istio proxy`;
      },
      (pod) =>
        pod.podAnnotations[ISTIO_INJECT_ANNOTATION] === 'true'
          ? `${ISTIO_INJECT_ANNOTATION}: "true" asks Istio to inject its proxy`
          : undefined,
      (pod) =>
        pod.meshes?.istio && pod.podAnnotations[ISTIO_INJECT_ANNOTATION] !== 'false'
          ? `${pod.meshes.istio}, so Istio injects its proxy`
          : undefined,
    ]),
    message: (d) =>
      `${d}: Istio and goproxy both redirect with iptables; set istio-cni: "true" if Istio runs with its CNI ` +
      "agent, and check Speedscale's Istio guide",
  },
  'ebpf-capture': {
    severity: 'error',
    action: 'block',
    find: (pod) => {
      const on = (where: string, annotations: Record<string, unknown> = {}) => {
        const key = Object.keys(annotations).find((k) => k.startsWith(EBPF_CAPTURE_PREFIX));
        return key === undefined ? undefined : { detail: `${where} annotation ${key}` };
      };
      return [on('the workload', pod.workloadAnnotations) ?? on('the pod template', pod.podAnnotations)];
    },
    message: (d) =>
      `not injected: ${d} asks for Speedscale's eBPF capture, which the operator never combines with the ` +
      `sidecar; remove the ${EBPF_CAPTURE_PREFIX}* or the sidecar.speedscale.com/inject annotations`,
  },
  'pod-security': {
    severity: 'error',
    action: 'block',
    find: (pod) => [
      !!pod.podSecurity &&
        ['baseline', 'restricted'].includes(pod.podSecurity.level) && {
          detail: `namespace ${pod.podSecurity.namespace} enforces Pod Security "${pod.podSecurity.level}"`,
        },
    ],
    message: (d) =>
      `not injected: ${d}, which rejects the injected containers (root with NET_ADMIN and NET_RAW for ` +
      `iptables, NET_RAW for the proxy); label the namespace ${POD_SECURITY_ENFORCE_LABEL}: privileged, or take ` +
      'sidecar.speedscale.com/inject off this workload',
  },
  'port-conflict': {
    severity: 'error',
    action: 'block',
    find: portConflicts,
    message: (d) => `not injected: ${d}; set proxy-in-port/proxy-out-port to free ports`,
  },
  'foreign-speedscale': {
    severity: 'error',
    action: 'block',
    find: foreign,
    message: (d) =>
      `not injected: ${d} exists but was not added by this function (no injection record); remove it, then run again`,
  },
  'user-value': {
    severity: 'warning',
    action: 'inject',
    find: userValues,
    message: (d) =>
      `${d}: kept as written, the injected value is not added; remove it there if the Speedscale one should apply`,
  },
  'probe-redirected': {
    severity: 'warning',
    action: 'inject',
    find: redirectedProbes,
    message: (d) =>
      `${d} goes through the proxy (capture-node-traffic is true), so it fails whenever goproxy is not ready; ` +
      'add its port to ignore-inbound-ports to exempt it',
  },
  'init-before-proxy': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => [
      s.insertInitFirst &&
        !s.nativeSidecar &&
        s.proxyType === 'transparent' &&
        pod.initContainers.length > 0 && {
          detail: `the workload's init containers (${pod.initContainers.map((c) => c.name).join(', ')})`,
          field: 'initContainers',
        },
    ],
    message: (d) =>
      `${d} run after the iptables redirect (insert-init-first) but before the classic proxy starts, so their ` +
      'outbound TCP connections are refused; set nativeSidecar: true, or leave insert-init-first off',
  },
  'run-to-completion': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => [RUN_TO_COMPLETION.has(pod.kind) && !s.nativeSidecar && { detail: pod.kind }],
    message: (d) =>
      `${d} pods will not complete: the classic goproxy sidecar keeps running after the app exits; ` +
      'set nativeSidecar: true (Kubernetes >= 1.29) so the Job can finish',
  },
  'non-transparent': {
    severity: 'info',
    action: 'inject',
    find: (_pod, s) => [s.proxyType !== 'transparent' && { detail: s.proxyType }],
    message: (d) => `proxy type ${d}: no iptables init container; the app must send its traffic to the proxy itself`,
  },
} satisfies Record<string, PodCheck>;

export type PodCheckCode = keyof typeof POD_CHECKS;

export interface Finding extends Case {
  code: PodCheckCode;
}

/** Every case of every check, in the table's order. */
export function findings(pod: PodFacts, s: Settings): Finding[] {
  return (Object.entries(POD_CHECKS) as [PodCheckCode, PodCheck][]).flatMap(([code, check]) =>
    check.find(pod, s).flatMap((c) => (c ? [{ code, ...c }] : [])),
  );
}

/** The strongest action among the findings: block beats skip beats inject. */
export function decide(found: readonly Finding[]): Action {
  const actions = new Set(found.map((f) => POD_CHECKS[f.code].action));
  return actions.has('block') ? 'block' : actions.has('skip') ? 'skip' : 'inject';
}

/** A mesh check: the first marker that fires names the mesh's proxy. */
function firstMarker(markers: ((pod: PodFacts) => string | undefined)[]): PodCheck['find'] {
  return (pod) => {
    const detail = markers.map((marker) => marker(pod)).find(Boolean);
    return [detail !== undefined && { detail }];
  };
}

function portConflicts(pod: PodFacts, s: Settings): Case[] {
  const ours = [s.proxyInPort, s.proxyOutPort, ...(s.prometheusPort === undefined ? [] : [s.prometheusPort])];
  return pod.containers.flatMap((c, index) => {
    const clash = c.ports.filter((p) => ours.includes(p));
    return clash.length
      ? [{ detail: `container ${c.name} already listens on ${clash.join(', ')}`, field: `containers[${index}].ports` }]
      : [];
  });
}

/** Facts are read after our own recorded additions were removed, so any Speedscale name left is someone else's. */
function foreign(pod: PodFacts, s: Settings): Case[] {
  const container = [...pod.containers, ...pod.initContainers].find((c) => OWN_CONTAINERS.includes(c.name as never));
  const volume = podVolumes(s).find((v) => pod.volumes?.includes(v.name));
  return [
    ...(container ? [{ detail: `container ${container.name}` }] : []),
    ...(volume ? [{ detail: `volume ${volume.name}`, field: 'volumes' }] : []),
  ];
}

/** Values the user set where the injector would add its own: they win, and the user hears about it. */
function userValues(pod: PodFacts, s: Settings): Case[] {
  const out: Case[] = [];
  const env = appEnv(s).map((v) => v.name);
  const mounts = appMounts(s).map((m) => m.mountPath);
  for (const [index, c] of pod.containers.entries()) {
    for (const name of env.filter((n) => c.env?.includes(n)))
      out.push({ detail: `container ${c.name} sets ${name}`, field: `containers[${index}].env` });
    for (const path of mounts.filter((p) => c.mounts?.includes(p)))
      out.push({ detail: `container ${c.name} already mounts ${path}`, field: `containers[${index}].volumeMounts` });
  }
  for (const [key, value] of Object.entries(scrapeAnnotations(s))) {
    const current = pod.podAnnotations[key];
    if (current !== undefined && text(current) !== value)
      out.push({ detail: `pod annotation ${key} is ${JSON.stringify(current)}` });
  }
  return out;
}

/** Kubelet probes come from the node: redirected only in transparent mode with capture-node-traffic on. */
function redirectedProbes(pod: PodFacts, s: Settings): Case[] {
  if (s.proxyType !== 'transparent' || !s.captureNodeTraffic || s.ignoreSrcIps.trim() === '*') return [];
  const exempt = new Set(s.ignoreInboundPorts.split(',').map((p) => Number(p.trim())));
  return pod.containers.flatMap((c, index) =>
    (c.probes ?? [])
      .filter((p) => p.port !== undefined && !exempt.has(p.port))
      .map((p) => ({
        detail: `${p.kind} of container ${c.name} (port ${p.port})`,
        field: `containers[${index}].${p.kind}`,
      })),
  );
}
