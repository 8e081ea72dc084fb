/** The goproxy sidecar, mirroring the Speedscale operator's container (env contract, ports, securityContext). */
import type { Settings } from '../config/settings.generated';
import { DIAGNOSTICS_DIR } from './app';
import { env, fieldRef, type EnvVar } from './env';
import { copyWith } from '../yaml/emit';
import { perSettings } from './per-settings';
import { PROXY_IN_PORT, SIDECAR, VOLUMES } from '../vocabulary';
import { proxyTlsEnv, proxyTlsMounts, TLS_CERT_DIR } from './tls';

const APP_LABEL = 'APP_LABEL';

/**
 * goproxy's PROXY_PROTOCOL. Speedscale documents `socks` (socks4 and socks5 on one listener), never `socks4` or
 * `socks5`: those only choose how the app speaks to it (render/app-proxy.ts), and goproxy is told `socks`.
 */
const GOPROXY_PROTOCOL: Readonly<Record<Settings['proxyProtocol'], string>> = {
  tcp: 'tcp',
  http: 'http',
  socks: 'socks',
  socks4: 'socks',
  socks5: 'socks',
  'tcp:http': 'tcp:http',
  'tcp:socks': 'tcp:socks',
};

/** The proxy's env but its first entry, APP_LABEL, which is the workload's own (renderSidecar). */
function sharedProxyEnv(s: Settings): EnvVar[] {
  const vars = [
    fieldRef('APP_POD_NAME', 'metadata.name'),
    fieldRef('APP_POD_NAMESPACE', 'metadata.namespace'),
    env('CAPTURE_MODE', s.captureMode),
    env('FORWARDER_ADDR', s.forwarderAddr),
    env('LOG_LEVEL', s.diagnostics ? 'debug' : s.logLevel),
    env('PROXY_IN_PORT', s.proxyInPort),
    env('PROXY_OUT_PORT', s.proxyOutPort),
    env('PROXY_TYPE', s.proxyType),
  ];
  if (s.proxyType !== 'transparent') vars.push(env('PROXY_PROTOCOL', GOPROXY_PROTOCOL[s.proxyProtocol]));
  if (s.proxyType === 'reverse' || s.proxyType === 'dual') {
    vars.push(env('REVERSE_PROXY_HOST', s.proxyHost), env('REVERSE_PROXY_PORT', s.proxyPort));
  }
  vars.push(
    fieldRef('SPEC_NODENAME', 'spec.nodeName'),
    fieldRef('SPEC_SERVICEACCOUNTNAME', 'spec.serviceAccountName'),
    fieldRef('STATUS_HOST_IP', 'status.hostIP'),
    fieldRef('STATUS_POD_IP', 'status.podIP'),
    env('TLS_CERT_DIR', TLS_CERT_DIR),
    env('TLS_AUTODISCOVERY', 'false'),
  );
  if (s.hostResolution !== 'smart') vars.push(env('HOST_RESOLUTION', s.hostResolution));
  vars.push(...proxyTlsEnv(s));
  // The operator's env name for kube-api-support is not documented; this one is inferred (see docs/reference.md).
  if (s.kubeApiSupport) vars.push(env('KUBE_API_SUPPORT', 'true'));
  if (s.prometheusPort !== undefined)
    vars.push(env('METRICS_HTTP_ENABLE', 'true'), env('METRICS_HTTP_PORT', s.prometheusPort));
  return vars;
}

function proxyMounts(s: Settings) {
  return [...proxyTlsMounts(s), ...(s.diagnostics ? [{ name: VOLUMES.diagnostics, mountPath: DIAGNOSTICS_DIR }] : [])];
}

/** Quantities keyed by resource name; absent settings are left out. */
function quantities(entries: [string, string | undefined][]): Record<string, string> | undefined {
  const present = entries.filter((e): e is [string, string] => e[1] !== undefined);
  return present.length ? Object.fromEntries(present) : undefined;
}

export function sidecarResources(s: Settings) {
  const requests = quantities([
    ['cpu', s.cpuRequest],
    ['memory', s.memoryRequest],
    ['ephemeral-storage', s.ephemeralStorageRequest],
  ]);
  const limits = quantities([
    ['cpu', s.cpuLimit],
    ['memory', s.memoryLimit],
    ['ephemeral-storage', s.ephemeralStorageLimit],
  ]);
  return { ...(requests && { requests }), ...(limits && { limits }) };
}

/**
 * Kubernetes grants no ambient capabilities, so the non-root proxy holds NET_RAW only through its binary's
 * file capability, which allowPrivilegeEscalation: false (no_new_privs) disables: `hardened` costs NET_RAW
 * (measured by test/integration/runtime). `operator` is the Speedscale operator's context; `restricted` is
 * what Pod Security restricted and GKE Autopilot admit: nothing added, a RuntimeDefault seccomp profile.
 */
const SECURITY_CONTEXTS: Readonly<Record<Settings['proxySecurityContext'], (user: object) => object>> = {
  operator: (user) => ({ ...user, capabilities: { add: ['NET_RAW'] } }),
  hardened: (user) => ({ ...user, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_RAW'] } }),
  restricted: (user) => ({
    ...user,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  }),
};

function proxySecurityContext(s: Settings) {
  return SECURITY_CONTEXTS[s.proxySecurityContext]({
    runAsUser: s.proxyUid,
    runAsGroup: s.proxyUid,
    runAsNonRoot: true,
  });
}

/**
 * The sidecar of one workload: the settings' shared (frozen) container, copied with this workload's
 * APP_LABEL in front of the shared env.
 */
export function renderSidecar(s: Settings, appLabel: string): Record<string, unknown> {
  const shared = sidecarFor(s);
  return copyWith({ ...shared, env: [env(APP_LABEL, appLabel), ...shared.env] }, templateFor(s), HOLE, appLabel);
}

/** The sidecar with a stand-in for APP_LABEL's value, written once per settings (emit.ts copyWith). */
const HOLE = 'speedscale-app-label';
const templateFor = perSettings((s: Settings) => {
  const shared = sidecarFor(s);
  return { ...shared, env: [env(APP_LABEL, HOLE), ...shared.env] };
});

const sidecarFor = perSettings((s: Settings) => {
  const mounts = proxyMounts(s);
  return {
    name: SIDECAR,
    image: s.image,
    imagePullPolicy: s.imagePullPolicy,
    env: sharedProxyEnv(s),
    ports: [
      { name: PROXY_IN_PORT, containerPort: s.proxyInPort, protocol: 'TCP' },
      { name: 'proxy-out', containerPort: s.proxyOutPort, protocol: 'TCP' },
      ...(s.prometheusPort !== undefined
        ? [{ name: 'metrics', containerPort: s.prometheusPort, protocol: 'TCP' }]
        : []),
    ],
    resources: sidecarResources(s),
    ...(mounts.length && { volumeMounts: mounts }),
    securityContext: proxySecurityContext(s),
    ...(s.nativeSidecar && { restartPolicy: 'Always' }),
  };
});
