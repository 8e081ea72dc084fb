/**
 * The init containers: iptables redirection (and smart DNS), derived from the same settings as the sidecar
 * so ports and uid can never disagree.
 */
import { keysMarked, PROPERTIES } from '../config/schema';
import type { Settings } from '../config/settings.generated';
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

/**
 * Env of the operator-compatible init scripts; the optional settings (the schema's x-init-env) only when set,
 * each as written, as the operator hands the init script the annotation.
 */
const OPTIONAL_ENV = keysMarked('x-init-env').map(
  (key) => [key as keyof Settings, PROPERTIES[key]['x-init-env']!] as const,
);

/** A setting's value as the init script reads it: a list as written; nothing when unset, empty or false. */
function written(value: Settings[keyof Settings]): string | boolean | undefined {
  const text = typeof value === 'object' && value !== null && 'text' in value ? value.text : value;
  return text === undefined || text === '' || text === false ? undefined : (text as string | boolean);
}

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
    const value = written(s[key]);
    if (value !== undefined) vars.push(env(name, value));
  }
  return vars;
}

export function redirectRules(s: Settings): RedirectRules {
  return {
    proxyInPort: s.proxyInPort,
    proxyOutPort: s.proxyOutPort,
    // A scrape of the proxy's metrics is not the app's traffic: it must not reach the in-port.
    ...(s.prometheusPort !== undefined && { proxyMetricsPort: s.prometheusPort }),
    proxyUid: s.proxyUid,
    ignoreInboundPorts: s.ignoreInboundPorts.entries,
    ignoreOutboundPorts: s.ignoreOutboundPorts.entries,
    ignoreSrcCidrs: s.ignoreSrcIps.entries,
    ignoreAllSrc: s.ignoreSrcIps.all,
    ignoreDstCidrs: s.ignoreDstIps.entries,
    ignoreAllDst: s.ignoreDstIps.all,
    ignoreSrcHosts: s.ignoreSrcHosts.entries,
    ignoreDstHosts: s.ignoreDstHosts.entries,
    ignoreLoopback: s.ignoreLoopback,
    trackLoopback: s.trackLoopback,
    captureNodeTraffic: s.captureNodeTraffic,
  };
}

function initContainer(s: Settings, name: string, command: string[], image: string) {
  return {
    name,
    image,
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
  const containers = [initContainer(s, INIT_IPTABLES, command, s.initImage ?? s.image)];
  // Smart DNS is best effort: its failure must never keep the pod from starting. Only goproxy ships
  // init-smartdns.sh: in initImage (an iptables image) `|| true` would hide that it never ran.
  if (s.hostResolution === 'smart')
    containers.push(initContainer(s, INIT_SMARTDNS, ['sh', '-c', 'init-smartdns.sh || true'], s.image));
  return containers;
});
