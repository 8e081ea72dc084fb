/**
 * Resolves the settings of one workload. Precedence, lowest first (later layers win, key by key):
 *
 * | layer                         | where                                                  |
 * |-------------------------------|--------------------------------------------------------|
 * | schema default                | `default` in schemas/sidecar-injector.v1alpha1.json    |
 * | environment profile           | what `environment` sets (config/environments.ts)       |
 * | functionConfig                | SidecarInjector `spec` or ConfigMap `data`             |
 * | pod template annotation       | `spec.template.metadata.annotations` (the pod's own)   |
 * | workload annotation           | `metadata.annotations` of the workload                 |
 *
 * The workload's annotation wins because that is where Speedscale documents them; the pod template is
 * accepted because real manifests put them there too.
 */
import { isMap, isScalar, isSeq, type Node, type Path } from '../yaml/nodes';
import { untagged, writtenNode } from '../yaml/written';
import { shown } from './shown';
import { checkRules } from './rules';
import { ANNOTATION_PREFIX, OWN_KEYS } from '../vocabulary';
import { normalize } from './normalize';
import { ANNOTATION_KEYS, KEY_BY_ANNOTATION, SETTING_KEYS } from './schema';
import type { Settings, WrittenSettings } from './settings.generated';
import { sameName, suggest, validateSettings } from './validate';
import { deepFreeze } from '../frozen';
import { untiedProfile } from './environments';

export interface AnnotationLayer {
  /** Path of the annotations map inside the resource. */
  path: Path;
  entries: [string, Node | null][];
  /** The text the entries were parsed from (their ranges point into it), to quote a value as written. */
  text?: string;
}

export interface SettingProblem {
  severity: 'error' | 'warning';
  reason: 'invalid-setting' | 'unknown-annotation';
  /** Path of the offending annotation, or undefined when the value came from the functionConfig. */
  path?: Path;
  message: string;
}

export interface Resolved {
  settings: Settings;
  problems: SettingProblem[];
  /** The profile's values that no later layer overrode: what the environment decided for this workload. */
  decided: Readonly<Record<string, unknown>>;
  /** The keys the functionConfig or an annotation gives: the user's, which a profile never overrides. */
  given: ReadonlySet<string>;
}

/**
 * Workloads mostly repeat their annotations (`inject: "true"` alone): each distinct combination is resolved
 * once per config, and its result (frozen) is shared, so the rendering that depends on settings alone is
 * shared too (render/per-settings.ts, under the contract in fn/frozen.ts). The key is what the layers say:
 * strings and paths, exact.
 *
 * A layer that reads without a problem (nearly every one) is found by its tokens, one Map step each
 * (`tokenNode`): building the key's JSON was most of what resolving cost a workload. One with a problem is
 * found by the JSON of everything read (its problems' messages too).
 */
interface Resolutions {
  /** By the JSON of what the layers read, when some layer has problems. */
  byJson: Map<string, Resolved>;
  /** By the tokens of the profile and the layers (`tokenNode`), when none has. */
  byTokens: KeyNode;
  size: number;
}
interface KeyNode {
  next: Map<unknown, KeyNode>;
  result: Resolved | undefined;
}
const resolved = new WeakMap<WrittenSettings, Resolutions>();

export function resolveSettings(
  config: WrittenSettings,
  layers: AnnotationLayer[],
  profile: WrittenSettings = {},
  ties: Readonly<Record<string, string>> = {},
): Resolved {
  // Loops that push, not map(): the arrays map() makes in optimized code are of another kind than the
  // interpreter's, and this code was thrown away and compiled again for reading one (V8's deopts).
  const read: LayerRead[] = [];
  let problems = false;
  for (const layer of layers) {
    const layerRead = readLayer(layer);
    read.push(layerRead);
    if (layerRead.problems.length) problems = true;
  }
  let known = resolved.get(config);
  if (!known)
    resolved.set(config, (known = { byJson: new Map(), byTokens: { next: new Map(), result: undefined }, size: 0 }));
  if (known.size >= 1000) {
    known.byJson.clear();
    known.byTokens = { next: new Map(), result: undefined };
    known.size = 0;
  }
  const node = problems ? undefined : tokenNode(known.byTokens, profile, layers, read);
  if (node) return (node.result ??= fresh(known, config, read, profile, ties));
  const key = JSON.stringify(jsonKey(profile, read));
  let result = known.byJson.get(key);
  if (!result) known.byJson.set(key, (result = fresh(known, config, read, profile, ties)));
  return result;
}

/** A resolution not in the cache yet, frozen (and counted) to be kept in it. */
function fresh(
  known: Resolutions,
  config: WrittenSettings,
  read: LayerRead[],
  profile: WrittenSettings,
  ties: Readonly<Record<string, string>>,
): Resolved {
  known.size++;
  return deepFreeze(resolve(config, read, profile, ties));
}

/** The key of layers with problems: the profile, then each layer's values, paths and problems, as read. */
function jsonKey(profile: WrittenSettings, read: LayerRead[]): unknown[] {
  const keyParts: unknown[] = [profile];
  for (const layerRead of read) keyParts.push([layerRead.written, [...layerRead.paths], layerRead.problems]);
  return keyParts;
}

/** Ends a run of tokens (a profile's, a layer's path), so no two keys' tokens read alike. */
const END = Symbol('end');

/**
 * The node of the cache the tokens lead to, made on the way: the profile's keys and values, then for each
 * layer its path and, for each setting it gives, the key, the annotation's name and the value. With no
 * problem, those are all a layer read (readLayer: `written` and `paths` follow from them). Undefined for a
 * profile value that is not a primitive, whose identity would not say its contents: the JSON key takes it.
 */
function tokenNode(
  root: KeyNode,
  profile: WrittenSettings,
  layers: AnnotationLayer[],
  read: LayerRead[],
): KeyNode | undefined {
  const tokens: unknown[] = [];
  for (const key of Object.keys(profile)) {
    const value = (profile as Record<string, unknown>)[key];
    if (typeof value === 'object' && value !== null) return undefined;
    tokens.push(key, value);
  }
  tokens.push(END);
  for (let i = 0; i < layers.length; i++) {
    for (const segment of layers[i].path) {
      if (typeof segment !== 'string') return undefined;
      tokens.push(segment);
    }
    tokens.push(END);
    const { written, paths } = read[i];
    for (const [key, path] of paths) tokens.push(key, path[path.length - 1], written[key]);
    tokens.push(END);
  }
  // One loop over the tokens, not a step per kind of token: less code for the optimizing compiler.
  let node = root;
  for (const token of tokens) {
    let next = node.next.get(token);
    if (!next) node.next.set(token, (next = { next: new Map(), result: undefined }));
    node = next;
  }
  return node;
}

function resolve(
  config: WrittenSettings,
  layers: ReturnType<typeof readLayer>[],
  written: WrittenSettings,
  ties: Readonly<Record<string, string>>,
): Resolved {
  const problems: SettingProblem[] = [];
  const origin = new Map<string, Path | undefined>();
  const users = new Set([...Object.keys(config), ...layers.flatMap((l) => Object.keys(l.written))]);
  const profile = untiedProfile(written, ties, users);
  const values: WrittenSettings[] = [profile, config];
  for (const { written, paths, problems: found } of layers) {
    problems.push(...found);
    const { values: read, problems: bad } = validateSettings(written, true);
    for (const problem of bad) {
      const path = paths.get(problem.key);
      problems.push({
        severity: 'error',
        reason: 'invalid-setting',
        path,
        message: `${annotationName(path)}: ${problem.message}`,
      });
    }
    values.push(read);
    for (const key of Object.keys(read)) origin.set(key, paths.get(key));
  }
  const settings = normalize(...values);
  const given = new Set(values.slice(1).flatMap((layer) => Object.keys(layer)));
  const decided = Object.fromEntries(Object.entries(profile).filter(([key]) => !given.has(key)));
  for (const rule of checkRules(settings)) {
    const path = rule.keys.map((k) => origin.get(k)).find(Boolean);
    problems.push({
      severity: rule.severity,
      reason: 'invalid-setting',
      path,
      message: path ? `${annotationName(path)}: ${rule.message}` : rule.message,
    });
  }
  return { settings, problems, decided, given };
}

type LayerRead = ReturnType<typeof readLayer>;

function readLayer(layer: AnnotationLayer) {
  const problems: SettingProblem[] = [];
  const written: Record<string, string> = {};
  const paths = new Map<string, Path>();
  for (const [name, value] of layer.entries) {
    if (!name.startsWith(ANNOTATION_PREFIX) || OWN_KEYS.has(name)) continue;
    const path = [...layer.path, name];
    const key = KEY_BY_ANNOTATION.get(name.slice(ANNOTATION_PREFIX.length));
    if (!key) {
      problems.push({
        severity: 'warning',
        reason: 'unknown-annotation',
        path,
        message: `${name}: ${unknownAnnotation(name)}`,
      });
      continue;
    }
    if (!isScalar(value) || typeof value.value !== 'string') {
      problems.push({
        severity: 'error',
        reason: 'invalid-setting',
        path,
        message: `${name}: ${notAString(value, layer.text)}`,
      });
      continue;
    }
    written[key] = value.value;
    paths.set(key, path);
  }
  return { written, paths, problems };
}

/** Every annotation name, for a near miss's "did you mean". */
const ANNOTATION_NAMES = [...KEY_BY_ANNOTATION.keys()].map((name) => ANNOTATION_PREFIX + name);
/** The settings only a functionConfig gives (image, forwarderAddr): written as annotations, said so. */
const CONFIG_ONLY = SETTING_KEYS.filter((key) => !ANNOTATION_KEYS.has(key));

/** Why an annotation in our domain is none of ours, and what was meant when that can be told. */
function unknownAnnotation(name: string): string {
  const config = CONFIG_ONLY.find((key) => sameName(key, name.slice(ANNOTATION_PREFIX.length)));
  if (config) return `${config} is set in the functionConfig, for the whole package, not by annotation; ignored`;
  return `unknown Speedscale annotation, ignored${suggest(name, ANNOTATION_NAMES)}`;
}

/**
 * An annotation value YAML reads as no string, and what to write instead: a scalar quoted as it was written
 * (`.inf` is "Infinity" to JavaScript) and without its tag (`!!bool "true"` wants `"true"`), a collection
 * named as such, since no quoting makes it a string.
 */
function notAString(value: Node | null, text: string | undefined): string {
  const written = text === undefined ? undefined : writtenNode(value, text);
  if (isMap(value) || isSeq(value)) {
    const quoted = written !== undefined && !written.includes('\n') ? `: ${written}` : '';
    return `an annotation value must be a string, got a ${isMap(value) ? 'map' : 'list'}${quoted}`;
  }
  const scalar = isScalar(value) ? value.value : null;
  // A tag is what makes it no string: the advice is what the scalar spells without it, not the tag quoted too.
  const advice = untagged(value) ?? shown(scalar, written ?? (value === null ? '' : undefined));
  return `annotation values must be strings; quote it: ${JSON.stringify(advice)}`;
}

// An annotation's path (readLayer) ends at its name: a string, never a list item's `{ name }`.
const annotationName = (path: Path | undefined): string =>
  path ? (path[path.length - 1] as string) : 'functionConfig';
