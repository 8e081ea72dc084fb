/**
 * NetworkPolicies of the package that isolate a workload's pods for ingress, and the ports they let through:
 * a reverse proxy adds a port callers must reach, its in-port. Read as the API documents them
 * (networking.k8s.io/v1): a policy selects pods by a label selector in its own namespace; a pod selected by
 * one that lists Ingress in its policyTypes (or has none) is isolated, and a connection is allowed when a rule
 * of any such policy allows it. A rule without ports allows every port; a port without a number, every port
 * of its protocol (TCP when unset); a named port, the pod's container port of that name.
 *
 * Only what is certain is used: a selector this code cannot read selects nothing (label-selector.ts). The
 * rules' peers (from) are not read: a port a rule allows to some callers counts as allowed. Egress is not
 * judged: whether the proxy reaches the forwarder depends on the forwarder's pods' port, which the package
 * does not hold.
 */
import { metaOf, type Resource } from '../resource';
import { asList, asMap, asText, unset, type Json } from '../shape';
import { mapAt, toJSON } from '../yaml/nodes';
import { selectsLabels } from './label-selector';
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
}

export const readNetworkPolicies = (items: readonly string[]): NetworkPolicy[] =>
  readKind(items, { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1' }, policyOf);

function policyOf(resource: Resource): NetworkPolicy {
  const { name, namespace } = metaOf(resource.root);
  const spec = asMap(toJSON(mapAt(resource.root, ['spec']), resource.doc));
  // policyTypes unset: Ingress always (and Egress when it has egress rules, not read here).
  const isolates = !Array.isArray(spec.policyTypes) || spec.policyTypes.map(asText).includes('Ingress');
  const ingress = asList(spec.ingress).map((rule) => {
    const ports = asList(asMap(rule).ports).map(asMap);
    return ports.length ? ports.map(portOf) : undefined;
  });
  return {
    name: asText(name),
    ...(namespace !== undefined && { namespace }),
    podSelector: asMap(spec.podSelector),
    ...(isolates && { ingress }),
  };
}

function portOf(port: Json): PolicyPort {
  return {
    ...(!unset(port.protocol) && { protocol: asText(port.protocol) }),
    ...((typeof port.port === 'number' || typeof port.port === 'string') && { port: port.port }),
    ...(typeof port.endPort === 'number' && { endPort: port.endPort }),
  };
}

/** The policies of the package that select pods with these labels in this namespace. */
export function isolating(
  policies: readonly NetworkPolicy[],
  namespace: string | undefined,
  labels: Readonly<Record<string, string>>,
): NetworkPolicy[] {
  return policies.filter((p) => p.namespace === namespace && selectsLabels(p.podSelector, labels));
}

/** Whether some rule allows TCP to the pod's `port`, which goes by `names` (its container ports' names). */
export function allows(rules: readonly Rule[], port: number, names: readonly string[]): boolean {
  return rules.some(
    (ports) =>
      ports === undefined ||
      ports.some((p) => {
        if (p.protocol !== undefined && p.protocol !== 'TCP') return false;
        if (p.port === undefined) return true;
        if (typeof p.port === 'string') return names.includes(p.port);
        return p.port === port || (p.endPort !== undefined && p.port <= port && port <= p.endPort);
      }),
  );
}
