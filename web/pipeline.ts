/**
 * From the page's state to what every step shows, with the function's own core (fn/index.ts): the workloads
 * found, the manifests with the user's annotations (what they commit), and those through the package pass
 * exactly as `sidecar-injector inject` edits a file, one Outcome per resource. A PackageSession carries each
 * document's parse and outcome from one compute to the next.
 */
import {
  annotatePackage,
  annotationChanges,
  CONFIG_API_VERSION,
  CONFIG_KIND,
  type ConfigProblem,
  type FileWorkload,
  fileWorkloads,
  isChosen,
  type Outcome,
  PackageSession,
  type Reason,
  positions,
  printableName,
  processPackage,
  readFunctionConfig,
  workloadId,
  workloadText,
} from '../fn/index';
import { answersLayer } from './environment';
import { specOf } from './fields';
import type { WizardState } from './state';

export interface Workload extends FileWorkload {
  /** Index of its file in the state's sources. */
  source: number;
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

/** The workloads of one file, each document read through the session (a JSON file is one document). */
export const findWorkloads = (text: string, source = 0, session = new PackageSession()): Workload[] =>
  fileWorkloads(text, session).map((w) => ({ ...w, source }));

/** Whether a workload is ticked, and the annotations the page writes on it: the core's (fn/package/choices.ts). */
export { annotationChanges, isChosen };

export function compute(state: WizardState, session = new PackageSession()): Computed {
  // The Environment step's answers under what Configure holds: the user's own values win, key by key.
  const spec = specOf({ ...answersLayer(state.answers, state.registry), ...state.config });
  // A bad value is left out (the core drops it) and shown inline: the output stays what it was.
  const { config, problems } = readFunctionConfig({ apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND, spec });
  const workloads: Workload[] = [];
  const notAnnotated = new Map<string, string>();
  // The same annotating `wizard DIR` repeats before it writes (fn/package/choices.ts).
  const annotated = annotatePackage(state.sources, state, session).map(
    ({ path, text, workloads: found, refused }, index) => {
      for (const w of found) workloads.push({ ...w, source: index });
      for (const { workload, problem } of refused) notAnnotated.set(keyOf({ ...workload, source: index }), problem);
      return { path, text };
    },
  );
  const outcomes = new Map<string, Outcome>();
  const files = processPackage(annotated, { config, session }).map((file, index) => {
    for (const o of file.outcomes)
      for (const one of o.items ? [o, ...o.items] : [o]) {
        const id = `${index}/${workloadId(one.meta)}`;
        if (!outcomes.has(id)) outcomes.set(id, one);
      }
    const { path, text: original } = state.sources[index];
    return { path, original, source: file.text, output: file.output, outcomes: file.outcomes };
  });
  session.sweep();
  return { workloads, files, configProblems: problems, spec, outcomes, notAnnotated };
}

/** The outcome about one workload (matched by kind, namespace and name in its file). */
export const outcomeOf = (computed: Computed, w: Workload): Outcome | undefined => computed.outcomes.get(keyOf(w));

/** A workload in its file: ids repeat across files (a base and its overlay). */
export const keyOf = (w: Workload): string => `${w.source}/${w.id}`;

/** A workload's text as loaded and as the function writes it: its document, or its item of a List. */
export function piecesOf(computed: Computed, w: Workload): { before: string; after: string } {
  const file = computed.files[w.source];
  return { before: workloadText(file.original, w), after: workloadText(file.output, w) };
}

/** A document that is no resource at all, at its place in the file as loaded (lines and columns from 1). */
export interface DocumentProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}

/**
 * Why a document is no resource at all: the core's failed documents (fn/package/json-file.ts failedOutcome).
 * Each is an error with nothing else to list it by (no kind, no workload row), so the page must say it here.
 */
const FAILED: ReadonlySet<Reason> = new Set(['malformed-yaml', 'too-deep', 'internal-error']);

/**
 * The documents of a file that are no resource at all (a YAML error, nesting too deep to read), each with the
 * function's message at its place in the file as loaded, which the editor marks and the summary lists.
 */
export function documentProblemsAt(file: FileResult, why: (o: Outcome) => string): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  let place: ReturnType<typeof positions> | undefined;
  let from = 0;
  for (const o of file.outcomes) {
    // The outcomes follow the documents in order, each with its document as it was processed (not for JSON).
    // The lines are the editor's, as loaded: a broken document is never annotated, so it is found there as
    // it is, while the annotations the page wrote above it would shift it in the source.
    const start = file.original.indexOf(o.input, from);
    if (start >= 0) from = start + o.input.length;
    if (o.status !== 'error' || !FAILED.has(o.reason)) continue;
    const { line, column } = (place ??= positions(file.original))(Math.max(start, 0) + (o.at ?? 0));
    problems.push({ path: file.path, line, column, message: why(o) });
  }
  return problems;
}

/** documentProblemsAt as `file:line:column: message`, as the command line writes them (the name printable). */
export const documentProblems = (file: FileResult, why: (o: Outcome) => string): string[] =>
  documentProblemsAt(file, why).map((p) => `${printableName(p.path)}:${p.line}:${p.column}: ${p.message}`);

/** The key a config problem is about (`spec.proxyInPort` -> proxyInPort). */
export const problemKey = (p: ConfigProblem): string => p.field.replace(/^spec\.?/, '');
