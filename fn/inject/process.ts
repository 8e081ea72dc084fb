/**
 * One resource through the injector: remove what an earlier run recorded, decide, inject afresh, and
 * compare with the input, so a second run over its own output changes nothing.
 */
import type { YAMLMap } from 'yaml';
import { INJECTED_LABEL, RECORD_ANNOTATION, resolveSettings, type AnnotationLayer } from '../config/settings';
import { ANNOTATION_PREFIX } from '../config/schema';
import type { Settings } from '../config/settings-type';
import { isLocalConfig, metaOf, parseResource, type Resource } from '../resource';
import { resultFor, type Result, type ResourceMeta } from '../results';
import { detectStyle } from '../yaml/block-edit';
import {
  entries,
  isAlias,
  isMap,
  mapAt,
  nodeAt,
  pathString,
  scalarString,
  seqAt,
  toJSON,
  type Path,
} from '../yaml/nodes';
import { applyEdits } from '../yaml/text-edit';
import { podPaths, workloadKind, type WorkloadKind } from '../workloads';
import { addedPaths, place, renderPlacement, sharedTarget, unplaceable } from './additions';
import { isListKind, processList } from './list';
import type { Namespaces } from './namespaces';
import { decide, findings, REASONS, type ContainerFacts, type PodFacts } from './checks';
import { plan } from './plan';
import { onlyRecordMoved, parseRecord, removalEdits, serializeRecord } from './record';

export interface RunOptions {
  config: Partial<Settings>;
  /** What the Namespaces in the same ResourceList say (run.ts reads them first). */
  namespaces?: Namespaces;
  /** Which items of a List are worth parsing (the same pre-filter run.ts applies to top-level items). */
  candidate?: (text: string) => boolean;
}

export interface Outcome {
  text: string;
  results: Result[];
  change: 'injected' | 'updated' | 'removed' | 'unchanged';
}

const unchanged = (text: string, results: Result[] = []): Outcome => ({ text, results, change: 'unchanged' });

export function processResource(text: string, options: RunOptions): Outcome {
  const resource = parseResource(text);
  // A candidate that does not parse must fail the run, not pass silently (run.ts reports it as input error).
  if (typeof resource === 'string')
    return unchanged(text, [
      resultFor(
        { apiVersion: '', kind: '', name: '' },
        'error',
        `malformed YAML: ${resource}`,
        undefined,
        'malformed-yaml',
      ),
    ]);
  const { root } = resource;
  if (isLocalConfig(root)) return unchanged(text);
  const meta = metaOf(root);
  const workload = workloadKind(meta.apiVersion, meta.kind, options.config.targets);
  if (!workload && isListKind(root))
    return processList(text, root, meta, (item) => processResource(item, options), options.candidate ?? (() => true));
  if (!workload) return unsupported(resource, meta, options);
  return processWorkload(resource, meta, workload, options);
}

function processWorkload(input: Resource, meta: ResourceMeta, workload: WorkloadKind, options: RunOptions): Outcome {
  const say = (severity: Result['severity'], message: string, field?: Path | string, reason?: string) =>
    resultFor(
      meta,
      severity,
      message,
      typeof field === 'string' || field === undefined ? field : pathString(field),
      reason,
    );
  const { podMetadata, podSpec } = podPaths(workload);

  // 1. Strip what an earlier run recorded: the base is the resource as its author wrote it.
  const recordText = scalarString(mapAt(input.root, ['metadata', 'annotations'])?.get(RECORD_ANNOTATION, true));
  let base = input;
  if (recordText !== undefined) {
    const record = parseRecord(recordText);
    const recordField = ['metadata', 'annotations', RECORD_ANNOTATION];
    if (typeof record === 'string')
      return unchanged(input.text, [
        say('error', `injection record ${record}; cannot tell what was injected`, recordField, 'bad-record'),
      ]);
    const reparsed = parseResource(applyEdits(input.text, removalEdits(input.text, input.root, record).edits));
    if (typeof reparsed === 'string')
      return unchanged(input.text, [
        say('error', `removing the injection failed: ${reparsed}`, recordField, 'bad-record'),
      ]);
    base = reparsed;
  }
  const wasInjected = base !== input;

  // 2. Settings: defaults < functionConfig < pod template annotations < workload annotations.
  const layers: AnnotationLayer[] = [
    [...podMetadata, 'annotations'],
    ['metadata', 'annotations'],
  ]
    .filter((path, i, all) => i === 0 || pathString(path) !== pathString(all[0]!))
    .map((path) => ({ path, entries: entries(mapAt(base.root, path)) }));
  const { settings, problems } = resolveSettings(options.config, layers);
  const results = problems.map((p) => say(p.severity, p.message, p.path, p.reason));
  if (problems.some((p) => p.severity === 'error')) return unchanged(input.text, results);

  const wants = settings.inject && !settings.uninstall;
  const removed = (): Outcome =>
    wasInjected
      ? {
          text: base.text,
          results: [...results, say('info', 'removed the Speedscale sidecar', undefined, 'removed')],
          change: 'removed',
        }
      : unchanged(input.text, results);
  if (!wants)
    return settings.mode === 'check' && wasInjected
      ? drift(
          input.text,
          results,
          say('error', 'drift: injected, but injection is off; run the function to remove it', undefined, 'drift'),
        )
      : removed();

  // 3. Facts decide: inject, skip (no sidecar) or block (change nothing, fail).
  const facts = podFacts(base, meta.kind, podSpec, podMetadata);
  if (!facts)
    return unchanged(input.text, [
      ...results,
      say('error', 'not injected: the pod template is missing or not a map', podSpec, 'no-pod-template'),
    ]);
  const namespace = meta.namespace === undefined ? undefined : options.namespaces?.get(meta.namespace);
  if (namespace?.podSecurity) facts.podSecurity = { namespace: meta.namespace!, level: namespace.podSecurity };
  if (namespace) facts.meshes = { istio: namespace.istio, linkerd: namespace.linkerd };
  const found = findings(facts, settings);
  for (const f of found) {
    const reason = REASONS[f.code];
    results.push(
      say(
        reason.severity,
        reason.message(f.detail),
        f.field === undefined ? undefined : `${pathString(podSpec)}${podSpec.length ? '.' : ''}${f.field}`,
        f.code,
      ),
    );
  }
  const action = decide(found);
  if (action === 'block') return unchanged(input.text, results);
  if (action === 'skip') return removed();

  // 4. Inject into the base and compare with the input.
  const text = inject(base, workload, meta, facts, settings);
  if (typeof text !== 'string') {
    const { severity, message } = REASONS[text.reason];
    return unchanged(input.text, [
      ...results,
      say(severity, message(pathString(text.blocked)), text.blocked, text.reason),
    ]);
  }
  if (text === input.text || (wasInjected && onlyRecordMoved(text, input.text))) return unchanged(input.text, results);
  if (settings.mode === 'check') {
    return drift(
      input.text,
      results,
      say(
        'error',
        wasInjected
          ? 'drift: the injected sidecar differs from what the current settings produce'
          : 'drift: not injected yet',
        undefined,
        'drift',
      ),
    );
  }
  const change = wasInjected ? 'updated' : 'injected';
  return { text, results: [...results, say('info', `${change} the Speedscale sidecar`, undefined, change)], change };
}

function drift(text: string, results: Result[], finding: Result): Outcome {
  return unchanged(text, [...results, finding]);
}

/** The injected text, or the path where an addition cannot go, and why. */
function inject(
  base: Resource,
  workload: WorkloadKind,
  meta: ResourceMeta,
  facts: PodFacts,
  settings: Settings,
): string | { blocked: Path; reason: 'unplaceable' | 'aliased' } {
  const paths = podPaths(workload);
  const has = (path: Path, key: string) => {
    const map = nodeAt(base.root, path);
    return isMap(map) && map.has(key);
  };
  // Written out, not spread: a spread with extra keys takes V8's slow path (a twentieth of a large run).
  const view = {
    podMetadata: paths.podMetadata,
    podSpec: paths.podSpec,
    workloadName: meta.name,
    apps: facts.containers,
    has,
  };
  const additions = plan(view, settings, () => serializeRecord(addedPaths(placement)));
  const blocked = unplaceable(base.root, additions);
  if (blocked) return { blocked, reason: isAlias(nodeAt(base.root, blocked)) ? 'aliased' : 'unplaceable' };
  const placement = place(base.root, additions);
  const shared = sharedTarget(placement, base.doc);
  if (shared) return { blocked: shared, reason: 'aliased' };
  const containers = seqAt(base.root, [...paths.podSpec, 'containers']);
  const containersKey = (nodeAt(base.root, paths.podSpec) as YAMLMap).items.find((p) => p.value === containers)?.key;
  const style = detectStyle(
    base.text,
    base.root,
    containers && containersKey ? { key: containersKey as never, seq: containers } : undefined,
  );
  return applyEdits(base.text, renderPlacement(base.text, placement, style));
}

function podFacts(
  { root, doc }: Resource,
  kind: string,
  podSpec: string[],
  podMetadata: string[],
): PodFacts | undefined {
  const spec = mapAt(root, podSpec);
  if (!spec) return undefined;
  const json = toJSON(spec, doc) as {
    hostNetwork?: unknown;
    containers?: unknown;
    initContainers?: unknown;
    volumes?: unknown;
  };
  const array = (value: unknown): any[] => (Array.isArray(value) ? value : []);
  const containers = (list: unknown): ContainerFacts[] =>
    array(list).map((c) => {
      const named = new Map(array(c?.ports).map((p) => [String(p?.name), Number(p?.containerPort)]));
      return {
        name: String(c?.name ?? ''),
        image: String(c?.image ?? ''),
        ports: array(c?.ports).map((p) => Number(p?.containerPort)),
        env: array(c?.env).map((e) => String(e?.name)),
        mounts: array(c?.volumeMounts).map((m) => String(m?.mountPath)),
        probes: PROBES.filter((kind) => c?.[kind]).map((kind) => ({ kind, port: probePort(c[kind], named) })),
      };
    });
  return {
    kind,
    hostNetwork: json.hostNetwork === true,
    containers: containers(json.containers),
    initContainers: containers(json.initContainers),
    podAnnotations:
      (toJSON(mapAt(root, [...podMetadata, 'annotations']), doc) as Record<string, unknown> | undefined) ?? {},
    volumes: array(json.volumes).map((v) => String(v?.name)),
  };
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** The port a kubelet probe connects to; exec probes have none. */
function probePort(probe: any, named: Map<string, number>): number | undefined {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
  if (port === undefined) return undefined;
  return typeof port === 'number' ? port : /^\d+$/.test(String(port)) ? Number(port) : named.get(String(port));
}

/**
 * A resource the injector cannot handle, but that asks for injection, gets a result rather than silence.
 * One that carries an injection record (its kind was dropped from the config's targets) is still cleaned:
 * the record alone says what to remove, so no stale, never-updated sidecar is left behind.
 */
function unsupported(resource: Resource, meta: ResourceMeta, options: RunOptions): Outcome {
  const { text, root } = resource;
  const annotations = mapAt(root, ['metadata', 'annotations']);
  const recordText = scalarString(annotations?.get(RECORD_ANNOTATION, true));
  const record = recordText === undefined ? undefined : parseRecord(recordText);
  if (record !== undefined && typeof record !== 'string') {
    const why = `${meta.kind} is not a target of this config, but carries an injection record`;
    if (options.config.mode === 'check')
      return unchanged(text, [
        resultFor(meta, 'error', `drift: ${why}; run the function to remove it`, undefined, 'drift'),
      ]);
    const removed = applyEdits(text, removalEdits(text, root, record).edits);
    return {
      text: removed,
      results: [resultFor(meta, 'info', `${why}: removed the Speedscale sidecar`, undefined, 'removed')],
      change: 'removed',
    };
  }
  const asks = scalarString(annotations?.get(`${ANNOTATION_PREFIX}inject`, true)) === 'true';
  if (!asks || !meta.kind) return unchanged(text);
  return unchanged(text, [
    resultFor(
      meta,
      'warning',
      `${meta.kind} has no known pod template: not injected; add it to the config's targets`,
      undefined,
      'unsupported-kind',
    ),
  ]);
}

export { INJECTED_LABEL };
