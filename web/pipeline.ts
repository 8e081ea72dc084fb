/**
 * From the page's state to what every step shows, with the KRM function's own core: the workloads found,
 * the manifests with the user's annotations (what they commit), and those run through processResource
 * exactly as `sidecar-injector inject` edits a file (cli/formats.ts), one Outcome per resource.
 */
import { blankMarker, editText, restoreBlanked, splitDocuments } from '../fn/cli/formats';
import { readFunctionConfig, type ConfigProblem } from '../fn/config/function-config';
import { kebab } from '../fn/config/schema';
import { readNamespaces } from '../fn/inject/namespaces';
import { processResource } from '../fn/inject/process';
import type { Outcome } from '../fn/outcome';
import {
  CONFIG_API_VERSION,
  CONFIG_KIND,
  INJECT_ANNOTATION,
  RECORD_ANNOTATION,
  ANNOTATION_PREFIX,
} from '../fn/vocabulary';
import { podPaths, workloadKind } from '../fn/workloads';
import { parseResource } from '../fn/resource';
import { toJSON } from '../fn/yaml/nodes';
import { setAnnotations, type AnnotationChanges } from './annotate';
import { specOf } from './fields';
import type { WizardState } from './state';

export interface Workload {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  /** Index of its file in the state's sources, and of its document there. */
  source: number;
  doc: number;
  containers: string[];
  initContainers: string[];
  /** Carries a sidecar an earlier run recorded. */
  injected: boolean;
  /** Annotated inject: "true" as written. */
  annotated: boolean;
  /** Annotations as written: on the workload and on its pod template. */
  workloadAnnotations: Record<string, string>;
  podAnnotations: Record<string, string>;
  podMetadataPath: string[];
}

export interface FileResult {
  path: string;
  /** As loaded. */
  original: string;
  /** With the user's annotations: what to commit and feed to the pipeline. */
  source: string;
  /** The source through the core: what the pipeline will produce (what `inject --in-place` writes). */
  output: string;
  /** One per document, as `inject` reports them. */
  outcomes: Outcome[];
}

export interface Computed {
  workloads: Workload[];
  files: FileResult[];
  /** The functionConfig's problems, by config key (the function's own messages). */
  configProblems: ConfigProblem[];
  /** The typed spec of the SidecarInjector the page offers. */
  spec: Record<string, unknown>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (v: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), v);
const stringMap = (v: unknown): Record<string, string> =>
  isObject(v)
    ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
/** A scalar as text ('' for anything else): names, kinds and namespaces as written. */
const scalar = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const names = (v: unknown): string[] => (Array.isArray(v) ? v.map((c) => scalar(at(c, ['name'])) || '?') : []);

export function findWorkloads(text: string, source = 0, docs = splitDocuments(text)): Workload[] {
  return docs.flatMap((chunk, doc) => {
    // The core's own parser (the fast one for ordinary manifests): a full `yaml` parse per document was
    // most of the page's own time on a large package. Its `---` line blanked, it reads a stream's documents too.
    const parsed = parseResource(blankMarker(chunk));
    if (typeof parsed === 'string') return [];
    const value = toJSON(parsed.root, parsed.doc);
    if (!isObject(value)) return [];
    const kind = scalar(value.kind);
    const workload = workloadKind(scalar(value.apiVersion), kind);
    if (!workload) return [];
    const paths = podPaths(workload);
    const spec = at(value, paths.podSpec);
    const workloadAnnotations = stringMap(at(value, ['metadata', 'annotations']));
    const podAnnotations = stringMap(at(value, [...paths.podMetadata, 'annotations']));
    const namespace = scalar(at(value, ['metadata', 'namespace']));
    const name = scalar(at(value, ['metadata', 'name']));
    return [
      {
        id: `${kind}/${namespace || 'default'}/${name}`,
        kind,
        namespace,
        name,
        source,
        doc,
        containers: names(at(spec, ['containers'])),
        initContainers: names(at(spec, ['initContainers'])),
        injected: workloadAnnotations[RECORD_ANNOTATION] !== undefined,
        annotated: (workloadAnnotations[INJECT_ANNOTATION] ?? podAnnotations[INJECT_ANNOTATION]) === 'true',
        workloadAnnotations,
        podAnnotations,
        podMetadataPath: paths.podMetadata,
      },
    ];
  });
}

/** The annotations the page writes on one workload: the opt-in and the per-workload settings. */
export const isChosen = (state: WizardState, w: Workload): boolean =>
  state.choices[w.id] ?? (w.annotated || w.injected);

export function annotationChanges(
  w: Workload,
  state: WizardState,
): { workload: AnnotationChanges; pod: AnnotationChanges } {
  const explicit = state.choices[w.id];
  const chosen = isChosen(state, w);
  const own: AnnotationChanges = {};
  for (const [key, value] of Object.entries(state.annotations[w.id] ?? {}))
    own[`${ANNOTATION_PREFIX}${kebab(key)}`] = value === '' ? null : value;
  const onPod = state.annotateOn === 'pod';
  // The opt-in goes where the user prefers; unticking takes out a "true" wherever it was written.
  const optIn = (here: boolean, written: Record<string, string>): string | null | undefined => {
    if (explicit === undefined) return undefined; // the manifest's own decision stands
    // The other place must not say otherwise: a workload's own annotation wins over its pod template's.
    if (chosen) return here ? 'true' : written[INJECT_ANNOTATION] !== undefined ? null : undefined;
    // Unticked: an injected workload says "false" where it opts in (the function then removes the sidecar, and
    // the manifest says why it has none); otherwise a "true" is taken out.
    if (w.injected) return here ? 'false' : written[INJECT_ANNOTATION] !== undefined ? null : undefined;
    return written[INJECT_ANNOTATION] === 'true' ? null : undefined;
  };
  const workload = { ...(onPod ? {} : own), [INJECT_ANNOTATION]: optIn(!onPod, w.workloadAnnotations) };
  const pod = { ...(onPod ? own : {}), [INJECT_ANNOTATION]: optIn(onPod, w.podAnnotations) };
  return { workload: defined(workload), pod: defined(pod) };
}

const defined = (changes: Record<string, string | null | undefined>): AnnotationChanges =>
  Object.fromEntries(Object.entries(changes).filter((e): e is [string, string | null] => e[1] !== undefined));

export function compute(state: WizardState): Computed {
  const workloads: Workload[] = [];
  const sources = state.sources.map(({ path, text }, index) => {
    const docs = splitDocuments(text);
    const found = findWorkloads(text, index, docs);
    workloads.push(...found);
    for (const w of found) {
      const { workload, pod } = annotationChanges(w, state);
      const text = setAnnotations(
        setAnnotations(blankMarker(docs[w.doc]), ['metadata'], workload),
        w.podMetadataPath,
        pod,
      );
      docs[w.doc] = restoreBlanked(text);
    }
    return { path, original: text, source: docs.join('') };
  });
  const spec = specOf(state.config);
  const { config, problems } = readFunctionConfig({ apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND, spec });
  // A bad value is left out (validateSettings drops it) and shown inline: the output stays what it was.
  // Namespaces anywhere count for every workload, as in the CLI and a ResourceList.
  const namespaces = readNamespaces(sources.flatMap((s) => splitDocuments(s.source)));
  const files = sources.map((s) => {
    const { text, outcomes } = editText(s.source, (resource) => processResource(resource, { config, namespaces }));
    return { ...s, output: text, outcomes };
  });
  return { workloads, files, configProblems: problems, spec };
}

/** The outcome about one workload (matched by kind, namespace and name in its file). */
export function outcomeOf(computed: Computed, w: Workload): Outcome | undefined {
  const all = computed.files[w.source]?.outcomes.flatMap((o) => (o.items ? [o, ...o.items] : [o])) ?? [];
  return all.find((o) => o.meta.kind === w.kind && o.meta.name === w.name && (o.meta.namespace ?? '') === w.namespace);
}

/** The key a config problem is about (`spec.proxyInPort` -> proxyInPort). */
export const problemKey = (p: ConfigProblem): string => p.field.replace(/^spec\.?/, '');
