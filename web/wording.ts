/** How the steps name a workload and say why the function did what it did to it. */
import { entriesOf } from '../fn/cli/engine';
import type { Workload } from './pipeline';

/** The outcome's reason in words, as the command line reports it. */
export const why = (o: Parameters<typeof entriesOf>[0]): string => entriesOf(o)[0]?.why ?? '';

/** namespace/name, with the namespace kubectl would use when none is written. */
export const where = (w: Workload): string => `${w.namespace || 'default'}/${w.name}`;
