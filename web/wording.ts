/** How the steps name a workload and say why the function did what it did to it. */
import { printableName } from '../fn/index';
import type { Workload } from './pipeline';

/** The outcome's reason in words, as the command line reports it. */
export { why } from '../fn/index';

/**
 * namespace/name, or the name alone when the manifest names no namespace: it goes wherever it is applied
 * (the context's namespace, a kustomization's, Helm's --namespace), so the page never invents `default`.
 * Printable, as `inject` prints a resource: a line feed or a bidi override in a name (which the function
 * refuses) is shown escaped, never laid out, so no name reads as another.
 */
export const where = (w: Pick<Workload, 'namespace' | 'name'>): string =>
  printableName(w.namespace ? `${w.namespace}/${w.name}` : w.name);
