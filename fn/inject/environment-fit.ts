/**
 * Whether a workload fits its environment's profile (config/environments.ts): what the platform refuses, checked
 * on the workload and on the settings it resolved to, the user's own included, so a setting that overrides
 * the profile into something the platform rejects is an error here, never a rejected pod at admission. The
 * pod checks' `environment-unfit` (block) and `environment-advice` (warning) are these.
 */
import { ENVIRONMENTS, type Refusal } from '../config/environments';
import { reversesInbound } from '../config/proxy-types';
import { compareQuantities } from '../config/quantity';
import type { Settings } from '../config/settings.generated';
import { sidecarResources } from '../render/sidecar';
import { asText } from '../shape';
import type { PodFacts } from './pod-facts';

/** A case found, as pod-checks.ts takes it. */
interface Case {
  detail: string;
  field?: string;
}

/** What the settings resolution knows beyond the values: whose they are. */
export interface FitContext {
  /** Keys the functionConfig or an annotation gives. */
  given: ReadonlySet<string>;
  /** The profile's values that stood (proxyPort among them when it was taken from the app). */
  decided: Readonly<Record<string, unknown>>;
}

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;

/** The resources whose request and limit differ, as `cpu request 10m, limit none`. */
function unequal(requests: Record<string, unknown> = {}, limits: Record<string, unknown> = {}): string[] {
  return RESOURCES.filter((r) => {
    if (requests[r] === undefined && limits[r] === undefined) return false;
    return compareQuantities(requests[r], limits[r]) !== 0;
  }).map((r) => `${r} request ${asText(requests[r] ?? 'none')}, limit ${asText(limits[r] ?? 'none')}`);
}

/** Each refusal: the cases it finds in a pod and its settings, worded with the platform's reason. */
const REFUSALS: Readonly<
  Record<Refusal, (pod: PodFacts, s: Settings) => (Omit<Case, 'detail'> & { what: string }) | undefined>
> = {
  'host-network': (pod) =>
    pod.hostNetwork ? { what: 'the pod uses hostNetwork: true', field: 'hostNetwork' } : undefined,
  'net-admin': (_pod, s) =>
    s.proxyType === 'transparent'
      ? { what: 'proxy-type transparent needs an iptables init container running as root with NET_ADMIN' }
      : undefined,
  'added-capabilities': (_pod, s) =>
    s.proxyType !== 'transparent' && s.proxySecurityContext !== 'restricted'
      ? { what: `proxy-security-context ${s.proxySecurityContext} adds NET_RAW to the proxy (use restricted)` }
      : undefined,
  'requests-equal-limits': (_pod, s) => {
    const resources = sidecarResources(s);
    const differ = unequal(resources.requests, resources.limits);
    return differ.length ? { what: `the proxy's ${differ.join('; ')}` } : undefined;
  },
};

/** What keeps the environment from serving this workload: each an error, and the workload is left as it was. */
export function unfit(pod: PodFacts, s: Settings, context: FitContext): Case[] {
  const profile = ENVIRONMENTS[s.environment];
  const cases: Case[] = [];
  for (const [refusal, reason] of Object.entries(profile.refuses) as [Refusal, { why: string }][]) {
    const found = REFUSALS[refusal](pod, s);
    if (found)
      cases.push({
        detail: `${s.environment}: ${found.what} (${reason.why})`,
        ...(found.field && { field: found.field }),
      });
  }
  const port = context.given.has('proxyPort') || context.decided.proxyPort !== undefined;
  if (profile.appPort && reversesInbound(s) && !port) {
    const ports = [...new Set(pod.containers.flatMap((c) => c.tcpPorts ?? []))];
    const declared = ports.length ? `${ports.length} TCP ports (${ports.join(', ')})` : 'no TCP port';
    cases.push({
      detail:
        `${s.environment}: the reverse proxy forwards to the app's port, but its containers declare ${declared}; ` +
        'set proxy-port (sidecar.speedscale.com/proxy-port) to the port it serves' +
        (ports.length ? '' : ', or proxy-type forward if it serves none'),
      field: 'containers',
    });
  }
  return cases;
}

/** What the environment will still refuse in the app's own containers: warnings, the injection goes ahead. */
export function advice(pod: PodFacts, s: Settings): Case[] {
  const equal = ENVIRONMENTS[s.environment].refuses['requests-equal-limits'];
  if (!equal) return [];
  return pod.containers.flatMap((c, index) => {
    const differ = unequal(c.resources?.requests, c.resources?.limits);
    return differ.length
      ? [
          {
            detail: `${s.environment}: container ${c.name} has ${differ.join('; ')} (${equal.why})`,
            field: `containers[${index}].resources`,
          },
        ]
      : [];
  });
}
