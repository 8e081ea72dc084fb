/**
 * What the pod's facts mean for injection, as one table: each check finds its cases, says how serious
 * they are and what they do to the workload (inject anyway, skip it, or block and change nothing); its
 * words are its reason's in reasons.ts. A new check is one entry here, its reason there, and a row in
 * test/unit/checks.test.ts. The table's order is the order results are reported in.
 */
import { appProxyApplies, forwardsOutbound, pointsServices, reversesInbound } from '../config/proxy-types';
import { kebab } from '../config/schema';
import type { Settings } from '../config/settings.generated';
import { appEnv, appMounts, podVolumes, scrapeAnnotations } from '../render/app';
import type { Reason } from '../reasons';
import type { Severity } from '../results';
import {
  EBPF_CAPTURE_PREFIX,
  GOPROXY_DIAGNOSTICS_PORT,
  INJECT_ANNOTATION,
  ISTIO_INJECT_ANNOTATION,
  LINKERD_INJECT_ANNOTATION,
  OPERATOR_IGNORE_ANNOTATION,
  OWN_CONTAINERS,
  PROXY_IN_PORT,
} from '../vocabulary';
import { RUN_TO_COMPLETION } from '../workloads';
import { asText } from '../shape';
import { containerProxy } from './app-proxy';
import { advice, unfit, type FitContext } from './environment-fit';
import { allows, egressRefused } from './network-policies';
import type { ContainerFacts, PodFacts } from './pod-facts';
import { podResourceCases } from './pod-resources';

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
  /** `context`: whose the settings are (the environment's checks need it; the others read the values alone). */
  find: (pod: PodFacts, s: Settings, context: FitContext) => (Case | false | undefined)[];
  /** Found, it is the whole answer: no setting could make the pod take the sidecar, so nothing else is asked. */
  alone?: true;
}

/** What puts a pod on Windows (PodFacts.windows), in the windows finding's words. */
const WINDOWS_BY: Record<NonNullable<PodFacts['windows']>, string> = {
  'os.name':
    "spec.os.name: windows, for which the API server also refuses the injected containers' Linux " +
    'securityContext (runAsUser, capabilities)',
  nodeSelector: 'its nodeSelector picks Windows nodes',
  'affinity.nodeAffinity': 'its required node affinity picks only Windows nodes',
};

const NO_CONTEXT: FitContext = { given: new Set(), decided: {} };

const LINKERD_IMAGE = /(^|\/)linkerd[^/]*proxy/;

export const POD_CHECKS = {
  // Only iptables is the node's problem: reverse, forward and dual are Speedscale's answer for these pods.
  'host-network': {
    severity: 'warning',
    action: 'skip',
    find: (pod, s) => [pod.hostNetwork && s.proxyType === 'transparent' && { detail: '', field: 'hostNetwork' }],
  },
  // There the proxy listens on the node's own addresses: two such pods on one node cannot both bind its ports.
  'host-network-ports': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => [
      pod.hostNetwork &&
        s.proxyType !== 'transparent' && { detail: `${s.proxyInPort}, ${s.proxyOutPort}`, field: 'hostNetwork' },
    ],
  },
  // Nothing makes a Windows pod take Linux containers: the only finding, whatever else would block.
  windows: {
    severity: 'warning',
    action: 'skip',
    alone: true,
    find: (pod) => [
      pod.windows && {
        detail: WINDOWS_BY[pod.windows],
        field: pod.windows,
      },
    ],
  },
  'no-containers': {
    severity: 'error',
    action: 'block',
    find: (pod) => [pod.containers.length === 0 && { detail: '', field: 'containers' }],
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
  },
  istio: {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => (rendersRules(s) ? [] : istioMarker(pod)),
  },
  // The rendered rules exempt only goproxy's uid: Istio's proxy (uid 1337) and goproxy then redirect each other's
  // outbound connections in a loop (shown in a network namespace, whichever rules come first).
  'istio-iptables': {
    severity: 'error',
    action: 'block',
    find: (pod, s) =>
      !rendersRules(s)
        ? []
        : [
            istioMarker(pod)[0] ||
              (s.istioCni && { detail: 'istio-cni: "true" says Istio runs here, with its CNI agent' }),
          ],
  },
  'ebpf-capture': {
    severity: 'error',
    action: 'block',
    find: (pod) => {
      // "false" (capture.speedscale.com/enabled, the opt-in, or java-agent) asks for no eBPF capture at all.
      const on = (where: string, annotations: Record<string, unknown> = {}) => {
        const key = Object.keys(annotations).find(
          (k) => k.startsWith(EBPF_CAPTURE_PREFIX) && asText(annotations[k]) !== 'false',
        );
        return key === undefined ? undefined : { detail: `${where} annotation ${key}` };
      };
      return [
        on('the workload', pod.workloadAnnotations) ??
          on('the jobTemplate', pod.madeAnnotations) ??
          on('the pod template', pod.podAnnotations),
      ];
    },
  },
  'pod-security': {
    severity: 'error',
    action: 'block',
    find: (pod, s) => [
      !!pod.podSecurity &&
        !admits(pod.podSecurity.level, s) && {
          detail:
            `namespace ${pod.podSecurity.namespace} enforces Pod Security "${pod.podSecurity.level}", which ` +
            `rejects ${rejected(s)}`,
        },
    ],
  },
  'port-conflict': {
    severity: 'error',
    action: 'block',
    find: portConflicts,
  },
  'foreign-speedscale': {
    severity: 'error',
    action: 'block',
    find: foreign,
  },
  // The StatefulSet controller swaps a pod volume named like a claim template for the claim: ours would go.
  'claim-name': {
    severity: 'error',
    action: 'block',
    find: (pod, s) => podVolumes(s).map((v) => !!pod.claimVolumes?.includes(v.name) && { detail: v.name }),
  },
  'pod-resources': {
    severity: 'error',
    action: 'block',
    find: podResourceCases,
  },
  'user-value': {
    severity: 'warning',
    action: 'inject',
    find: userValues,
  },
  'probe-redirected': {
    severity: 'warning',
    action: 'inject',
    find: redirectedProbes,
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
  },
  'run-to-completion': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => [RUN_TO_COMPLETION.has(pod.kind) && !s.nativeSidecar && { detail: pod.kind }],
  },
  'non-transparent': {
    severity: 'info',
    action: 'inject',
    find: (_pod, s) => [s.proxyType !== 'transparent' && { detail: `${s.proxyType}: ${appSide(s)}` }],
  },
  // A Service in another package, or left out of this run (kpt's --match-kind), keeps sending callers to the
  // app's port: the proxy sees none of them.
  'no-service': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => [pointsServices(s) && pod.selectedByService === 'no' && { detail: String(s.proxyInPort) }],
  },
  // One that names a label the pods' controller sets may select them or not: it is not pointed at the proxy.
  'service-maybe': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => {
      const selection = pod.selectedByService;
      return [pointsServices(s) && typeof selection === 'object' && { detail: selection.maybe.join('; ') }];
    },
  },
  // A policy that isolates the pods admits the ports it lists: the reverse proxy's in-port is new to it.
  'network-policy': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => [reversesInbound(s) && inPortRefused(pod, s)],
  },
  // Every proxy type sends what it captures to the forwarder, from the pod: a policy can leave it nowhere to go.
  'egress-denied': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => {
      const why = egressRefused(pod.networkPolicies ?? [], s.forwarderAddr, pod.hostAliases, pod.maybePolicies);
      return [why !== undefined && { detail: why }];
    },
  },
  'environment-unfit': {
    severity: 'error',
    action: 'block',
    find: unfit,
  },
  'environment-advice': {
    severity: 'warning',
    action: 'inject',
    find: advice,
  },
  'app-proxy': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => pod.containers.flatMap((c, index) => containerProxy(c, index, s).kept),
  },
  'no-name': {
    severity: 'error',
    action: 'block',
    find: (pod) => [pod.name === '' && { detail: '' }],
  },
  // The iptables rules let the proxy's own uid through (no loop): an app running as that uid is not captured.
  'proxy-uid': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) =>
      s.proxyType !== 'transparent'
        ? []
        : pod.containers.map(
            (c, index) =>
              (c.runAsUser ?? pod.runAsUser) === s.proxyUid && {
                detail: `container ${c.name} runs as uid ${s.proxyUid}`,
                field:
                  c.runAsUser === undefined
                    ? 'securityContext.runAsUser'
                    : `containers[${index}].securityContext.runAsUser`,
              },
          ),
  },
  'non-tcp-port': {
    severity: 'warning',
    action: 'inject',
    find: (pod) =>
      pod.containers.map(
        (c, index) =>
          !!c.nonTcp?.length && {
            detail: `container ${c.name} declares ${c.nonTcp.join(', ')}`,
            field: `containers[${index}].ports`,
          },
      ),
  },
  // Not ours to move (no setting names it), so a warning, where port-conflict refuses.
  'diagnostics-port': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => {
      const found = runningPorts(pod, (c) =>
        c.ports.includes(GOPROXY_DIAGNOSTICS_PORT)
          ? `container ${c.name} listens on ${GOPROXY_DIAGNOSTICS_PORT}`
          : undefined,
      );
      for (const key of ['proxyInPort', 'proxyOutPort', 'prometheusPort'] as const)
        if (s[key] === GOPROXY_DIAGNOSTICS_PORT) found.push({ detail: `${kebab(key)} is ${GOPROXY_DIAGNOSTICS_PORT}` });
      return found;
    },
  },
  // The operator's webhook strips the sidecar from a workload without inject "true", unless told to skip it.
  'operator-strips': {
    severity: 'warning',
    action: 'inject',
    find: (pod, s) => [
      !s.operatorIgnore &&
        ![pod.workloadAnnotations, pod.madeAnnotations, pod.podAnnotations].some(
          (annotations) =>
            asText(annotations?.[INJECT_ANNOTATION]) === 'true' ||
            asText(annotations?.[OPERATOR_IGNORE_ANNOTATION]) === 'true',
        ) && { detail: '' },
    ],
  },
} satisfies Partial<Record<Reason, PodCheck>>;

export type PodCheckCode = keyof typeof POD_CHECKS;

export interface Finding extends Case {
  code: PodCheckCode;
}

/** Every case of every check, in the table's order. */
export function findings(pod: PodFacts, s: Settings, context: FitContext = NO_CONTEXT): Finding[] {
  // Asked for every workload, and nearly every check finds nothing: loops, not an array per check. Indexed,
  // not for-of: the checks' arrays are of several kinds, and iterating them was most of this function's time.
  const found: Finding[] = [];
  // eslint-disable-next-line @typescript-eslint/prefer-for-of -- measured: fewer instructions (see above)
  for (let i = 0; i < CHECKS.length; i++) {
    const [code, check] = CHECKS[i];
    const cases = check.find(pod, s, context);
    // eslint-disable-next-line @typescript-eslint/prefer-for-of -- measured: fewer instructions (see above)
    for (let j = 0; j < cases.length; j++) {
      const c = cases[j];
      if (c && check.alone) return [{ code, ...c }];
      if (c) found.push({ code, ...c });
    }
  }
  return found;
}

const CHECKS = Object.entries(POD_CHECKS) as [PodCheckCode, PodCheck][];

/**
 * The policies that admit callers on the app's port but not on the proxy's in-port, where they now go. A policy
 * that may select the pods (pod-facts.ts) may admit the in-port: only a port none of them admits is refused.
 */
function inPortRefused(pod: PodFacts, s: Settings): Case | undefined {
  const policies = (pod.networkPolicies ?? []).filter((p) => p.ingress);
  const rules = policies.flatMap((p) => p.ingress!);
  const appNames = pod.containers.flatMap((c) =>
    Object.entries(c.namedPorts ?? {}).flatMap(([name, port]) => (port === s.proxyPort ? [name] : [])),
  );
  if (!policies.length || !allows(rules, s.proxyPort, appNames)) return undefined;
  // As egressRefused reads them: the rules of the policies that may select the pods count beside the others.
  const maybe = (pod.maybePolicies ?? []).flatMap((p) => p.ingress ?? []);
  if (allows([...rules, ...maybe], s.proxyInPort, [PROXY_IN_PORT])) return undefined;
  const names = policies.map((p) => p.name).join(', ');
  return { detail: `${names} admits the app's port ${s.proxyPort} but not the proxy's in-port ${s.proxyInPort}` };
}

/** What the app's side of a non-transparent proxy is: done by appProxyEnv, or the user's to do. */
function appSide(s: Settings): string {
  const outbound = forwardsOutbound(s)
    ? appProxyApplies(s)
      ? "the app containers' proxy variables send their outbound traffic to it (appProxyEnv)"
      : 'the app must send its outbound traffic to the proxy itself'
    : '';
  const inbound = reversesInbound(s)
    ? s.serviceTargetPort === 'proxy'
      ? 'the Services that select the pods in this package send callers to its in-port (serviceTargetPort)'
      : "callers must reach its in-port (a Service's targetPort; serviceTargetPort: proxy sets it)"
    : '';
  return ['no iptables init container', outbound, inbound].filter(Boolean).join('; ');
}

/**
 * Whether a namespace's enforced Pod Security level admits the injected containers. The iptables init
 * containers (root, NET_ADMIN) and a proxy that adds NET_RAW, which is not on baseline's list, need
 * privileged; a non-transparent proxy in the restricted securityContext passes restricted, and so baseline.
 */
function admits(level: string, s: Settings): boolean {
  if (level !== 'baseline' && level !== 'restricted') return true;
  return s.proxyType !== 'transparent' && s.proxySecurityContext === 'restricted';
}

/** What of the injection a baseline or restricted namespace rejects, and what it would admit instead. */
function rejected(s: Settings): string {
  const proxy = `the proxy's NET_RAW (proxy-security-context ${s.proxySecurityContext})`;
  return s.proxyType === 'transparent'
    ? `the iptables init containers (root, NET_ADMIN and NET_RAW) and ${proxy}; use a reverse, forward or ` +
        'dual proxy with proxy-security-context restricted (which needs neither)'
    : `${proxy}; use proxy-security-context restricted (which adds none)`;
}

/** Istio's proxy in the pod, or asked for by its annotation or the namespace's label. */
const istioMarker = firstMarker([
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
]);

/** Whether the pod gets the function's own iptables rules (redirect: iptables) rather than goproxy's script. */
const rendersRules = (s: Settings) => s.proxyType === 'transparent' && s.redirect === 'iptables';

/** The strongest action among the findings: block beats skip beats inject. */
export function decide(found: readonly Finding[]): Action {
  // A loop, not a Set of every finding's action: asked of every workload.
  let action: Action = 'inject';
  for (const f of found) {
    const its = POD_CHECKS[f.code].action;
    if (its === 'block') return 'block';
    if (its === 'skip') action = 'skip';
  }
  return action;
}

/** A mesh check: the first marker that fires names the mesh's proxy. */
function firstMarker(markers: ((pod: PodFacts) => string | undefined)[]): (pod: PodFacts) => (Case | false)[] {
  return (pod) => {
    // A loop, not map() and find(): see pod-facts.ts `containers`. The markers only read the facts.
    for (const marker of markers) {
      const detail = marker(pod);
      if (detail) return [{ detail }];
    }
    return [false];
  };
}

/**
 * The cases `clash` finds among the containers that run beside the proxy (the app's, and native sidecars:
 * restartPolicy: Always), each at its container's ports. Loops that push, not spreads of map(): see
 * pod-facts.ts `containers`; a field is written only for a case found, not for every container of every
 * workload.
 */
function runningPorts(pod: PodFacts, clash: (c: ContainerFacts) => string | undefined): Case[] {
  const found: Case[] = [];
  for (let index = 0; index < pod.containers.length; index++) {
    const detail = clash(pod.containers[index]);
    if (detail !== undefined) found.push({ detail, field: `containers[${index}].ports` });
  }
  for (let index = 0; index < pod.initContainers.length; index++) {
    const c = pod.initContainers[index];
    const detail = c.sidecar ? clash(c) : undefined;
    if (detail !== undefined) found.push({ detail, field: `initContainers[${index}].ports` });
  }
  return found;
}

function portConflicts(pod: PodFacts, s: Settings): Case[] {
  const ours = [s.proxyInPort, s.proxyOutPort, ...(s.prometheusPort === undefined ? [] : [s.prometheusPort])];
  return runningPorts(pod, (c) => {
    // A loop, not filter(): nearly every container has no clash, and then no array is made.
    let clash: number[] | undefined;
    for (const p of c.ports) if (ours.includes(p)) (clash ??= []).push(p);
    return clash && `container ${c.name} already listens on ${clash.join(', ')}`;
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
    if (current !== undefined && asText(current) !== value)
      out.push({ detail: `pod annotation ${key} is ${JSON.stringify(current)}` });
  }
  if (s.operatorIgnore)
    for (const [where, annotations] of [
      ['workload', pod.workloadAnnotations],
      ['jobTemplate', pod.madeAnnotations],
      ['pod', pod.podAnnotations],
    ] as const) {
      const current = annotations?.[OPERATOR_IGNORE_ANNOTATION];
      if (current !== undefined && asText(current) !== 'true')
        out.push({ detail: `${where} annotation ${OPERATOR_IGNORE_ANNOTATION} is ${JSON.stringify(current)}` });
    }
  return out;
}

/** Kubelet probes come from the node: redirected only in transparent mode with capture-node-traffic on. */
function redirectedProbes(pod: PodFacts, s: Settings): Case[] {
  if (s.proxyType !== 'transparent' || !s.captureNodeTraffic || s.ignoreSrcIps.all) return [];
  const exempt = new Set(s.ignoreInboundPorts.entries);
  return pod.containers.flatMap((c, index) =>
    (c.probes ?? [])
      .filter((p) => p.port !== undefined && !exempt.has(p.port))
      .map((p) => ({
        detail: `${p.kind} of container ${c.name} (port ${p.port})`,
        field: `containers[${index}].${p.kind}`,
      })),
  );
}
