/** The Review step's facts about one workload, read from the core's Outcome and the texts (pure). */
import { isObject, readYaml, type Outcome, type Result } from '../fn/index';
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

export type Json = Record<string, unknown>;

/** The pod spec of a workload's text (pipeline.ts piecesOf), as data; undefined when there is none. */
export function podSpec(text: string, w: Workload): Json | undefined {
  const read = readYaml(text);
  const value = 'error' in read ? undefined : read.value;
  // A List's item is cut out as a one-item sequence.
  let spec: unknown = Array.isArray(value) && value.length === 1 ? value[0] : value;
  for (const key of [...w.podMetadataPath.slice(0, -1), 'spec']) spec = isObject(spec) ? spec[key] : undefined;
  return isObject(spec) ? spec : undefined;
}

/** A list of the pod spec's maps (containers, volumes), [] when it is not one. */
export const listOf = (spec: Json | undefined, key: string): Json[] =>
  Array.isArray(spec?.[key]) ? (spec[key] as unknown[]).filter(isObject) : [];

function pod(text: string, w: Workload): { containers: string[]; init: string[]; nativeSidecars: number } {
  const spec = podSpec(text, w);
  const list = (key: string) => listOf(spec, key);
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
