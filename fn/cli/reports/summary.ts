/** The count line that ends the text and github reports, and the counts the json report holds. */
import type { FileEntry, Status } from './entries';

const ORDER: readonly Status[] = ['injected', 'updated', 'removed', 'unchanged', 'kept', 'skipped', 'drift', 'error'];

export function countsOf(entries: readonly FileEntry[]): Partial<Record<Status, number>> {
  const counts: Partial<Record<Status, number>> = {};
  for (const status of ORDER) {
    const n = entries.filter((e) => e.status === status).length;
    if (n) counts[status] = n;
  }
  return counts;
}

export function summary(entries: readonly FileEntry[]): string {
  const resources = entries.filter((e) => e.index >= 0);
  const parts = Object.entries(countsOf(resources)).map(([status, n]) => `${n} ${status}`);
  // Whole files: refused (errors), or passed over (a kustomize patch, kustomize-patches.ts).
  const files = (status: Status, one: string, many: string) => {
    const n = entries.filter((e) => e.index < 0 && e.status === status).length;
    return n ? `; ${n} ${n === 1 ? one : many}` : '';
  };
  const plural = resources.length === 1 ? '' : 's';
  return (
    `sidecar-injector: ${resources.length} resource${plural}${parts.length ? `: ${parts.join(', ')}` : ''}` +
    `${files('error', 'file error', 'file errors')}${files('skipped', 'file skipped', 'files skipped')}`
  );
}
