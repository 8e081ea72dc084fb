/**
 * One resource through the injector, one job per step: strip what an earlier run recorded (record.ts),
 * layer the settings (config/settings.ts), read the pod's facts (pod-facts.ts), decide (pod-checks.ts),
 * plan the additions (plan.ts), make them edits (edits.ts), and compare with the input, so a second run
 * over its own output changes nothing. The answer is one Outcome (outcome.ts).
 */
import { ENVIRONMENTS, profileLayer, profileTies } from '../config/environments';
import { pointsServices } from '../config/proxy-types';
import { kebab } from '../config/schema';
import { resolveSettings, type AnnotationLayer } from '../config/settings';
import type { Settings, WrittenSettings } from '../config/settings.generated';
import { changed, NO_META, outcome, type Change, type Outcome, type Served } from '../outcome';
import { REASONS, SIDECAR_STAYS, type Reason } from '../reasons';
import { isLocalConfig, metaOf, parseResource, type Resource, type TypeMeta } from '../resource';
import { resultFor, type Result, type ResourceMeta, type Severity } from '../results';
import { ANNOTATION_PREFIX, EBPF_ENABLED_ANNOTATION, INJECT_ANNOTATION, OWN_CONTAINERS, OWN_KEYS } from '../vocabulary';
import { podPaths, servedIn, workloadKind, type PodPaths, type WorkloadKind } from '../workloads';
import type { ReadError } from '../yaml/documents';
import {
  child,
  entries,
  indirectKeys,
  keysThroughAlias,
  isMap,
  isSeq,
  mapAt,
  nodeAt,
  pathString,
  rangeOf,
  samePath,
  scalarString,
  type Path,
  type YAMLMap,
} from '../yaml/nodes';
import { shadowedByMerge } from '../yaml/merge-order';
import { fieldOffset, parsePath } from '../yaml/position';
import { ebpfMove } from './ebpf';
import { hookOf } from './hook';
import type { Unsafe } from './guard';
import { injectionText, type Blocked } from './injection-text';
import { inputProblems } from './input-checks';
import { onlyLayoutDiffers } from './layout';
import { isListKind, itemType, processList } from './list';
import { notAnObject, nullItem } from './not-a-resource';
import type { Namespaces } from './namespaces';
import { decide, findings, POD_CHECKS } from './pod-checks';
import { appTcpPorts, podFacts, type ContainerFacts } from './pod-facts';
import { plan } from './plan';
import { selectorLost } from './selector';
import type { NetworkPolicy } from './network-policies';
import { selectedByService, serviceEdit, type PodTarget, type ServiceSelector } from './services';
import {
  olderRecordOnly,
  onlyRecordMoved,
  parseRecord,
  RECORD_PATH,
  recordGone,
  recordText,
  stripRecord,
  withoutRecorded,
  type Stripped,
} from './record';

export interface RunOptions {
  config: WrittenSettings;
  /** What the Namespaces in the same ResourceList say (run.ts reads them first). */
  namespaces?: Namespaces;
  /** Which items of a List are worth parsing (the same pre-filter run.ts applies to top-level items). */
  candidate?: (text: string) => boolean;
  /**
   * The changes the caller may make (the command line's `remove` only removes). A workload whose own
   * annotations ask for a change outside them is `kept` as it is. Default: every change.
   */
  allow?: ReadonlySet<Change>;
  /**
   * Every workload's pods in the package and the proxies they serve (services.ts), for Services to point
   * their targetPort at (serviceTargetPort: proxy). Read on first need; undefined: no Service is edited.
   */
  podTargets?: readonly PodTarget[];
  /**
   * The package's Services, for a workload that asks for serviceTargetPort to say when none selects it (its
   * Service then stays as it is). Read on first need; undefined: not known, nothing said.
   */
  services?: readonly ServiceSelector[];
  /**
   * The package's NetworkPolicies, for a reverse proxy's in-port and every proxy's egress to the forwarder
   * (network-policies.ts). Read on first need.
   */
  networkPolicies?: readonly NetworkPolicy[];
}

/** `input`: the resource's text, or its text already parsed (a caller that read it first parses it once). */
/** `implied`: what the resource is when it names neither its kind nor its apiVersion (a typed List's item). */
export function processResource(input: string | Resource, options: RunOptions, implied?: TypeMeta): Outcome {
  const resource = typeof input === 'string' ? parseResource(input) : input;
  if ('error' in resource) {
    const text = input as string;
    if (resource.empty) return nullItem(text, 'the resource');
    return resource.notMap
      ? notAnObject(text, 'the resource', resource.notMap, resource.at)
      : malformed(text, resource);
  }
  const done = processParsed(resource, options, implied);
  done.at = rangeOf(resource.root)[0];
  // A result about a field says where the field is written, as data for the front ends.
  for (const result of done.results) {
    const path = result.at === undefined && result.field ? parsePath(result.field.path) : undefined;
    if (path) result.at = fieldOffset(resource.root, path);
  }
  return done;
}

function processParsed(resource: Resource, options: RunOptions, implied?: TypeMeta): Outcome {
  const { root, text } = resource;
  const meta = metaOf(root, implied);
  if (isLocalConfig(root)) return outcome('skipped', 'local-config', meta, text);
  const workload = workloadKind(meta.apiVersion, meta.kind, options.config.targets);
  if (!workload && isListKind(root)) {
    const candidate = options.candidate ?? (() => true);
    const type = itemType(root);
    return processList(text, root, meta, (item) => processResource(item, options, type), candidate, resource.doc);
  }
  if (!workload && meta.kind === 'Service' && meta.apiVersion === 'v1') return processService(resource, meta, options);
  if (!workload) return unsupported(resource, meta, options);
  return processWorkload(resource, meta, workload, options);
}

/** Text `yaml` cannot read as a resource: the error, where it is. */
function malformed(text: string, read: ReadError): Outcome {
  const message = `malformed YAML: ${read.error}`;
  return failed(
    NO_META,
    text,
    'malformed-yaml',
    message,
    resultFor(NO_META, 'error', message, undefined, 'malformed-yaml', read.at),
  );
}

/** Results about one workload, each naming a field by its path. */
type Say = (severity: Severity, message: string, field?: Path | string, reason?: Reason) => Result;

function processWorkload(input: Resource, meta: ResourceMeta, workload: WorkloadKind, options: RunOptions): Outcome {
  const say: Say = (severity, message, field, reason) =>
    resultFor(meta, severity, message, typeof field === 'object' ? pathString(field) : field, reason);
  const paths = podPaths(workload);

  // 1. The base is the resource as its author wrote it.
  const stripped = stripRecord(input);
  if (typeof stripped === 'string') {
    return failed(meta, input.text, 'bad-record', stripped, say('error', stripped, RECORD_PATH, 'bad-record'));
  }
  if ('unsafe' in stripped) return unsafeEdit(meta, input, stripped.unsafe);
  const done = fromBase(input, meta, options, stripped, paths, say);
  // An error edits nothing, so a sidecar an earlier run injected stays: its messages say so.
  // (Drift is no refusal: the run would change it.)
  return stripped.wasInjected && done.status === 'error' && done.reason !== 'drift' ? sidecarStays(done) : done;
}

/**
 * Refusals begin "not injected"; where an earlier run injected the workload, they begin with what stays. A
 * warning that would have skipped it (hostNetwork) is one too: beside an error, nothing is taken out either.
 */
function sidecarStays(done: Outcome): Outcome {
  const refused = REASONS['not-injected']();
  const stays = (r: Result): Result =>
    r.message.startsWith(refused) ? { ...r, message: SIDECAR_STAYS + r.message.slice(refused.length) } : r;
  return { ...done, results: done.results.map(stays) };
}

/** Steps 2 to 4, from the workload as its author wrote it (`stripped.base`). */
function fromBase(
  input: Resource,
  meta: ResourceMeta,
  options: RunOptions,
  stripped: Stripped,
  paths: PodPaths,
  say: Say,
): Outcome {
  const { base, wasInjected } = stripped;

  // 2. Settings: defaults < functionConfig < pod template annotations < workload annotations.
  const layers = annotationLayers(base, paths.podMetadata);
  const hidden = hiddenAnnotations(base, layers, say);
  if (hidden.length) return outcome('error', 'indirect-annotation', meta, input.text, hidden);
  // A key written before a `<<` that also gives it: Kubernetes reads one value, kustomize and this function another.
  const shadowed = shadowedByMerge(base.root, base.doc, base.text);
  const misread = (fields: string[], before: Result[] = []) =>
    outcome('error', 'merge-order', meta, input.text, [
      ...before,
      ...fields.map((field) => say('error', REASONS['merge-order'](field), field, 'merge-order')),
    ]);
  // The annotations themselves, or a map that holds them (`annotations`, `metadata`): the settings are unknown.
  // Named only when some key is shadowed (rare), not for every workload.
  const holders = shadowed.length ? layers.map(({ path }) => pathString(path)) : [];
  const ambiguousAnnotations = shadowed.filter(
    (field) =>
      field.includes(ANNOTATION_PREFIX) ||
      holders.some((holder) => holder === field || holder.startsWith(`${field}.`) || holder.startsWith(`${field}[`)),
  );
  if (ambiguousAnnotations.length) return misread(ambiguousAnnotations);
  // The environment's profile is the layer under the functionConfig; its proxy-port may be the app's own.
  const environment = options.config.environment ?? 'default';
  const appPorts = ENVIRONMENTS[environment].appPort ? appTcpPorts(base, paths.podSpec) : undefined;
  const { settings, problems, decided, given } = resolveSettings(
    options.config,
    layers,
    profileLayer(environment, appPorts),
    profileTies(environment),
  );
  const gone = recordGone(stripped.missing);
  // A loop that pushes, not spreads of map(): every workload's, and optimized code read another kind of array.
  const results: Result[] = [];
  for (const p of problems) results.push(say(p.severity, p.message, p.path, p.reason));
  if (gone) results.push(say('warning', REASONS['record-gone'](gone), RECORD_PATH, 'record-gone'));
  for (const { key, path } of unreadAnnotations(base, paths))
    results.push(say('warning', REASONS['unknown-annotation'](unreadThere(key)), path, 'unknown-annotation'));
  if (problems.some((p) => p.severity === 'error'))
    return outcome('error', 'invalid-setting', meta, input.text, results);

  const change = proposer(input, meta, options, results, say);
  // What an earlier run added goes, unless the workload's own selector counts on it (selector.ts).
  const lost = () => (wasInjected ? selectorLost(input, base, paths.podMetadata) : undefined);
  // Whether a Service of the package selects the pods: asked (and the Services read) only where it matters.
  const selected = () =>
    pointsServices(settings) ? selectedByService(options.services, base, paths, meta.namespace) : undefined;
  // Taking the sidecar out (removal, the move to eBPF) where no Service of the package is in view to go back.
  const sayServiceLeft = () => {
    if (selected() === 'no')
      results.push(say('warning', REASONS['service-left'](String(settings.proxyInPort)), undefined, 'service-left'));
  };
  const removal = (): Outcome => {
    const at = lost();
    if (!at) {
      sayServiceLeft();
      return change('removed', base.text);
    }
    const message = REASONS['selector-label'](pathString(at));
    return outcome('error', 'selector-label', meta, input.text, [
      ...results,
      say('error', message, at, 'selector-label'),
    ]);
  };
  const allows = (c: Change) => !options.allow || options.allow.has(c);
  if (!settings.inject || settings.uninstall) {
    if (wasInjected) return removal();
    const asked = injectAnnotation(layers);
    // Asked to remove (uninstall, remove, inject "false") a sidecar no record accounts for: the record deleted
    // by hand, or the operator's. Removal reads only the record, so it is said, never passed over as "not injected".
    const left =
      settings.uninstall || !allows('injected') || asked !== undefined ? unrecorded(base, paths.podSpec) : undefined;
    if (left) {
      const message = REASONS['unrecorded-sidecar'](`container ${left.name}`);
      return outcome('error', 'unrecorded-sidecar', meta, input.text, [
        ...results,
        say('error', message, left.path, 'unrecorded-sidecar'),
      ]);
    }
    if (!allows('injected')) return outcome('unchanged', 'not-injected', meta, input.text, results);
    return asked === undefined
      ? outcome('skipped', 'not-annotated', meta, input.text, results)
      : outcome('skipped', 'inject-off', meta, input.text, results, asked);
  }
  // The workload asks for the sidecar, and this caller only removes: it stays as it is (and so do its Services).
  if (!allows('injected')) {
    const kept = outcome('kept', 'kept', meta, input.text, results);
    if (!wasInjected || !pointsServices(settings)) return kept;
    const facts = podFacts(base, paths, { kind: meta.kind });
    const served = facts && servedBy(settings, facts.containers);
    return served ? { ...kept, served } : kept;
  }
  // A hook that only the config's default would inject: Helm and Argo CD wait for it to finish.
  const hook = injectAnnotation(layers) === undefined ? hookOf(layers[layers.length - 1].map) : undefined;
  if (hook) {
    if (wasInjected) return removal();
    return outcome(
      'skipped',
      'hook',
      meta,
      input.text,
      [...results, say('info', REASONS.hook(hook), undefined, 'hook')],
      hook,
    );
  }
  if (shadowed.length) return misread(shadowed, results);
  if (settings.capture === 'ebpf' && lost()) return removal();
  if (settings.capture === 'ebpf') {
    if (wasInjected) sayServiceLeft();
    return moveToEbpf(input, base, wasInjected, meta, paths, settings, options, results, say);
  }
  // What would be copied into the pod must be a name Kubernetes takes and text without control characters.
  const unfit = inputProblems(base.root, layers, [...paths.podSpec, 'containers'], options.config);
  if (unfit.length)
    return outcome('error', unfit[0].reason, meta, input.text, [
      ...results,
      ...unfit.map((p) => say('error', p.message, p.field, p.reason)),
    ]);

  // 3. Facts decide: inject, skip (no sidecar) or block (change nothing, fail).
  const facts = podFacts(base, paths, {
    kind: meta.kind,
    name: meta.name,
    namespace: meta.namespace,
    namespaces: options.namespaces,
    selectedByService: selected(),
    networkPolicies: options.networkPolicies,
  });
  if (!facts) {
    const referenced = workloadRef(base, paths.podSpec);
    if (referenced) {
      if (wasInjected) return removal();
      const result = say('info', REASONS['workload-ref'](referenced), undefined, 'workload-ref');
      return outcome('skipped', 'workload-ref', meta, input.text, [...results, result], referenced);
    }
    const message = REASONS['no-pod-template']();
    return failed(
      meta,
      input.text,
      'no-pod-template',
      message,
      say('error', message, paths.podSpec, 'no-pod-template'),
    );
  }
  const found = findings(facts, settings, { given, decided });
  const action = decide(found);
  // A workload left without a sidecar hears why, not what one would have come with ("injected without the
  // iptables init container"); one that is blocked hears everything, to fix it all in one go.
  for (const f of found) {
    const check = POD_CHECKS[f.code];
    if (check.action === 'inject' && action === 'skip') continue;
    const field = f.field === undefined ? undefined : [pathString(paths.podSpec), f.field].filter(Boolean).join('.');
    results.push(say(check.severity, REASONS[f.code](f.detail), field, f.code));
  }
  if (action === 'block') {
    const blocking = found.find((f) => POD_CHECKS[f.code].action === 'block')!;
    return outcome('error', blocking.code, meta, input.text, results);
  }
  if (action === 'skip') {
    if (wasInjected) return removal();
    const skipping = found.find((f) => POD_CHECKS[f.code].action === 'skip')!;
    return outcome('skipped', skipping.code, meta, input.text, results);
  }

  // What the environment decided is part of the report of every workload it injects.
  if (environment !== 'default')
    results.push(say('info', REASONS.environment(decidedWords(environment, decided, given)), undefined, 'environment'));

  // 4. Plan, edit, and compare with the input.
  const view = {
    workloadName: meta.name,
    apps: facts.containers,
    has: (path: Path, key: string) => {
      const map = nodeAt(base.root, path);
      return isMap(map) && map.has(key);
    },
  };
  const planned = plan(paths, view, settings);
  const text = injectionText(base, paths, planned.additions, planned.rewrites, stripped);
  if (typeof text !== 'string') return blocked(meta, input, text, results, say);
  const served = servedBy(settings, facts.containers);
  // Set on the outcome (a new object) rather than spread into a copy of it: once for every workload injected.
  const withExtra = (o: Outcome): Outcome => {
    if (environment !== 'default') o.decided = decided;
    if (served) o.served = served;
    return o;
  };
  // Already as it should be, or only laid out differently (layout.ts): left as it is.
  if (text === input.text || (wasInjected && (onlyRecordMoved(text, input.text) || onlyLayoutDiffers(text, input))))
    return withExtra(outcome('unchanged', 'up-to-date', meta, input.text, results));
  const older = wasInjected ? olderRecordOnly(text, input.text) : undefined;
  const words =
    older === undefined
      ? undefined
      : {
          drift: `the injection record is version ${older}, which this release writes anew; nothing else would change`,
          done: `wrote the injection record anew (it was version ${older}); nothing else changed`,
        };
  return withExtra(change(wasInjected ? 'updated' : 'injected', text, words));
}

/** An injection text that could not be made: where an addition cannot go, or an edit the guard refused. */
function blocked(meta: ResourceMeta, input: Resource, text: Blocked, results: Result[], say: Say): Outcome {
  if ('unsafe' in text) return unsafeEdit(meta, input, text.unsafe, results);
  const where = `${pathString(text.blocked) || 'the resource'}${text.anchor ? ` (${text.anchor})` : ''}`;
  const message = REASONS[text.reason](text.what ? `${where} is ${text.what}` : where);
  return outcome('error', text.reason, meta, input.text, [
    ...results,
    say('error', message, text.blocked, text.reason),
  ]);
}

/** The environment's decision in words: what it set, and what the user's own settings kept. */
function decidedWords(
  environment: string,
  decided: Readonly<Record<string, unknown>>,
  given: ReadonlySet<string>,
): string {
  const set = Object.entries(decided).map(
    ([key, value]) => `${kebab(key)} ${String(value)}${key === 'proxyPort' ? " (the app's only TCP port)" : ''}`,
  );
  const profile = Object.keys(ENVIRONMENTS[environment as keyof typeof ENVIRONMENTS].settings);
  const kept = profile.filter((key) => given.has(key)).map(kebab);
  return `${environment} decided ${set.length ? set.join(', ') : 'nothing'}${kept.length ? `; yours kept: ${kept.join(', ')}` : ''}`;
}

/** What a Service selecting this workload's pods needs, when the workload asks for it (serviceTargetPort: proxy). */
function servedBy(s: Settings, apps: readonly ContainerFacts[]): Served | undefined {
  if (!pointsServices(s)) return undefined;
  const named: Record<string, number> = {};
  for (const c of apps) Object.assign(named, c.namedPorts);
  return { port: s.proxyPort, inPort: s.proxyInPort, named };
}

/**
 * capture: ebpf: the workload as its author wrote it (no sidecar), with the opt-in to eBPF capture and its
 * inject annotations reading "false" (ebpf.ts); or why it cannot move.
 */
function moveToEbpf(
  input: Resource,
  base: Resource,
  wasInjected: boolean,
  meta: ResourceMeta,
  paths: PodPaths,
  settings: Settings,
  options: RunOptions,
  results: Result[],
  say: Say,
): Outcome {
  const move = ebpfMove(base, paths, settings);
  if ('blocked' in move) {
    const message = REASONS['ebpf-blocked'](move.blocked);
    return outcome('error', 'ebpf-blocked', meta, input.text, [
      ...results,
      say('error', message, undefined, 'ebpf-blocked'),
    ]);
  }
  const text = injectionText(base, paths, move.additions, move.rewrites);
  if (typeof text !== 'string') return blocked(meta, input, text, results, say);
  // Moved already, only laid out differently since (a formatter's 'false' for "false"): left as it is.
  if (text === input.text || (wasInjected && (onlyRecordMoved(text, input.text) || onlyLayoutDiffers(text, input))))
    return outcome('unchanged', 'up-to-date', meta, input.text, results);
  const what = [
    'no sidecar',
    `${EBPF_ENABLED_ANNOTATION}: "true"${move.additions.length ? '' : ' (already)'}`,
    ...(move.rewrites.length ? [`${INJECT_ANNOTATION}: "false"`] : []),
  ].join(', ');
  const words = {
    drift: `not moved to eBPF capture yet (${what})`,
    done: REASONS['moved-to-ebpf'](what),
    reason: 'moved-to-ebpf' as const,
  };
  return proposer(input, meta, options, results, say)('updated', text, words);
}

/**
 * A Service: pointed at the proxies of the pods it selects, where they ask for it (services.ts); restored
 * as its author wrote it once they no longer do. Its own record says what was changed.
 */
function processService(input: Resource, meta: ResourceMeta, options: RunOptions): Outcome {
  const say: Say = (severity, message, field, reason) =>
    resultFor(meta, severity, message, typeof field === 'object' ? pathString(field) : field, reason);
  const stripped = stripRecord(input);
  if (typeof stripped === 'string')
    return failed(meta, input.text, 'bad-record', stripped, say('error', stripped, RECORD_PATH, 'bad-record'));
  if ('unsafe' in stripped) return unsafeEdit(meta, input, stripped.unsafe);
  const { base, wasInjected } = stripped;
  const edit = serviceEdit(base, options.podTargets ?? []);
  const gone = recordGone(stripped.missing);
  const results = [
    ...(gone ? [say('warning', REASONS['record-gone'](gone), RECORD_PATH, 'record-gone')] : []),
    ...(edit.untouched
      ? [say('warning', REASONS['service-untouched'](edit.untouched), undefined, 'service-untouched')]
      : []),
  ];
  const proposed = proposer(input, meta, options, results, say);
  // A caller that makes only some changes (the command line's remove) leaves the Service as it is otherwise.
  const change: typeof proposed = (made, text, words) =>
    !options.allow || options.allow.has(made)
      ? proposed(made, text, words)
      : outcome('kept', 'service-target-port', meta, input.text, results, 'its targetPort is left as it is');
  if (!edit.done.length) {
    // Restored only when a workload it selects is here and asks no more, or on uninstall; else unknowable.
    if (wasInjected && edit.unselected && !options.config.uninstall) {
      const why = REASONS['service-untouched'](`no workload in the input selects Service ${meta.name}`);
      const results = [say('warning', `${why}; run over its workloads to restore it`, undefined, 'service-untouched')];
      // No words of its own: the report says the warning, once.
      return outcome('kept', 'service-target-port', meta, input.text, results);
    }
    if (wasInjected)
      return change('removed', base.text, {
        // What the record names and cannot find again was not restored: the warning says which.
        done: gone ? 'removed its injection record' : 'restored the targetPort its author wrote',
        reason: 'service-target-port',
      });
    return results.length
      ? outcome('skipped', 'not-a-workload', meta, input.text, results, meta.kind)
      : unsupported(input, meta, options);
  }
  const text = injectionText(base, undefined, edit.additions, edit.rewrites);
  if (typeof text !== 'string') return blocked(meta, input, text, results, say);
  const done = REASONS['service-target-port'](`pointed at the Speedscale proxy: ${edit.done.join(', ')}`);
  if (text === input.text || (wasInjected && onlyRecordMoved(text, input.text)))
    return outcome('unchanged', 'up-to-date', meta, input.text, [
      ...results,
      say('info', done, undefined, 'service-target-port'),
    ]);
  return change('updated', text, { done, reason: 'service-target-port' });
}

const DRIFT: Record<Change, string> = {
  injected: 'not injected yet',
  updated: 'the injected sidecar differs from what the current settings produce',
  removed: 'injected, but injection is off; run the function to remove it',
};

/**
 * How a change the core arrived at comes out: made (with an info result), or, in check mode, reported as
 * drift with the resource left as it was.
 */
function proposer(input: Resource, meta: ResourceMeta, options: RunOptions, results: Result[], say: Say) {
  return (change: Change, text: string, words: { drift?: string; done?: string; reason?: Reason } = {}): Outcome => {
    if (options.config.mode === 'check') {
      const message = REASONS.drift(words.drift ?? DRIFT[change]);
      return outcome('error', 'drift', meta, input.text, [...results, say('error', message, undefined, 'drift')]);
    }
    const done = say('info', words.done ?? REASONS[change](), undefined, words.reason ?? change);
    return changed(change, meta, input.text, text, [...results, done]);
  };
}

/** An annotation layer and its map, found once for every reader of it (undefined: no annotations there). */
interface Layer extends AnnotationLayer {
  map: YAMLMap | undefined;
}

/**
 * The annotation layers settings are read from, lowest first; the pod's own is left out when it is the
 * workload. So the workload's own is the last.
 */
function annotationLayers(base: Resource, podMetadata: readonly string[]): Layer[] {
  const layer = (path: string[]): Layer => {
    const map = mapAt(base.root, path);
    return { path, entries: entries(map), text: base.text, map };
  };
  // Literals, not map() and filter() (see pod-facts.ts `containers`): every caller walks this list.
  if (samePath(podMetadata, ['metadata'])) return [layer(['metadata', 'annotations'])];
  return [layer([...podMetadata, 'annotations']), layer(['metadata', 'annotations'])];
}

/**
 * Our annotations that a layer gives through an alias or a merge key, which its entries do not spell (the
 * settings read the entries): errors, layer by layer. Loops, not flatMap() of spreads: every workload's,
 * and nearly always there is none.
 */
function hiddenAnnotations(base: Resource, layers: Layer[], say: Say): Result[] {
  const hidden: Result[] = [];
  for (const { path, map } of layers)
    for (const keys of [indirectKeys(map, base.doc), keysThroughAlias(base.root, path, base.doc)])
      for (const key of keys)
        if (key.startsWith(ANNOTATION_PREFIX))
          hidden.push(say('error', REASONS['indirect-annotation'](key), path, 'indirect-annotation'));
  return hidden;
}

/** A container of ours in the pod that no record accounts for, and where it is; undefined when there is none. */
function unrecorded(base: Resource, podSpec: Path): { name: string; path: Path } | undefined {
  // The pod spec found once, for both lists: asked of every workload whose inject annotation is "false".
  const spec = nodeAt(base.root, podSpec);
  for (const key of ['containers', 'initContainers']) {
    const list = child(spec, key);
    for (const item of isSeq(list) ? list.items : []) {
      const name = isMap(item) ? scalarString(item.get('name', true)) : undefined;
      if (name !== undefined && OWN_CONTAINERS.includes(name as never))
        return { name, path: [...podSpec, key, { name }] };
    }
  }
  return undefined;
}

/**
 * Our annotations written on a CronJob's jobTemplate: settings are read from the CronJob and its pod template
 * only, so one there (`inject: "true"`, as the operator reads it on each Job) would be passed over in silence.
 */
function unreadAnnotations(base: Resource, paths: PodPaths): { key: string; path: Path }[] {
  if (!paths.madeMetadata) return [];
  const at = [...paths.madeMetadata, 'annotations'];
  return ourAnnotations(base.root, at).map((key) => ({ key, path: [...at, key] }));
}

/** The `sidecar.speedscale.com/` keys of the annotations map at `at`, as written. */
const ourAnnotations = (root: YAMLMap, at: Path): string[] =>
  entries(mapAt(root, at))
    .map(([key]) => key)
    .filter((key) => key.startsWith(ANNOTATION_PREFIX));

const unreadThere = (key: string): string =>
  `${key}: not read on a CronJob's jobTemplate, ignored; write it on the CronJob or on its pod template`;

/** The inject annotation as written: the workload's own (the last layer) wins over its pod template's, as in the settings. */
function injectAnnotation(layers: Layer[]): string | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const value = scalarString(layers[i].map?.get(INJECT_ANNOTATION, true));
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * An Argo Rollout that takes its pods from another workload (`spec.workloadRef`) and has no template of its
 * own: that workload, in words, or undefined. (With a template too, Argo reads the template.)
 */
function workloadRef(base: Resource, podSpec: Path): string | undefined {
  const ref = mapAt(base.root, ['spec', 'workloadRef']);
  if (!ref || nodeAt(base.root, podSpec.slice(0, -1)) !== undefined) return undefined;
  const [kind, name] = ['kind', 'name'].map((key) => scalarString(ref.get(key, true)));
  return `${kind ?? 'the workload'}${name ? `/${name}` : ''}`;
}

function failed(meta: ResourceMeta, text: string, reason: Reason, detail: string, result?: Result): Outcome {
  const results = [result ?? resultFor(meta, 'error', detail, undefined, reason)];
  return outcome('error', reason, meta, text, results, detail);
}

/** An edit the guard could not prove: the resource as it came, and why, at the field where it went wrong. */
function unsafeEdit(meta: ResourceMeta, input: Resource, unsafe: Unsafe, results?: Result[]): Outcome {
  const message = REASONS['unsafe-edit'](unsafe.message);
  const at = fieldOffset(input.root, unsafe.path);
  const result = resultFor(meta, 'error', message, undefined, 'unsafe-edit', at);
  return results
    ? outcome('error', 'unsafe-edit', meta, input.text, [...results, result])
    : failed(meta, input.text, 'unsafe-edit', message, result);
}

/**
 * Speedscale settings on a resource with no pods (`service-target-port: proxy` on the Service itself, a
 * typo'd name): nothing reads them, which the author should hear, as of an unknown annotation on a workload.
 * The inject annotation is the unsupported-kind warning's when "true", and asks for nothing otherwise.
 */
function strayAnnotations(root: YAMLMap, meta: ResourceMeta): Result[] {
  return ourAnnotations(root, ['metadata', 'annotations'])
    .filter((name) => !OWN_KEYS.has(name) && name !== INJECT_ANNOTATION)
    .map((name) => {
      const why = `${name}: a ${meta.kind} has no pods, so nothing reads it: ignored; set it on the workloads`;
      const field = pathString(['metadata', 'annotations', name]);
      return resultFor(meta, 'warning', REASONS['unknown-annotation'](why), field, 'unknown-annotation');
    });
}

/**
 * A resource the injector cannot handle, but that asks for injection, gets a result rather than silence.
 * One that carries an injection record (its kind was dropped from the config's targets) is still cleaned:
 * the record alone says what to remove, so no stale, never-updated sidecar is left behind.
 */
function unsupported(resource: Resource, meta: ResourceMeta, options: RunOptions): Outcome {
  const { text, root } = resource;
  const written = recordText(root);
  const record = written === undefined ? undefined : parseRecord(written);
  if (record !== undefined && typeof record !== 'string') {
    const why = `${meta.kind} is not a target of this config, but carries an injection record`;
    const removed = withoutRecorded(resource, record);
    if ('why' in removed) return failed(meta, text, 'bad-record', `injection record: ${removed.why}`);
    if ('unsafe' in removed) return unsafeEdit(meta, resource, removed.unsafe);
    const say: Say = (severity, message, _field, reason) => resultFor(meta, severity, message, undefined, reason);
    const gone = recordGone(removed.missing);
    const results = gone ? [say('warning', REASONS['record-gone'](gone), undefined, 'record-gone')] : [];
    const words = { drift: `${why}; run the function to remove it`, done: `${why}: removed the Speedscale sidecar` };
    return proposer(resource, meta, options, results, say)('removed', removed.text, words);
  }
  const asks = scalarString(mapAt(root, ['metadata', 'annotations'])?.get(INJECT_ANNOTATION, true)) === 'true';
  // A workload kind under an apiVersion that does not serve it (a Pod as apps/v1): named as that.
  const group = servedIn(meta.kind);
  if (group !== undefined) {
    const served = group ? `${group} API group` : 'core API group (apiVersion: v1)';
    const why = `${meta.kind} is served in the ${served}, not by apiVersion ${meta.apiVersion || '(none)'}`;
    const wanted = asks || (options.config.inject === true && !options.config.uninstall);
    const results = wanted
      ? [resultFor(meta, 'warning', REASONS['wrong-api-version'](why), 'apiVersion', 'wrong-api-version')]
      : [];
    return outcome('skipped', 'wrong-api-version', meta, text, results, why);
  }
  if (!asks || !meta.kind)
    return outcome('skipped', 'not-a-workload', meta, text, meta.kind ? strayAnnotations(root, meta) : [], meta.kind);
  const message = REASONS['unsupported-kind'](meta.kind);
  return outcome(
    'skipped',
    'unsupported-kind',
    meta,
    text,
    [resultFor(meta, 'warning', message, undefined, 'unsupported-kind')],
    meta.kind,
  );
}
