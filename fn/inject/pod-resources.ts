/**
 * Pod-level resources (spec.resources, Kubernetes 1.34 beta) against the containers the injection adds. The
 * API server refuses a pod template whose pod-level requests are less than what its containers request
 * together, or whose pod-level limit is less than one of its spec.containers' limit (init containers' are not
 * held to it); the injected ones count as any.
 * Aggregated as Kubernetes does (component-helpers' AggregateContainerRequests): the containers and native
 * sidecars add up; an ordinary init container runs alone beside the native sidecars started before it.
 */
import {
  addAmounts,
  compareAmounts,
  exact,
  formatAmount,
  formatAmounts,
  maxAmount,
  roundUpMilli,
  ZERO,
  type Amount,
} from '../config/quantity';
import type { Settings } from '../config/settings.generated';
import { renderInitContainers } from '../render/init-containers';
import { sidecarResources } from '../render/sidecar';
import type { PodFacts } from './pod-facts';

interface Running {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  sidecar?: boolean;
}

/** A quantity as the API server compares it: rounded up to millis first (`0.0205` is 21m). */
function quantity(value: unknown): Amount | undefined {
  const amount = exact(value);
  return amount && roundUpMilli(amount);
}

/** What a container requests of a resource: its request, else its limit (what the API server defaults it to). */
function request(c: Running, resource: string): Amount | null {
  const written = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
  return written === undefined ? ZERO : (quantity(written) ?? null);
}

/** The pod's aggregate request of a resource; null when a container's is not a quantity (not ours to judge). */
function aggregate(containers: Running[], inits: Running[], resource: string): Amount | null {
  let sum = ZERO;
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const c of containers) {
    const amount = request(c, resource);
    if (amount == null) return null;
    sum = addAmounts(sum, amount);
  }
  for (const c of inits) {
    const amount = request(c, resource);
    if (amount == null) return null;
    if (c.sidecar) {
      sum = addAmounts(sum, amount);
      sidecars = addAmounts(sidecars, amount);
      initPeak = maxAmount(initPeak, sidecars);
    } else initPeak = maxAmount(initPeak, addAmounts(amount, sidecars));
  }
  return maxAmount(sum, initPeak);
}

/** Where the pod-level resources stop holding once the injected containers are in, and what would fix it. */
export function podResourceCases(pod: PodFacts, s: Settings): { detail: string; field: string }[] {
  if (!pod.resources) return [];
  const { requests, limits } = pod.resources;
  const sidecar: Running = { resources: sidecarResources(s), sidecar: s.nativeSidecar };
  const initContainers: readonly Running[] = renderInitContainers(s);
  const place = (injected: readonly Running[]) =>
    s.insertInitFirst ? [...injected, ...pod.initContainers] : [...pod.initContainers, ...injected];
  const containers = [...pod.containers, ...(s.nativeSidecar ? [] : [sidecar])];
  const natives = s.nativeSidecar ? [sidecar] : [];
  const out: { detail: string; field: string }[] = [];
  for (const resource of new Set([...Object.keys(requests), ...Object.keys(limits)])) {
    // The pod level holds only these (IsSupportedPodLevelResource); any other there is refused as it stands.
    if (!(resource === 'cpu' || resource === 'memory' || resource.startsWith('hugepages-'))) continue;
    const show = (amount: Amount) => formatAmount(amount, resource);
    // Two amounts compared are said in one unit.
    const both = (x: Amount, y: Amount) => formatAmounts([x, y], resource);
    // Pod-level requests default to the limits; either way the containers' requests must fit under them.
    const kind = requests[resource] !== undefined ? 'requests' : 'limits';
    const ceiling = quantity(pod.resources[kind][resource]);
    const fits = (amount: Amount | null) => !!ceiling && !!amount && compareAmounts(amount, ceiling) <= 0;
    const after = aggregate(containers, place([...initContainers, ...natives]), resource);
    const limit = quantity(limits[resource]);
    // A pod refused before the injection (its containers' requests, or an app's limit, past the pod's) is the
    // author's to fix: only what the injection breaks is said here.
    if (
      !fits(aggregate(pod.containers, pod.initContainers, resource)) ||
      pod.containers.some((c) => {
        const own = limit && quantity(c.resources?.limits?.[resource]);
        return own && compareAmounts(own, limit) > 0;
      })
    )
      continue;
    if (ceiling && after && !fits(after)) {
      // The iptables init containers' requests are fixed: only a proxy type without them does without them.
      const byInits = fits(aggregate(containers, place(natives), resource));
      // Lowering the sidecar's request cannot help where the init containers alone go past the ceiling.
      const idle: Running = { sidecar: s.nativeSidecar };
      const bySidecar = s.nativeSidecar
        ? fits(aggregate(pod.containers, place([...initContainers, idle]), resource))
        : fits(aggregate([...pod.containers, idle], place(initContainers), resource));
      const fixed = initContainers.map((c) => request(c, resource)).find(Boolean);
      const withoutInits =
        fixed &&
        `take a proxy type without the iptables init containers, whose ${show(fixed)} is fixed (reverse, forward ` +
          'or dual)';
      const lower = `lower the sidecar's ${resource}-request`;
      const [is, would] = both(ceiling, after);
      out.push({
        detail:
          `the pod's spec.resources.${kind}.${resource} is ${is}, and its containers would request ` +
          `${would} together with the injected ones, which the API server refuses; raise it, or ` +
          (withoutInits && byInits
            ? withoutInits
            : withoutInits && !bySidecar
              ? `${withoutInits}, and ${lower}`
              : lower),
        field: `resources.${kind}.${resource}`,
      });
    }
    // Only spec.containers' limits are held to the pod's (validatePodResourceConsistency), not init containers':
    // neither the iptables ones nor a native sidecar.
    const own = s.nativeSidecar ? undefined : quantity(sidecar.resources?.limits?.[resource]);
    if (limit && own && compareAmounts(own, limit) > 0) {
      const [is, sidecars] = both(limit, own);
      out.push({
        detail:
          `the pod's spec.resources.limits.${resource} is ${is}, less than the sidecar's limit of ` +
          `${sidecars}, which the API server refuses; raise it, lower the sidecar's ${resource}-limit, or make it ` +
          "a native sidecar (native-sidecar), whose limit the pod's does not bound",
        field: `resources.limits.${resource}`,
      });
    }
  }
  return out;
}
