/**
 * One resource through the core for a command: the core decides (processResource), the command's table
 * filters what it may write, and the outcome becomes a report entry with a status and the reason why.
 */
import { ANNOTATION_PREFIX } from '../config/schema';
import { RECORD_ANNOTATION } from '../config/settings';
import type { Settings } from '../config/settings-type';
import type { Namespaces } from '../inject/namespaces';
import { processResource, type Outcome } from '../inject/process';
import { isLocalConfig, metaOf, parseResource } from '../resource';
import type { Result, ResourceMeta } from '../results';
import { podPaths, workloadKind } from '../workloads';
import { mapAt, scalarString } from '../yaml/nodes';
import type { Command } from './commands';

export type Status = 'injected' | 'updated' | 'removed' | 'unchanged' | 'kept' | 'skipped' | 'drift' | 'error';

export interface Entry {
  meta: ResourceMeta;
  status: Status;
  /** Why, in a few words (empty when the status says it all). */
  why: string;
  /** The core's KRM results for this resource, as the function would report them. */
  results: Result[];
  /** The resource before and after, for patches (set only when it changed). */
  before?: string;
  after?: string;
}

export interface Engine {
  command: Command;
  config: Partial<Settings>;
  check: boolean;
  /** What the Namespaces among the inputs say (Pod Security, meshes). */
  namespaces?: Namespaces;
}

export function processOne(text: string, engine: Engine): { text: string; entry: Entry } {
  const resource = parseResource(text);
  if (typeof resource === 'string')
    return { text, entry: { meta: unknownMeta, status: 'error', why: resource, results: [] } };
  const meta = metaOf(resource.root);
  const workload = workloadKind(meta.apiVersion, meta.kind, engine.config.targets);
  const { command, config } = engine;
  const run = (mode: 'inject' | 'check'): Outcome =>
    processResource(text, { config: { ...config, mode }, namespaces: engine.namespaces });
  let outcome = run(engine.check ? 'check' : 'inject');
  let refused = outcome.change !== 'unchanged' && !command.changes.has(outcome.change);
  // In check mode a drift counts only if the command itself would make that change.
  if (outcome.results.some(isDrift) && !command.changes.has(run('inject').change)) refused = true;
  // A change not made is not reported as made.
  const results = refused
    ? outcome.results.filter((r) => !isDrift(r) && !CHANGE_REASONS.has(r.tags?.reason ?? ''))
    : outcome.results;
  if (refused) outcome = { text, results, change: 'unchanged' };
  const entry = (status: Status, why: string, changed?: string): { text: string; entry: Entry } => ({
    text: changed ?? text,
    entry: { meta, status, why, results, ...(changed !== undefined && { before: text, after: changed }) },
  });
  const messages = (severity: Result['severity']) =>
    results
      .filter((r) => r.severity === severity && !CHANGE_REASONS.has(r.tags?.reason ?? ''))
      .map((r) => r.message)
      .join('; ');

  if (results.some(isDrift)) return entry('drift', messages('error').replace(/^drift: /, ''));
  if (results.some((r) => r.severity === 'error')) return entry('error', messages('error'));
  if (refused) return entry('kept', command.kept);
  if (outcome.change !== 'unchanged') return entry(outcome.change, messages('warning'), outcome.text);
  if (!workload) return entry('skipped', messages('warning') || `not a workload (${meta.kind || 'no kind'})`);
  if (isLocalConfig(resource.root)) return entry('skipped', 'local config (config.kubernetes.io/local-config: "true")');
  const injected = mapAt(resource.root, ['metadata', 'annotations'])?.has(RECORD_ANNOTATION) ?? false;
  if (injected)
    return command.changes.has('injected') ? entry('unchanged', 'already injected') : entry('kept', command.kept);
  if (!command.changes.has('injected')) return entry('unchanged', 'not injected');
  const asked = injectAnnotation(resource.root, podPaths(workload).podMetadata);
  return entry(
    'skipped',
    messages('warning') ||
      (asked === undefined
        ? 'not annotated sidecar.speedscale.com/inject: "true"'
        : `annotated sidecar.speedscale.com/inject: "${asked}"`),
  );
}

const CHANGE_REASONS = new Set(['injected', 'updated', 'removed']);
const isDrift = (r: Result) => r.tags?.reason === 'drift';
const unknownMeta: ResourceMeta = { apiVersion: '', kind: '', name: '' };

/** The workload's own inject annotation wins over its pod template's, as in the settings' precedence. */
function injectAnnotation(root: Parameters<typeof mapAt>[0], podMetadata: string[]): string | undefined {
  const key = `${ANNOTATION_PREFIX}inject`;
  for (const path of [
    ['metadata', 'annotations'],
    [...podMetadata, 'annotations'],
  ]) {
    const value = scalarString(mapAt(root, path)?.get(key, true));
    if (value !== undefined) return value;
  }
  return undefined;
}
