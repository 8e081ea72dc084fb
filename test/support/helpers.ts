/** Shared test helpers: build ResourceLists, run the function in-process or as the bundle, validate output. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-models/apps/v1';
import { Pod, ReplicationController } from 'kubernetes-models/v1';
import { parseDocument } from 'yaml';
import { splitResourceList } from '../../fn/krm/split';
import { run, type RunOutput } from '../../fn/krm/run';
import { podPaths, workloadKind } from '../../fn/workloads';

export const ROOT = join(__dirname, '../..');
export const BUNDLE = join(ROOT, 'dist/sidecar-injector.js');
/** The code and its V8 cache, which the loader BUNDLE reads from beside itself. */
export const BUNDLE_BIN = join(ROOT, 'dist/sidecar-injector.bin');
/** The storefront example: a small fictional shop's manifests, written for the tests (see its README.md). */
export const STOREFRONT = join(ROOT, 'fixtures/storefront');
/**
 * Real-world manifests from public projects, beside the repository when a machine has them (never copied into
 * it): only the optional corpus suite (test/system/corpus.test.ts) and an extra of the fast-parser test read it.
 */
export const CORPUS = join(ROOT, '../shared/corpus');

export { run };

/** A standalone YAML document as a compact ResourceList item (`- ` then two-space continuation). */
export function asItem(doc: string): string {
  const body = doc.endsWith('\n') ? doc : `${doc}\n`;
  return body.replace(/^(?=.)/gm, '  ').replace(/^ {2}/, '- ');
}

/** The inverse of asItem, to compare an item with the document it came from. */
export function fromItem(item: string): string {
  return item.replace(/^- /, '  ').replace(/^ {2}/gm, '');
}

export function resourceList(docs: string[], functionConfig?: string): string {
  const items = docs.length ? `items:\n${docs.map(asItem).join('')}` : 'items: []\n';
  const fc = functionConfig ? `functionConfig:\n${functionConfig.replace(/^(?=.)/gm, '  ')}` : '';
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n${items}${fc}`;
}

/** A ConfigMap functionConfig whose data is `data` (lines of `  key: value`), as resourceList takes it. */
export const configMap = (data: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;

export function itemsOf(output: string): string[] {
  const split = splitResourceList(output);
  if (!split) throw new Error(`output is not a block ResourceList:\n${output.slice(0, 500)}`);
  return split.items;
}

/** The results section alone, parsed (the items may be large, or deliberately odd). */
export function resultsOf(output: string): Record<string, any>[] {
  const section = splitResourceList(output)?.sections.find((s) => s.key === 'results');
  const text = section ? section.text : output;
  return (parseDocument(text).toJS()?.results ?? []) as Record<string, any>[];
}

export type ProcessOutput = Pick<RunOutput, 'stdout' | 'stderr' | 'exitCode'>;

export function runBundle(input: string | Buffer, args: string[] = [], env: NodeJS.ProcessEnv = {}): ProcessOutput {
  const child = spawnSync(process.execPath, [BUNDLE, ...args], {
    input,
    env: { ...process.env, ...env },
    maxBuffer: 1 << 30,
  });
  return { stdout: child.stdout.toString(), stderr: child.stderr.toString(), exitCode: child.status ?? -1 };
}

/** Runs twice: the second run over the first run's output must not change any item. */
export function runTwice(input: string): RunOutput {
  const first = run(input);
  const second = run(first.stdout);
  if (itemsOf(second.stdout).join('') !== itemsOf(first.stdout).join(''))
    throw new Error('second run changed the items');
  return first;
}

type Model = new (data: any) => { validate(): void };
const MODELS: Record<string, Model> = {
  'apps/Deployment': Deployment,
  'apps/DaemonSet': DaemonSet,
  'apps/StatefulSet': StatefulSet,
  'apps/ReplicaSet': ReplicaSet,
  'batch/Job': Job,
  'batch/CronJob': CronJob,
  '/Pod': Pod,
  '/ReplicationController': ReplicationController,
};

/**
 * Validates every injected workload in a ResourceList against the Kubernetes schemas of kubernetes-models:
 * the whole object for built-in kinds, and the pod template as a Pod for every kind. Returns how many.
 */
export function validateInjected(output: string): number {
  let count = 0;
  for (const item of itemsOf(output)) {
    // YAML 1.2 reads dates as strings, as Kubernetes' own decoder does.
    const doc = parseDocument(item, { version: '1.2' }).toJS()[0];
    if (doc?.metadata?.labels?.['sidecar.speedscale.com/injected'] !== 'true') continue;
    const group = String(doc.apiVersion).includes('/') ? String(doc.apiVersion).split('/')[0] : '';
    const model = MODELS[`${group}/${doc.kind}`];
    if (model) new model(doc).validate();
    const workload = workloadKind(doc.apiVersion, doc.kind);
    if (workload) {
      const { podMetadata, podSpec } = podPaths(workload);
      const get = (path: string[]) => path.reduce((o, k) => o?.[k], doc);
      new Pod({ metadata: { name: 'p', ...get(podMetadata) }, spec: get(podSpec) }).validate();
    }
    count++;
  }
  return count;
}
