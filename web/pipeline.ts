/**
 * From the page's state to what every step shows, with the KRM function's own core: the workloads found,
 * the manifests with the user's annotations (what they commit), and those run through processResource
 * exactly as `sidecar-injector inject` edits a file (cli/formats.ts), one Outcome per resource. A Memo
 * carries each document's parse and outcome from one compute to the next (memo.ts).
 */
import { blankMarker, editText, restoreBlanked, splitDocuments } from '../fn/cli/formats';
import { readFunctionConfig, type ConfigProblem } from '../fn/config/function-config';
import { kebab } from '../fn/config/schema';
import { listItems } from '../fn/inject/list';
import { readNamespaces } from '../fn/inject/namespaces';
import { processResource, type RunOptions } from '../fn/inject/process';
import type { Outcome } from '../fn/outcome';
import { parseResource, type Resource } from '../fn/resource';
import { CONFIG_API_VERSION, CONFIG_KIND, INJECT_ANNOTATION, ANNOTATION_PREFIX } from '../fn/vocabulary';
import { isSeq } from '../fn/yaml/nodes';
import { applyEdits, type Edit } from '../fn/yaml/text-edit';
import { setAnnotations, type AnnotationChanges } from './annotate';
import { specOf } from './fields';
import { isJsonFile, jsonAsYaml, throughYaml } from './json';
import { Memo } from './memo';
import type { WizardState } from './state';
import { workloadId, type WorkloadFacts } from './workloads';

export interface Workload extends WorkloadFacts {
  /** Index of its file in the state's sources, and of its document there. */
  source: number;
  doc: number;
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
  /** Each workload's outcome, by source and id (keyOf; a List's items included). */
  outcomes: ReadonlyMap<string, Outcome>;
  /** Why the page left a workload's annotations as they were, by keyOf (a key there that is not a map). */
  notAnnotated: ReadonlyMap<string, string>;
}

/** The workloads of one file, each document read through the memo (a JSON file is one document). */
export function findWorkloads(text: string, source = 0, memo = new Memo(), docs = documentsOf(text)): Workload[] {
  const json = isJsonFile(text);
  return docs.flatMap((chunk, doc) =>
    memo.workloads(json ? chunk : blankMarker(chunk), json).map((w) => ({ ...w, source, doc })),
  );
}

/** A file's documents as the function splits it: a JSON file whole, a YAML stream at its `---` lines. */
const documentsOf = (text: string): string[] => (isJsonFile(text) ? [text] : splitDocuments(text));

/** Whether a workload is ticked: the user's choice, else what its manifest says. */
export const isChosen = (state: WizardState, w: Workload): boolean =>
  state.choices[w.id] ?? (w.annotated || w.injected);

/** The annotations the page writes on one workload: the opt-in and the per-workload settings. */
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

export function compute(state: WizardState, memo = new Memo()): Computed {
  const spec = specOf(state.config);
  const docsOf = state.sources.map((s) => documentsOf(s.text));
  // Namespaces anywhere count for every workload, read as cli.ts reads them (no annotation touches them).
  const namespaces = readNamespaces(state.sources.flatMap((s) => splitDocuments(s.text)));
  const key = JSON.stringify([spec, [...namespaces]]);
  const { options, problems } = memo.begin(key, () => {
    const read = readFunctionConfig({ apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND, spec });
    // A bad value is left out (validateSettings drops it) and shown inline: the output stays what it was.
    return { options: { config: read.config, namespaces } satisfies RunOptions, problems: read.problems };
  });
  const workloads: Workload[] = [];
  const outcomes = new Map<string, Outcome>();
  const notAnnotated = new Map<string, string>();
  const files = state.sources.map(({ path, text }, index) => {
    const docs = docsOf[index];
    const found = findWorkloads(text, index, memo, docs);
    workloads.push(...found);
    const json = isJsonFile(text);
    for (const [doc, ws] of byDoc(found))
      docs[doc] = json
        ? annotatedJson(docs[doc], ws, state, memo, notAnnotated)
        : restoreBlanked(annotated(blankMarker(docs[doc]), ws, state, memo, notAnnotated));
    const source = docs.join('');
    const edited = editText(
      source,
      (r) => {
        const body = typeof r === 'string' ? r : r.text;
        return memo.outcome(body, () => processResource(r, options));
      },
      (body) => readMap(memo.read(body)),
    );
    for (const o of edited.outcomes)
      for (const one of o.items ? [o, ...o.items] : [o]) {
        const id = `${index}/${workloadId(one.meta)}`;
        if (!outcomes.has(id)) outcomes.set(id, one);
      }
    return { path, original: text, source, output: edited.text, outcomes: edited.outcomes };
  });
  memo.end();
  return { workloads, files, configProblems: problems, spec, outcomes, notAnnotated };
}

/** A JSON file with the user's annotations: through the YAML the function edits it as. */
function annotatedJson(
  text: string,
  ws: Workload[],
  state: WizardState,
  memo: Memo,
  problems: Map<string, string>,
): string {
  const done = throughYaml(text, (yaml) => annotated(yaml, ws, state, memo, problems));
  if ('text' in done) return done.text;
  for (const w of ws) problems.set(keyOf(w), done.problem);
  return text;
}

/** A document read as a map, for the stream editor (anything else it reads again itself, for the error). */
const readMap = (read: Resource | string): Resource | undefined => (typeof read === 'string' ? undefined : read);

function byDoc(found: Workload[]): Map<number, Workload[]> {
  const docs = new Map<number, Workload[]>();
  for (const w of found) docs.set(w.doc, [...(docs.get(w.doc) ?? []), w]);
  return docs;
}

/** One document (its `---` line blanked) with the user's annotations on its workloads: itself, or a List's items. */
function annotated(
  body: string,
  ws: Workload[],
  state: WizardState,
  memo: Memo,
  problems: Map<string, string>,
): string {
  // Both places or neither: a workload the page cannot annotate safely stays as it was, and says why.
  const annotate = (text: string, w: Workload) => {
    const { workload, pod } = annotationChanges(w, state);
    const first = setAnnotations(text, ['metadata'], workload);
    const both = 'text' in first ? setAnnotations(first.text, w.podMetadataPath, pod) : first;
    if ('text' in both) return both.text;
    problems.set(keyOf(w), both.problem);
    return text;
  };
  const top = ws.find((w) => w.item === undefined);
  if (top) return annotate(body, top);
  const read = memo.read(body);
  const seq = typeof read === 'string' ? undefined : read.root.get('items', true);
  if (!isSeq(seq)) return body;
  const items = listItems(body, seq);
  const edits: Edit[] = ws.flatMap((w) => {
    const item = items[w.item!];
    const text = annotate(item.text, w);
    return text === item.text ? [] : [{ start: item.start, end: item.end, text }];
  });
  return edits.length ? applyEdits(body, edits) : body;
}

/** The outcome about one workload (matched by kind, namespace and name in its file). */
export const outcomeOf = (computed: Computed, w: Workload): Outcome | undefined => computed.outcomes.get(keyOf(w));

/** A workload in its file: ids repeat across files (a base and its overlay). */
export const keyOf = (w: Workload): string => `${w.source}/${w.id}`;

/** A workload's text as loaded and as the function writes it: its document, or its item of a List. */
export function piecesOf(computed: Computed, w: Workload): { before: string; after: string } {
  const file = computed.files[w.source];
  const before = documentsOf(file.original)[w.doc] ?? '';
  const after = documentsOf(file.output)[w.doc] ?? '';
  if (w.item === undefined) return { before, after };
  const json = isJsonFile(file.original);
  return { before: itemText(before, w.item, json) ?? before, after: itemText(after, w.item, json) ?? after };
}

function itemText(doc: string, item: number, json: boolean): string | undefined {
  // A JSON List's item is shown as the YAML the function edits it as.
  const read = parseResource(json ? (jsonAsYaml(doc) ?? doc) : blankMarker(doc), { item: false });
  const seq = typeof read === 'string' ? undefined : read.root.get('items', true);
  return typeof read !== 'string' && isSeq(seq) ? listItems(read.text, seq)[item]?.text : undefined;
}

/**
 * The documents of a file that are no resource at all (a YAML error, not a map), each with the function's
 * message and its position turned from the document's into the file's: `inject` says "document 3 ... at
 * line 2", the page shows one editor for the whole file.
 */
export function documentProblems(file: FileResult, why: (o: Outcome) => string): string[] {
  const problems: string[] = [];
  let from = 0;
  for (const o of file.outcomes) {
    // The outcomes follow the documents in order, each with its document as it was processed (not for JSON).
    // The lines are the editor's, as loaded: a broken document is never annotated, so it is found there as
    // it is, while the annotations the page wrote above it would shift it in the source.
    const at = file.original.indexOf(o.input, from);
    if (at >= 0) from = at + o.input.length;
    if (o.status !== 'error' || (o.reason !== 'malformed-yaml' && o.reason !== 'not-an-object')) continue;
    const first = at >= 0 ? file.original.slice(0, at).split('\n').length : 1;
    const message = why(o).replace(/at line (\d+), column (\d+)/, (_, line: string, column: string) => {
      return `at line ${first + Number(line) - 1}, column ${column}`;
    });
    problems.push(`${file.path}: ${message}`);
  }
  return problems;
}

/** The key a config problem is about (`spec.proxyInPort` -> proxyInPort). */
export const problemKey = (p: ConfigProblem): string => p.field.replace(/^spec\.?/, '');
