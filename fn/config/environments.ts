/**
 * The environment profiles, as one table: for each platform where the default transparent sidecar does not
 * fit, the settings it needs, what the platform refuses, and why, each with the public page that says so.
 * docs/environments.md is this table in prose (test/unit/environments.test.ts holds the two together).
 *
 * A profile is a settings layer between the schema's defaults and the functionConfig: whatever the user
 * writes, in the functionConfig or an annotation, wins. What it refuses is checked on every workload it
 * injects (inject/environment-fit.ts): a setting the user gave that the platform would refuse, or a pod it
 * cannot serve, is an error that says why, never a pod the platform rejects at admission.
 */
import type { WrittenSettings } from './settings.generated';

/** The pages the profiles cite. */
export const SOURCES = {
  speedscaleAutopilot:
    'https://docs.speedscale.com/getting-started/installation/install/gke-autopilot/#sidecar-capture-dual-proxy-mode',
  speedscaleProxyModes: 'https://docs.speedscale.com/getting-started/installation/sidecar/proxy-modes/',
  speedscaleOpenShift: 'https://docs.speedscale.com/getting-started/installation/install/openshift/',
  gkePrivilegedWorkloads:
    'https://cloud.google.com/kubernetes-engine/docs/concepts/run-autopilot-open-source-workloads',
  gkeAllowlists: 'https://cloud.google.com/kubernetes-engine/docs/concepts/about-autopilot-privileged-workloads',
  podSecurityRestricted: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  podSecurityBaseline: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
} as const;

export type Environment = NonNullable<WrittenSettings['environment']>;

type Key = keyof WrittenSettings;

/** One value a profile sets: the value, why, and where that is written. */
export interface ProfileValue<K extends Key = Key> {
  value: NonNullable<WrittenSettings[K]>;
  why: string;
  source: string;
  /** A value that only goes with another of the profile's: dropped when the user gives that one (tcp:http, dual). */
  with?: Key;
}

/**
 * What a platform refuses, as the checks of inject/environment-fit.ts name them:
 * - `host-network`: a hostNetwork pod;
 * - `net-admin`: the transparent proxy, whose iptables init container is root with NET_ADMIN;
 * - `added-capabilities`: a proxy that adds a capability (NET_RAW, in proxySecurityContext operator or hardened);
 * - `requests-equal-limits`: an injected container whose requests and limits differ (cpu, memory, ephemeral-storage).
 */
export type Refusal = 'host-network' | 'net-admin' | 'added-capabilities' | 'requests-equal-limits';

export interface Profile {
  /** What the profile is for, in a line. */
  summary: string;
  /** The settings it sets, in the order docs/environments.md lists them. */
  settings: { [K in Key]?: ProfileValue<K> };
  /**
   * When set, the reverse proxy's port (proxyPort) is the app's only TCP port, unless proxy-port is given; a
   * pod with none or several, and no proxy-port, cannot be served.
   */
  appPort?: { why: string; source: string };
  /** What the platform refuses, with why and where that is written. */
  refuses: Partial<Record<Refusal, { why: string; source: string }>>;
  /** What the user still does by hand, for the docs and the report. */
  byHand?: string;
}

const appPort = (platform: string) => ({
  why: `${platform}; the reverse proxy forwards inbound traffic to proxy-port, 80 unless given`,
  source: SOURCES.speedscaleAutopilot,
});

export const ENVIRONMENTS: Readonly<Record<Environment, Profile>> = {
  default: {
    summary: 'the transparent sidecar, as Speedscale injects it',
    settings: {},
    refuses: {},
  },
  'gke-autopilot': {
    summary: 'GKE Autopilot without a WorkloadAllowlist: dual proxy, no init container, requests equal to limits',
    settings: {
      proxyType: {
        value: 'dual',
        why:
          'transparent mode is not supported on Autopilot (its iptables init container needs NET_ADMIN); ' +
          'the sidecar must run in dual mode',
        source: SOURCES.speedscaleAutopilot,
      },
      proxyProtocol: {
        value: 'tcp:http',
        why: "Speedscale's Autopilot annotations: a TCP reverse proxy in front of the app, an HTTP forward proxy for its calls",
        source: SOURCES.speedscaleAutopilot,
        with: 'proxyType',
      },
      proxySecurityContext: {
        value: 'restricted',
        why: 'Autopilot rejects by default a Pod that adds the NET_RAW capability or runs privileged; restricted adds none',
        source: SOURCES.gkePrivilegedWorkloads,
      },
      cpuRequest: {
        value: '500m',
        why: "Autopilot enforces that every container's requests equal its limits (Speedscale's operator values: 500m)",
        source: SOURCES.speedscaleAutopilot,
      },
      cpuLimit: {
        value: '500m',
        why: 'equal to cpu-request, as Autopilot enforces',
        source: SOURCES.speedscaleAutopilot,
      },
      memoryRequest: {
        value: '512Mi',
        why: "requests equal to limits; 512Mi as in Speedscale's operator values for Autopilot (its annotation example uses 1Gi)",
        source: SOURCES.speedscaleAutopilot,
      },
      memoryLimit: {
        value: '512Mi',
        why: 'equal to memory-request, as Autopilot enforces',
        source: SOURCES.speedscaleAutopilot,
      },
      ephemeralStorageRequest: {
        value: '100Mi',
        why: 'Autopilot enforces requests equal to limits ephemeral-storage included (Speedscale: 100Mi)',
        source: SOURCES.speedscaleAutopilot,
      },
      ephemeralStorageLimit: {
        value: '100Mi',
        why: 'equal to ephemeral-storage-request',
        source: SOURCES.speedscaleAutopilot,
      },
      appProxyEnv: {
        value: true,
        why:
          'dual mode does not reconfigure the app: it must send its outbound traffic to 127.0.0.1:4140 ' +
          '(HTTP_PROXY, HTTPS_PROXY; JAVA_TOOL_OPTIONS for Java)',
        source: SOURCES.speedscaleAutopilot,
      },
    },
    appPort: appPort("Speedscale's Autopilot example sets proxy-port to the app's port (8080)"),
    refuses: {
      'host-network': {
        why: 'Autopilot rejects host namespace access unless the workload is on an allowlist',
        source: SOURCES.speedscaleAutopilot,
      },
      'net-admin': {
        why: 'transparent mode is not supported on Autopilot: its init container needs NET_ADMIN',
        source: SOURCES.speedscaleAutopilot,
      },
      'added-capabilities': {
        why: 'Autopilot rejects by default a Pod that adds the NET_RAW capability',
        source: SOURCES.gkePrivilegedWorkloads,
      },
      'requests-equal-limits': {
        why: "Autopilot enforces that every container's requests equal its limits, ephemeral-storage included",
        source: SOURCES.speedscaleAutopilot,
      },
    },
    byHand:
      'install the operator with disableSidecarSmartReverseDNS: true (its own smart DNS needs NET_ADMIN); an app ' +
      'that ignores HTTP_PROXY and JAVA_TOOL_OPTIONS must be pointed at 127.0.0.1:4140 in its own configuration',
  },
  openshift: {
    summary: 'OpenShift: privileged init containers, under an SCC granted to the namespace',
    settings: {
      privileged: {
        value: true,
        why:
          'SELinux keeps even a root init container from changing iptables; ' +
          "Speedscale's operator runs them privileged on OpenShift (privilegedSidecars: true)",
        source: SOURCES.speedscaleOpenShift,
      },
    },
    refuses: {},
    byHand:
      "grant the namespace's service accounts an SCC that admits the init containers: Speedscale's " +
      'speedscale-sidecar SCC (docs/environments.md) or the built-in privileged one, with oc adm policy add-scc-to-group',
  },
  restricted: {
    summary: 'a namespace under Pod Security restricted: no root, no capability but NET_BIND_SERVICE',
    settings: {
      proxyType: {
        value: 'dual',
        why:
          'restricted refuses root and every capability but NET_BIND_SERVICE, so the iptables init container ' +
          'cannot run; dual mode needs none',
        source: SOURCES.podSecurityRestricted,
      },
      proxyProtocol: {
        value: 'tcp:http',
        why: "Speedscale's recipe for a cluster without NET_ADMIN (Autopilot): a TCP reverse proxy and an HTTP forward proxy",
        source: SOURCES.speedscaleAutopilot,
        with: 'proxyType',
      },
      proxySecurityContext: {
        value: 'restricted',
        why:
          'restricted requires runAsNonRoot, allowPrivilegeEscalation: false, drop: [ALL] with nothing added but ' +
          'NET_BIND_SERVICE, and a RuntimeDefault or Localhost seccomp profile',
        source: SOURCES.podSecurityRestricted,
      },
      appProxyEnv: {
        value: true,
        why:
          'forward and dual modes do not reconfigure the app: outbound capture stays empty unless it sends its ' +
          'traffic to 127.0.0.1:4140',
        source: SOURCES.speedscaleProxyModes,
      },
    },
    appPort: {
      why: "the reverse proxy forwards inbound traffic to proxy-host:proxy-port, localhost:80 unless given: the app's own port",
      source: SOURCES.speedscaleProxyModes,
    },
    refuses: {
      'host-network': {
        why: 'Pod Security baseline (and so restricted) forbids sharing the host namespaces',
        source: SOURCES.podSecurityBaseline,
      },
      'net-admin': {
        why: 'the transparent proxy needs an init container running as root with NET_ADMIN, which restricted refuses',
        source: SOURCES.podSecurityRestricted,
      },
      'added-capabilities': {
        why: 'restricted admits no added capability but NET_BIND_SERVICE',
        source: SOURCES.podSecurityRestricted,
      },
    },
  },
};

/** The settings layer of a profile (values only), with the app's port when the profile takes it from the pod. */
export function profileLayer(environment: Environment, appPorts?: readonly number[]): WrittenSettings {
  const profile = ENVIRONMENTS[environment];
  const layer = Object.fromEntries(Object.entries(profile.settings).map(([key, v]) => [key, v.value]));
  if (profile.appPort && appPorts?.length === 1) layer.proxyPort = appPorts[0];
  return layer;
}

/**
 * Which of a profile's values go only with another of its values (ProfileValue.with): key -> the other key.
 * Made once per environment, frozen: it depends on nothing else, and every workload's settings ask for it.
 */
export function profileTies(environment: Environment): Readonly<Record<string, string>> {
  let ties = TIES.get(environment);
  if (!ties) {
    const settings = Object.entries(ENVIRONMENTS[environment].settings);
    ties = Object.freeze(Object.fromEntries(settings.flatMap(([key, v]) => (v.with ? [[key, v.with]] : []))));
    TIES.set(environment, ties);
  }
  return ties;
}
const TIES = new Map<Environment, Readonly<Record<string, string>>>();

/**
 * A profile's values as they apply: a value tied to another key goes when the user gives that key and not
 * this one (tcp:http means nothing but with dual). `given`: the keys the functionConfig or an annotation sets.
 */
export function untiedProfile(
  profile: WrittenSettings,
  ties: Readonly<Record<string, string>>,
  given: ReadonlySet<string>,
): WrittenSettings {
  return Object.fromEntries(
    Object.entries(profile).filter(([key]) => !(ties[key] && given.has(ties[key]) && !given.has(key))),
  );
}
