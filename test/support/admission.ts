/**
 * What a platform admits, as checks on a pod spec (plain data), each rule with the page that publishes it.
 * The tests run them on the function's output: a profile's pods must pass its platform's rules. They never
 * call fn/: they restate the rules from the sources, so the function cannot grade its own work.
 */

type Json = Record<string, any>;

export interface Rule {
  name: string;
  source: string;
  /** The violations in a pod spec, as `container x: ...`; none when it passes. */
  check: (spec: Json) => string[];
}

const AUTOPILOT_SPEEDSCALE =
  'https://docs.speedscale.com/getting-started/installation/install/gke-autopilot/#sidecar-capture-dual-proxy-mode';
const AUTOPILOT_PRIVILEGED =
  'https://cloud.google.com/kubernetes-engine/docs/concepts/run-autopilot-open-source-workloads';
const AUTOPILOT_ALLOWLISTS =
  'https://cloud.google.com/kubernetes-engine/docs/concepts/about-autopilot-privileged-workloads';
const PSS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

const containers = (spec: Json): Json[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])];

const each = (spec: Json, find: (c: Json) => string | undefined): string[] =>
  containers(spec).flatMap((c) => {
    const found = find(c);
    return found ? [`container ${c.name}: ${found}`] : [];
  });

/** Kubernetes quantities as numbers, so `1` and `1000m`, `512Mi` and `536870912` compare equal. */
function amount(quantity: unknown): number {
  const units: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
  };
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(String(quantity));
  return m && m[2] in units ? Number(m[1]) * units[m[2]] : Number.NaN;
}

/** Pod Security baseline's list of capabilities a container may add (all others are refused there). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const HOST_NAMESPACES = (spec: Json): string[] =>
  ['hostNetwork', 'hostPID', 'hostIPC'].filter((key) => spec[key] === true).map((key) => `pod: ${key}: true`);

/**
 * GKE Autopilot without an allowlist. The capability rule is conservative: GKE publishes that NET_RAW (and,
 * through Speedscale's page, NET_ADMIN) is refused by default; the rule admits only Pod Security baseline's list.
 */
export const AUTOPILOT_RULES: readonly Rule[] = [
  {
    name: "every container's requests equal its limits, cpu, memory and ephemeral-storage",
    source: AUTOPILOT_SPEEDSCALE,
    check: (spec) =>
      each(spec, (c) => {
        const { requests = {}, limits = {} } = c.resources ?? {};
        const differ = ['cpu', 'memory', 'ephemeral-storage'].filter(
          (r) => !(amount(requests[r]) === amount(limits[r])),
        );
        return differ.length ? `requests differ from limits for ${differ.join(', ')}` : undefined;
      }),
  },
  {
    name: 'no privileged container',
    source: AUTOPILOT_ALLOWLISTS,
    check: (spec) => each(spec, (c) => (c.securityContext?.privileged === true ? 'privileged' : undefined)),
  },
  {
    name: 'no NET_RAW or NET_ADMIN, and no capability beyond baseline',
    source: AUTOPILOT_PRIVILEGED,
    check: (spec) =>
      each(spec, (c) => {
        const added: string[] = c.securityContext?.capabilities?.add ?? [];
        const refused = added.filter((cap) => !BASELINE_CAPABILITIES.has(cap));
        return refused.length ? `adds ${refused.join(', ')}` : undefined;
      }),
  },
  {
    name: 'no host namespaces, no hostPath volume',
    source: AUTOPILOT_SPEEDSCALE,
    check: (spec) => [
      ...HOST_NAMESPACES(spec),
      ...(spec.volumes ?? []).filter((v: Json) => v.hostPath).map((v: Json) => `volume ${v.name}: hostPath`),
    ],
  },
];

/**
 * Pod Security restricted, for the containers given (the injected ones: the app's are the user's to comply).
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export const RESTRICTED_RULES: readonly Rule[] = [
  {
    name: 'no host namespaces (baseline)',
    source: `${PSS}#baseline`,
    check: HOST_NAMESPACES,
  },
  {
    name: 'not privileged, no privilege escalation',
    source: `${PSS}#restricted`,
    check: (spec) =>
      each(spec, (c) =>
        c.securityContext?.privileged === true
          ? 'privileged'
          : c.securityContext?.allowPrivilegeEscalation !== false
            ? 'allowPrivilegeEscalation is not false'
            : undefined,
      ),
  },
  {
    name: 'runs as non-root, not as uid 0',
    source: `${PSS}#restricted`,
    check: (spec) =>
      each(spec, (c) => {
        const nonRoot = c.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
        const uid = c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
        return nonRoot !== true ? 'runAsNonRoot is not true' : uid === 0 ? 'runAsUser 0' : undefined;
      }),
  },
  {
    name: 'drops ALL capabilities, adds none but NET_BIND_SERVICE',
    source: `${PSS}#restricted`,
    check: (spec) =>
      each(spec, (c) => {
        const caps = c.securityContext?.capabilities ?? {};
        if (!(caps.drop ?? []).includes('ALL')) return 'does not drop ALL';
        const added = (caps.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
        return added.length ? `adds ${added.join(', ')}` : undefined;
      }),
  },
  {
    name: 'a RuntimeDefault or Localhost seccomp profile',
    source: `${PSS}#restricted`,
    check: (spec) =>
      each(spec, (c) => {
        const type = c.securityContext?.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type;
        return type === 'RuntimeDefault' || type === 'Localhost' ? undefined : `seccompProfile ${type ?? 'unset'}`;
      }),
  },
];

/** Every violation of `rules` in a pod spec, each as `rule: violation`. */
export const violations = (rules: readonly Rule[], spec: Json): string[] =>
  rules.flatMap((rule) => rule.check(spec).map((found) => `${rule.name}: ${found}`));
