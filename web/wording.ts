/** How the steps name a workload and say why the function did what it did to it. */
import type { Workload } from './pipeline';

/** The outcome's reason in words, as the command line reports it. */
export { why } from '../fn/index';

/** namespace/name, with the namespace kubectl would use when none is written. */
export const where = (w: Workload): string => `${w.namespace || 'default'}/${w.name}`;
