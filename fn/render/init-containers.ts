/**
 * The init containers: iptables redirection (and smart DNS), derived from the same settings as the sidecar
 * so ports and uid can never disagree.
 */
import { list } from '../config/rules';
import type { Settings } from '../config/settings-type';
import { env, fieldRef, type EnvVar } from './env';
import { renderIptablesScript, type RedirectRules } from './iptables-script';
import { INIT_IPTABLES, INIT_SMARTDNS } from '../vocabulary';
import { perSettings } from './per-settings';

const INIT_RESOURCES = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '50Mi' } };

function initSecurityContext(s: Settings) {
  // iptables needs root with NET_ADMIN and NET_RAW; nothing else is granted unless the cluster insists on privileged.
  if (s.privileged) return { runAsUser: 0, runAsNonRoot: false, privileged: true };
  return {
    runAsUser: 0,
    runAsNonRoot: false,
    privileged: false,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] },
  };
}

/** Env of the operator-compatible init scripts; the optional ignore-* settings only when set. */
const OPTIONAL_ENV: [keyof Settings, string][] = [
  ['ignoreSrcIps', 'IGNORE_SRC_IPS'],
  ['ignoreDstIps', 'IGNORE_DST_IPS'],
  ['ignoreSrcHosts', 'IGNORE_SRC_HOSTS'],
  ['ignoreDstHosts', 'IGNORE_DST_HOSTS'],
  ['ignoreInboundPorts', 'IGNORE_INBOUND_PORTS'],
  ['ignoreOutboundPorts', 'IGNORE_OUTBOUND_PORTS'],
  ['ignoreLoopback', 'IGNORE_LOOPBACK'],
  ['trackLoopback', 'TRACK_LOOPBACK'],
  ['captureNodeTraffic', 'CAPTURE_NODE_TRAFFIC'],
  ['istioCni', 'ISTIO_CNI'],
];

function initEnv(s: Settings): EnvVar[] {
  const vars = [
    env('PROXY_IN_PORT', s.proxyInPort),
    env('PROXY_OUT_PORT', s.proxyOutPort),
    env('PROXY_UID', s.proxyUid),
    env('CAPTURE_MODE', s.captureMode),
    env('PROXY_TYPE', s.proxyType),
    env('PROXY_PROTOCOL', ''),
    fieldRef('STATUS_POD_IP', 'status.podIP'),
    fieldRef('STATUS_HOST_IP', 'status.hostIP'),
  ];
  for (const [key, name] of OPTIONAL_ENV) {
    const value = s[key];
    if (value !== undefined && value !== '' && value !== false) vars.push(env(name, value as string | boolean));
  }
  return vars;
}

export function redirectRules(s: Settings): RedirectRules {
  const ports = (value: string) => list(value).map(Number);
  return {
    proxyInPort: s.proxyInPort,
    proxyOutPort: s.proxyOutPort,
    proxyUid: s.proxyUid,
    ignoreInboundPorts: ports(s.ignoreInboundPorts),
    ignoreOutboundPorts: ports(s.ignoreOutboundPorts),
    ignoreSrcCidrs: list(s.ignoreSrcIps),
    ignoreDstCidrs: list(s.ignoreDstIps),
    ignoreSrcHosts: list(s.ignoreSrcHosts),
    ignoreDstHosts: list(s.ignoreDstHosts),
    ignoreLoopback: s.ignoreLoopback,
    trackLoopback: s.trackLoopback,
    captureNodeTraffic: s.captureNodeTraffic,
  };
}

function initContainer(s: Settings, name: string, command: string[]) {
  return {
    name,
    image: s.initImage ?? s.image,
    imagePullPolicy: s.imagePullPolicy,
    command,
    env: initEnv(s),
    resources: INIT_RESOURCES,
    securityContext: initSecurityContext(s),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

/** Init containers for transparent mode; the non-transparent modes need none. */
export const renderInitContainers = perSettings((s: Settings): readonly Record<string, unknown>[] => {
  if (s.proxyType !== 'transparent') return [];
  const command =
    s.redirect === 'iptables' ? ['/bin/sh', '-c', renderIptablesScript(redirectRules(s))] : ['init-iptables.sh'];
  const containers = [initContainer(s, INIT_IPTABLES, command)];
  // Smart DNS is best effort: its failure must never keep the pod from starting.
  if (s.hostResolution === 'smart')
    containers.push(initContainer(s, INIT_SMARTDNS, ['sh', '-c', 'init-smartdns.sh || true']));
  return containers;
});
