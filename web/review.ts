/** The Review step's facts about one workload, read from the core's Outcome and the texts (pure). */
import { readYaml, type Outcome, type Result } from '../fn/index';
import type { Workload } from './pipeline';

export interface Review {
  before: string;
  after: string;
  /** READY as kubectl shows it: containers the pod waits for (native sidecars included). */
  ready: { before: number; after: number };
  initOrder: { before: string[]; after: string[] };
  status: string;
  why: string;
  results: Result[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function pod(text: string, w: Workload): { containers: string[]; init: string[]; nativeSidecars: number } {
  const read = readYaml(text);
  const value = 'error' in read ? undefined : read.value;
  // A List's item is cut out as a one-item sequence.
  let spec: unknown = Array.isArray(value) && value.length === 1 ? value[0] : value;
  for (const key of [...w.podMetadataPath.slice(0, -1), 'spec']) spec = isObject(spec) ? spec[key] : undefined;
  const list = (key: string) => (isObject(spec) && Array.isArray(spec[key]) ? (spec[key] as Json[]) : []);
  const init = list('initContainers');
  return {
    containers: list('containers').map((c) => String(c.name)),
    init: init.map((c) => String(c.name)),
    nativeSidecars: init.filter((c) => c.restartPolicy === 'Always').length,
  };
}

/** `before` and `after`: the workload's text as loaded and as the function writes it (pipeline.ts piecesOf). */
export function reviewOf(
  { before, after }: { before: string; after: string },
  w: Workload,
  o: Outcome | undefined,
  why: (o: Outcome) => string,
): Review {
  const a = pod(before, w);
  const b = pod(after, w);
  return {
    before,
    after,
    ready: { before: a.containers.length + a.nativeSidecars, after: b.containers.length + b.nativeSidecars },
    initOrder: { before: a.init, after: b.init },
    status: o?.status ?? 'unchanged',
    why: o ? why(o) : '',
    results: o?.results ?? [],
  };
}
