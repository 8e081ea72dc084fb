/**
 * What an update takes away: an injected workload processed with other settings loses what the earlier ones
 * added (TLS's volume and variables, a container). The core reports it only as "updated"; the texts before
 * and after tell what goes, by name, so the summary can say "removes ..." (pure).
 */
import { listOf, podSpec, type Json } from './review';
import type { Workload } from './pipeline';

const names = (items: Json[]): string[] => items.map((i) => String(i.name));
const gone = (before: string[], after: string[]): string[] => before.filter((n) => !after.includes(n));

/** What goes, per kind of thing: the pod's own lists, then each container's that stays. */
const POD_LISTS: readonly [key: string, what: string][] = [
  ['initContainers', 'init container'],
  ['containers', 'container'],
  ['volumes', 'volume'],
];
const CONTAINER_LISTS: readonly [key: string, what: string][] = [
  ['env', 'variable'],
  ['volumeMounts', 'mount'],
  ['ports', 'port'],
];

/** Everything the update removes, in words ("volume speedscale-tls-out", "variable SSL_CERT_FILE of app"). */
export function removals({ before, after }: { before: string; after: string }, w: Workload): string[] {
  const a = podSpec(before, w);
  const b = podSpec(after, w);
  if (!a || !b) return [];
  const removed: string[] = [];
  for (const [key, what] of POD_LISTS)
    for (const name of gone(names(listOf(a, key)), names(listOf(b, key)))) removed.push(`${what} ${name}`);
  for (const containers of ['initContainers', 'containers']) {
    const after = new Map(listOf(b, containers).map((c) => [String(c.name), c]));
    for (const c of listOf(a, containers)) {
      const kept = after.get(String(c.name));
      if (!kept) continue;
      for (const [key, what] of CONTAINER_LISTS) {
        // Ports have no name to go by: their number.
        const id = (items: Json[]) => (key === 'ports' ? items.map((p) => String(p.containerPort)) : names(items));
        for (const name of gone(id(listOf(c, key)), id(listOf(kept, key))))
          removed.push(`${what} ${name} of ${String(c.name)}`);
      }
    }
  }
  return removed;
}
