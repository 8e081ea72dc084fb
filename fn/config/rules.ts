/** Cross-field and semantic checks the schema cannot express, as one table of named rules. */
import { ENVIRONMENTS } from './environments';
import { isIP, isV4Mapped, LOOPBACK_NAMES } from './ip';
import type { ListSetting } from './list-setting';
import { appProxyApplies, reversesInbound } from './proxy-types';
import { compareQuantities } from './quantity';
import { DEFAULTS, kebab, keysMarked } from './schema';
import type { Settings } from './settings.generated';

export interface RuleProblem {
  severity: 'error' | 'warning';
  /** The keys involved; the first one that came from an annotation is where the problem is reported. */
  keys: (keyof Settings)[];
  message: string;
}

type Rule = (s: Settings) => RuleProblem | undefined;

function badCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || extra !== undefined) return true;
  if (bits === undefined) return false;
  // iptables refuses a prefix with a leading zero ("/08": invalid mask), which would crash-loop the init container.
  return !/^(?:0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128);
}

const cidrRule =
  (key: 'ignoreSrcIps' | 'ignoreDstIps'): Rule =>
  (s) => {
    const { entries, all } = s[key];
    const bad = entries.filter(badCidr);
    if (bad.length)
      return {
        severity: 'error',
        keys: [key],
        message: `not an IP address or CIDR: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
      };
    const mapped = entries.filter((entry) => isV4Mapped(entry.split('/')[0]));
    if (mapped.length)
      return {
        severity: 'error',
        keys: [key],
        message:
          `IPv4-mapped addresses never match (their traffic is IPv4, which iptables sees as such): ` +
          `${mapped.map((m) => JSON.stringify(m)).join(', ')}; write the IPv4 address or CIDR`,
      };
    if (all && entries.length)
      return { severity: 'error', keys: [key], message: `"*" cannot be combined with other entries` };
    return undefined;
  };

/**
 * A host list entry iptables takes for an IPv4 address, never looking the name up: a number, or up to four
 * dot-separated numbers in decimal, octal or hex (`-d 1234` matches 0.0.4.210, `-d 10.1` 10.1.0.0, shown in a
 * network namespace). A dotted quad is the address it says, and stays allowed.
 */
const NUMERIC_HOST = /^(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){0,3}$/i;

const hostRule =
  (key: 'ignoreSrcHosts' | 'ignoreDstHosts', addresses: 'ignoreSrcIps' | 'ignoreDstIps'): Rule =>
  (s) => {
    const numeric = s[key].entries.filter((entry) => NUMERIC_HOST.test(entry) && isIP(entry) !== 4);
    return s.proxyType === 'transparent' && numeric.length
      ? {
          severity: 'error',
          keys: [key],
          message:
            `iptables reads ${numeric.map((n) => JSON.stringify(n)).join(', ')} as an IPv4 address, not a host ` +
            `name ("1234" is 0.0.4.210, "10.1" is 10.1.0.0): write addresses in full in ${kebab(addresses)}`,
        }
      : undefined;
  };

/** A setting that only means something together with another one: a warning, never silence. */
const needs =
  (key: keyof Settings, other: keyof Settings, why: string, active: (s: Settings) => boolean): Rule =>
  (s) =>
    active(s) && !s[other] ? { severity: 'warning', keys: [key, other], message: why } : undefined;

/**
 * tls-in/tls-mutual files: keys of the secret when there is one, full paths of existing files otherwise. Without
 * a secret the proxy gets the pair only when both are paths, so one path given with the other left at its
 * default (a key name) would turn the pair off unsaid: that default is the error.
 */
const keyPairRule =
  (
    secret: 'tlsInSecret' | 'tlsMutualSecret',
    files: ('tlsInPrivate' | 'tlsInPublic' | 'tlsMutualPrivate' | 'tlsMutualPublic')[],
  ): Rule =>
  (s) => {
    const given = files.some((key) => s[key] !== DEFAULTS[key]);
    const bad = files.find((key) => (s[secret] ? s[key].includes('/') : given && !s[key].startsWith('/')));
    if (!bad) return undefined;
    const expected = s[secret]
      ? `a key of Secret ${s[secret]} (a file name without "/")`
      : `a full path when ${kebab(secret)} is not set`;
    if (s[bad] !== DEFAULTS[bad])
      return { severity: 'error', keys: [bad, secret], message: `expected ${expected}, got ${JSON.stringify(s[bad])}` };
    // The default was not written: reported at the file that was.
    const keys = [...files.filter((key) => s[key] !== DEFAULTS[key]), bad, secret];
    const message = `${kebab(bad)} must be a full path too when ${kebab(secret)} is not set`;
    return { severity: 'error', keys, message: `${message} (it is the default, ${JSON.stringify(s[bad])})` };
  };

/**
 * The sidecar's request of a resource above its limit, which the API server refuses ("must be less than or equal
 * to ... limit"): the whole pod would be rejected. The default request (cpu 10m, memory 32Mi) counts, so a limit
 * set below it alone is refused too.
 */
const requestWithinLimit =
  (
    request: 'cpuRequest' | 'memoryRequest' | 'ephemeralStorageRequest',
    limit: 'cpuLimit' | 'memoryLimit' | 'ephemeralStorageLimit',
  ): Rule =>
  (s) => {
    // An environment that sizes the proxy (gke-autopilot) says what it needs itself (environment-unfit).
    if (request in ENVIRONMENTS[s.environment].settings) return undefined;
    const [wanted, cap] = [s[request], s[limit]];
    if (wanted === undefined || cap === undefined || compareQuantities(wanted, cap) !== 1) return undefined;
    const given = wanted === DEFAULTS[request] ? ' (the default)' : '';
    return {
      severity: 'error',
      keys: [request, limit],
      message:
        `${kebab(request)} ${wanted}${given} is more than ${kebab(limit)} ${cap}: the API server refuses a ` +
        'container whose request is above its limit',
    };
  };

/**
 * A proxy-host that names the pod itself: the reverse proxy's target is then a port of this pod. `0.0.0.0`
 * dialled reaches the pod too; the ip6 names are in every pod's /etc/hosts. (The schema takes no `:`.)
 */
const LOCAL_HOST = new RegExp(`^(?:${LOOPBACK_NAMES.join('|')}|127(?:\\.\\d{1,3}){3}|0\\.0\\.0\\.0)$`, 'i');

/**
 * A reverse (or dual) proxy whose target is one of its own listeners on this pod (proxy-port equal to the
 * in-port, or to the out-port): inbound traffic would go round the proxy and never reach the app.
 */
const reverseTargetsItself: Rule = (s) => {
  if (!reversesInbound(s) || !LOCAL_HOST.test(s.proxyHost)) return undefined;
  // An environment that takes proxy-port from the app's port: an app on the in-port is port-conflict's to say.
  if (ENVIRONMENTS[s.environment].appPort) return undefined;
  const own =
    s.proxyPort === s.proxyInPort ? 'proxyInPort' : s.proxyPort === s.proxyOutPort ? 'proxyOutPort' : undefined;
  if (!own) return undefined;
  return {
    severity: 'error',
    keys: ['proxyPort', own, 'proxyType'],
    message:
      `proxy-port ${s.proxyPort} is the proxy's own ${own === 'proxyInPort' ? 'in' : 'out'}-port: the reverse ` +
      `proxy would forward inbound traffic to its own listener on ${s.proxyHost}, never to the app`,
  };
};

/** Settings the docs call "transparent only, ignored otherwise" (the schema's x-transparent-only). */
const TRANSPARENT_ONLY = keysMarked('x-transparent-only') as (keyof Settings)[];
/** Of those, the ones that also feed the app's NO_PROXY, where the app gets the proxy variables. */
const NO_PROXY = new Set(keysMarked('x-no-proxy'));

/**
 * The converse: settings of the proxies the non-transparent types run, which the others never read (proxy
 * protocol: non-transparent only; the reverse proxy's target: reverse and dual, Speedscale's annotation table).
 */
const NON_TRANSPARENT_ONLY: readonly [keyof Settings, (s: Settings) => boolean][] = [
  ['proxyProtocol', (s) => s.proxyType !== 'transparent'],
  ['proxyHost', reversesInbound],
  ['proxyPort', reversesInbound],
];

/** A setting as written: a list's text, any other value itself. */
const written = (value: unknown): unknown => (isList(value) ? value.text : value);
const isList = (value: unknown): value is ListSetting<unknown> =>
  typeof value === 'object' && value !== null && 'entries' in value;

export const RULES: Rule[] = [
  (s) =>
    s.proxyInPort === s.proxyOutPort
      ? {
          severity: 'error',
          keys: ['proxyInPort', 'proxyOutPort'],
          message: `proxy in-port and out-port are both ${s.proxyInPort}`,
        }
      : undefined,
  cidrRule('ignoreSrcIps'),
  cidrRule('ignoreDstIps'),
  hostRule('ignoreSrcHosts', 'ignoreSrcIps'),
  hostRule('ignoreDstHosts', 'ignoreDstIps'),
  (s) =>
    s.proxyProtocol === 'tcp' && s.proxyType !== 'reverse' && s.proxyType !== 'transparent'
      ? {
          severity: 'error',
          keys: ['proxyProtocol', 'proxyType'],
          message: `proxy protocol "tcp" needs proxy type "reverse", got "${s.proxyType}"`,
        }
      : undefined,
  (s) =>
    // Under transparent the protocol is ignored (NON_TRANSPARENT_ONLY warns), as for "tcp" above.
    s.proxyProtocol.startsWith('tcp:') && s.proxyType !== 'dual' && s.proxyType !== 'transparent'
      ? {
          severity: 'error',
          keys: ['proxyProtocol', 'proxyType'],
          message: `proxy protocol "${s.proxyProtocol}" needs proxy type "dual", got "${s.proxyType}"`,
        }
      : undefined,
  needs(
    'kubeApiSupport',
    'tlsOut',
    'kube-api-support needs tls-out to see inside the API calls',
    (s) => s.kubeApiSupport,
  ),
  needs(
    'tlsJavaToolOptions',
    'tlsOut',
    'tls-java-tool-options has no effect without tls-out',
    (s) => s.tlsJavaToolOptions,
  ),
  needs('mountKnownCa', 'tlsOut', 'mount-known-ca has no effect without tls-out', (s) => s.mountKnownCa),
  // Speedscale: ignore-loopback drops port-forwarded traffic, which track-loopback exists to capture.
  (s) =>
    s.trackLoopback && s.ignoreLoopback
      ? {
          severity: 'warning',
          keys: ['trackLoopback', 'ignoreLoopback'],
          message: 'track-loopback has no effect with ignore-loopback, which leaves all loopback traffic alone',
        }
      : undefined,
  needs(
    'prometheusEnableScrapeAnnotations',
    'prometheusPort',
    'prometheus-enable-scrape-annotations has no effect without prometheus-port',
    (s) => s.prometheusEnableScrapeAnnotations,
  ),
  reverseTargetsItself,
  requestWithinLimit('cpuRequest', 'cpuLimit'),
  requestWithinLimit('memoryRequest', 'memoryLimit'),
  requestWithinLimit('ephemeralStorageRequest', 'ephemeralStorageLimit'),
  keyPairRule('tlsInSecret', ['tlsInPrivate', 'tlsInPublic']),
  keyPairRule('tlsMutualSecret', ['tlsMutualPrivate', 'tlsMutualPublic']),
  (s) => {
    const used = (key: string) => NO_PROXY.has(key) && appProxyApplies(s);
    const set = TRANSPARENT_ONLY.filter((key) => written(s[key]) !== DEFAULTS[key] && !used(key));
    return s.proxyType !== 'transparent' && set.length
      ? {
          severity: 'warning',
          keys: [...set, 'proxyType'],
          message: `${set.map(kebab).join(', ')} only apply to proxy type transparent; ignored with "${s.proxyType}"`,
        }
      : undefined;
  },
  (s) => {
    const set = NON_TRANSPARENT_ONLY.filter(([key, used]) => s[key] !== DEFAULTS[key] && !used(s)).map(([k]) => k);
    return set.length
      ? {
          severity: 'warning',
          keys: [...set, 'proxyType'],
          message: `${set.map(kebab).join(', ')} ${set.length > 1 ? 'do' : 'does'} not apply to proxy type "${s.proxyType}"; ignored`,
        }
      : undefined;
  },
  (s) =>
    s.serviceTargetPort === 'proxy' && !reversesInbound(s)
      ? {
          severity: 'warning',
          keys: ['serviceTargetPort', 'proxyType'],
          message: `service-target-port proxy needs proxy type reverse or dual (an inbound listener), got "${s.proxyType}"`,
        }
      : undefined,
  (s) =>
    s.prometheusPort !== undefined && [s.proxyInPort, s.proxyOutPort].includes(s.prometheusPort)
      ? {
          severity: 'error',
          keys: ['prometheusPort'],
          message: `prometheus port ${s.prometheusPort} is a proxy listener port`,
        }
      : undefined,
];

export function checkRules(settings: Settings): RuleProblem[] {
  return RULES.map((rule) => rule(settings)).filter((p): p is RuleProblem => p !== undefined);
}
