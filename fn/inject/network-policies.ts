/**
 * NetworkPolicies of the package that isolate a workload's pods, and the ports they let through: a reverse proxy
 * adds a port callers must reach, its in-port, and every proxy sends to the forwarder. Read as the API documents
 * them (networking.k8s.io/v1): a policy selects pods by a label selector in its own namespace; a pod selected by
 * one that lists Ingress in its policyTypes (or has none) is isolated for ingress (for egress: Egress listed, or
 * none and egress rules), and a connection is allowed when a rule of any such policy allows it. A rule without
 * ports allows every port; a port without a number, every port of its protocol (TCP when unset); a named port, the
 * pod's container port of that name.
 *
 * Only what is certain is used: a selector this code cannot read selects nothing (label-selector.ts). One that
 * reads a label the pods' controller sets may select them or not: such a policy isolates them for no check, and
 * its rules count as allowing what they allow (a warning holds whichever it turns out to be). The rules' peers
 * (from, to) are not read: a port a rule allows to some peers counts as allowed. Egress is judged
 * only where the answer is certain without the forwarder's pods, whose port an egress rule names and the
 * package does not hold: policies that allow no egress at all, or no DNS to resolve the forwarder's name.
 */
import { isIPv4, LOOPBACK_NAMES } from '../config/ip';
import { metaOf, type Resource } from '../resource';
import { asList, asMap, asText, unset, type Json } from '../shape';
import { mapAt, toJSON } from '../yaml/nodes';
import { selectsLabels, type PodLabels } from './label-selector';
import { readKind } from './package-kind';

export interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

/** A rule's ports; absent: every port. */
type Rule = readonly PolicyPort[] | undefined;

export interface NetworkPolicy {
  name: string;
  namespace?: string;
  podSelector: Json;
  /** The ingress rules when the policy isolates for ingress ([] allows nothing); absent when it does not. */
  ingress?: readonly Rule[];
  /** The egress rules when the policy isolates for egress ([] allows nothing); absent when it does not. */
  egress?: readonly Rule[];
}

export const readNetworkPolicies = (items: readonly string[]): NetworkPolicy[] =>
  readKind(items, { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1' }, policyOf);

function policyOf(resource: Resource): NetworkPolicy {
  const { name, namespace } = metaOf(resource.root);
  const spec = asMap(toJSON(mapAt(resource.root, ['spec']), resource.doc));
  // policyTypes unset or empty: Ingress always, and Egress when the policy has egress rules
  // (SetDefaults_NetworkPolicy counts them: `egress: []` adds none).
  const types = asList(spec.policyTypes).length ? asList(spec.policyTypes).map(asText) : undefined;
  const isolates = types ? types.includes('Ingress') : true;
  const isolatesEgress = types ? types.includes('Egress') : asList(spec.egress).length > 0;
  return {
    name: asText(name),
    ...(namespace !== undefined && { namespace }),
    podSelector: asMap(spec.podSelector),
    ...(isolates && { ingress: rulesOf(spec.ingress) }),
    ...(isolatesEgress && { egress: rulesOf(spec.egress) }),
  };
}

const rulesOf = (rules: unknown): Rule[] =>
  asList(rules).map((rule) => {
    const ports = asList(asMap(rule).ports).map(asMap);
    return ports.length ? ports.map(portOf) : undefined;
  });

function portOf(port: Json): PolicyPort {
  return {
    ...(!unset(port.protocol) && { protocol: asText(port.protocol) }),
    ...((typeof port.port === 'number' || typeof port.port === 'string') && { port: port.port }),
    ...(typeof port.endPort === 'number' && { endPort: port.endPort }),
  };
}

/** The policies of the package in this namespace that surely select pods with these labels, and those that may. */
export function selecting(
  policies: readonly NetworkPolicy[],
  namespace: string | undefined,
  labels: PodLabels,
): { sure: NetworkPolicy[]; maybe: NetworkPolicy[] } {
  const sure: NetworkPolicy[] = [];
  const maybe: NetworkPolicy[] = [];
  for (const p of policies) {
    if (p.namespace !== namespace) continue;
    const answer = selectsLabels(p.podSelector, labels);
    if (answer === 'yes') sure.push(p);
    else if (answer === 'maybe') maybe.push(p);
  }
  return { sure, maybe };
}

/**
 * Whether some rule allows `protocol` (TCP unless said) to the pod's `port`, which goes by `names` (its
 * container ports' names; `undefined`: any name may be it, as for another pod's ports, which are not known).
 */
export function allows(
  rules: readonly Rule[],
  port: number,
  names: readonly string[] | undefined,
  protocol = 'TCP',
): boolean {
  return rules.some(
    (ports) =>
      ports === undefined ||
      ports.some((p) => {
        if ((p.protocol ?? 'TCP') !== protocol) return false;
        if (p.port === undefined) return true;
        if (typeof p.port === 'string') return names === undefined || names.includes(p.port);
        return p.port === port || (p.endPort !== undefined && p.port <= port && port <= p.endPort);
      }),
  );
}

/**
 * Why the policies that isolate these pods for egress surely keep the proxy from the forwarder at `forwarder`
 * (host:port), if they do: they allow no egress at all, or, for a host name, no DNS (port 53, UDP or TCP).
 * `hosts`: names the pod's /etc/hosts gives (its hostAliases), which need no DNS. `maybe`: policies that may
 * select the pods, whose egress rules may allow it.
 */
export function egressRefused(
  policies: readonly NetworkPolicy[],
  forwarder: string,
  hosts: readonly string[] = [],
  maybe: readonly NetworkPolicy[] = [],
): string | undefined {
  const isolating = policies.filter((p) => p.egress);
  if (!isolating.length) return undefined;
  const names = isolating.map((p) => p.name || '(no name)').join(', ');
  const says = isolating.length === 1 ? `NetworkPolicy ${names} allows` : `NetworkPolicies ${names} allow`;
  const rules = [...isolating, ...maybe].flatMap((p) => p.egress ?? []);
  if (!rules.length)
    return `${says} the pods no egress at all, so the proxy cannot send what it captures to the forwarder; allow it`;
  const host = forwarder.slice(0, forwarder.lastIndexOf(':'));
  // The loopback names and the hostAliases are in the pod's /etc/hosts, read before DNS (whatever the case, with
  // or without a final dot).
  const plain = (name: string) => name.toLowerCase().replace(/\.$/, '');
  const named =
    !host.startsWith('[') && !isIPv4(host) && ![...hosts, ...LOOPBACK_NAMES].some((h) => plain(h) === plain(host));
  // A policy sees the DNS pods' own port: 53, or 5353 behind OpenShift's dns-default Service.
  const dns = [53, 5353].some((port) => allows(rules, port, undefined, 'UDP') || allows(rules, port, undefined, 'TCP'));
  if (named && !dns)
    return (
      `${says} the pods no DNS (port 53, nor 5353 as OpenShift's DNS pods listen), so the proxy cannot resolve ` +
      `${host} to send what it captures there; allow DNS`
    );
  return undefined;
}
