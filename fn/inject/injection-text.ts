/**
 * The plan made text: the additions placed into the resource, the record of exactly what was placed added
 * to them, and everything rendered as edits spliced into the source, so the untouched bytes stay as written.
 */
import type { Resource } from '../resource';
import type { PodPaths } from '../workloads';
import { detectStyle, plainInsertions } from '../yaml/block-edit';
import { isMap, isScalar, isWithin, nodeAt, samePath, seqAt, type Path, type YAMLMap } from '../yaml/nodes';
import { isOrchestratorAnnotation } from '../vocabulary';
import { applyEdits, editLines } from '../yaml/text-edit';
import {
  addedPaths,
  filledKeys,
  place,
  placeRewrites,
  renderPlacement,
  setPlacedValue,
  sharedTarget,
  type Addition,
  type Blocked as Unplaced,
  type Placement,
  type Rewrite,
  type Slots,
} from './additions';
import { checkPlacement, type Unsafe } from './guard';
import { RECORD_PATH, serializeRecord } from './record';

/** What an earlier run left (record.ts stripRecord): the maps and lists it created, where its list items stood. */
export interface Earlier {
  created: readonly Path[];
  slots: Slots;
}

/** Where an addition cannot go, or why the edit cannot be shown to be right: the workload is left as it was. */
export type Blocked = Unplaced | { unsafe: Unsafe };

const RECORD_MAP = RECORD_PATH.slice(0, -1);
const RECORD_KEY = RECORD_PATH[RECORD_PATH.length - 1] as string;

/**
 * The injected text of `base`, or where an addition cannot go. `rewrites` change values the author wrote
 * (recorded with their text, so removal writes it back); `paths` is where the pod is, for the style, and
 * undefined for a resource without one (a Service).
 */
export function injectionText(
  base: Resource,
  paths: PodPaths | undefined,
  additions: readonly Addition[],
  rewrites: readonly Rewrite[] = [],
  was: Earlier = { created: [], slots: new Map() },
): string | Blocked {
  // The record lists every placed path, its own included: placed first with no value, then given its value.
  const all = [...additions, { path: RECORD_MAP, key: RECORD_KEY, value: '' }];
  const placement = place(base, all, was.slots);
  if ('blocked' in placement) return placement;
  const shared = sharedTarget(placement, base.doc);
  if (shared) return shared;
  const rewritten = placeRewrites(base.text, base.root, rewrites);
  if (!Array.isArray(rewritten)) return { unsafe: { message: rewritten.why, path: rewritten.path } };
  placement.rewrites = rewritten;
  const edited = rewritten.map(({ path, was, now }) => ({ path, was, now }));
  const placed = addedPaths(placement);
  const { added } = placed;
  // A map an earlier run created, kept for what was added to it since, is still the injection's to remove
  // once that is gone: it stays listed while the injection adds to it. So is one that holds nothing but what
  // kpt or kustomize add while a function runs (`metadata.annotations` of a workload without any): they take
  // theirs away when they write the file, which then holds what the injection created, as on the command line.
  const first = (path: Path) => added.findIndex((entry) => isWithin(entry, path));
  // In the order of their entries, a parent before its children: the order a fresh injection lists them in.
  const kept = [...was.created, ...orchestratorOnly(placement)].filter(
    (path, i, all) => first(path) >= 0 && all.findIndex((other) => samePath(other, path)) === i,
  );
  const created = kept.length
    ? [...placed.created, ...kept].sort((a, b) => first(a) - first(b) || a.length - b.length)
    : placed.created;
  const record = serializeRecord(added, { filled: filledKeys(placement), edited, created });
  setPlacedValue(placement, RECORD_MAP, RECORD_KEY, record);

  const spec = paths && nodeAt(base.root, paths.podSpec);
  const containers = paths && seqAt(base.root, [...paths.podSpec, 'containers']);
  const containersKey = isMap(spec) ? spec.items.find((p) => p.value === containers)?.key : undefined;
  const style = detectStyle(
    base.text,
    base.root,
    containers && containersKey ? { key: containersKey as never, seq: containers } : undefined,
  );
  // Plain lines at plain places are proven where they stand; anything else is read back first (guard.ts).
  const edits = renderPlacement(base.text, placement, style);
  if (!base.doc && plainInsertions(base.text, edits)) return applyEdits(base.text, edits);
  const render = (p: Placement) => editLines(base.text, (src) => renderPlacement(src, p, style));
  const unsafe = checkPlacement(base, placement, render);
  return unsafe ? { unsafe } : render(placement);
}

/** The maps the placement adds to that hold only what an orchestrator adds while the function runs. */
function orchestratorOnly(placement: Placement): Path[] {
  // Loops, not flatMap() and every(): asked of every workload, which seldom has such a map.
  const paths: Path[] = [];
  for (const m of placement.maps) if (m.map && holdsOnlyOrchestratorKeys(m.map)) paths.push(m.path);
  return paths;
}

function holdsOnlyOrchestratorKeys(map: YAMLMap): boolean {
  if (!map.items.length) return false;
  for (const pair of map.items)
    if (!(isScalar(pair.key) && isOrchestratorAnnotation(String(pair.key.value)))) return false;
  return true;
}
