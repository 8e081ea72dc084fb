/**
 * An editor's choices (the wizard page's ticks, placement and per-workload settings) as the annotations they
 * write, and a package annotated by them. Pure and in the core, so the page computes with it and `wizard
 * DIR` computes the very same from the files it served, and writes only what it computed itself.
 */
import { kebab } from '../config/schema';
import { ANNOTATION_PREFIX, INJECT_ANNOTATION } from '../vocabulary';
import { annotateFile, type AnnotationChanges, type WorkloadAnnotations } from './annotate';
import { fileWorkloads, type FileWorkload } from './file-workloads';
import type { PackageFile } from './process-package';
import { PackageSession } from './session';

export interface Choices {
  /** Ticks by workload id (kind/namespace/name); a workload not in here keeps what its manifest says. */
  choices: Record<string, boolean>;
  /** Where the inject annotation goes. */
  annotateOn: 'workload' | 'pod';
  /** Per workload id: config key -> annotation value as typed ('' takes it out). */
  annotations: Record<string, Record<string, string>>;
}

/**
 * Injected with no opt-in written (by `inject`, which injects every workload): the function, which injects
 * annotated workloads only, would take its sidecar out. Chosen unless unticked, and kept by writing the opt-in.
 */
export const injectedWithoutOptIn = (w: FileWorkload): boolean =>
  w.injected &&
  w.workloadAnnotations[INJECT_ANNOTATION] === undefined &&
  w.podAnnotations[INJECT_ANNOTATION] === undefined;

/** Whether a workload is ticked: the user's choice, else what its manifest says (an opt-in "false" is none). */
export const isChosen = (c: Choices, w: FileWorkload): boolean =>
  c.choices[w.id] ?? (w.annotated || injectedWithoutOptIn(w));

/** The annotations written on one workload: the opt-in and the per-workload settings. */
export function annotationChanges(w: FileWorkload, c: Choices): WorkloadAnnotations {
  const explicit = c.choices[w.id];
  const chosen = isChosen(c, w);
  const own: AnnotationChanges = {};
  // Per-workload settings go on a chosen workload only: an editor shows them for those alone, and an unticked
  // workload gets no sidecar for them to set (ticked again, it gets them back).
  for (const [key, value] of Object.entries(chosen ? (c.annotations[w.id] ?? {}) : {}))
    own[`${ANNOTATION_PREFIX}${kebab(key)}`] = value === '' ? null : value;
  const onPod = c.annotateOn === 'pod';
  // The opt-in goes where the user prefers; unticking takes out a "true" wherever it was written.
  const optIn = (here: boolean, written: Record<string, string>): string | null | undefined => {
    // The manifest's own decision stands; one injected without any is kept as it is shown, ticked.
    if (explicit === undefined && !injectedWithoutOptIn(w)) return undefined;
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

export interface AnnotatedSource extends PackageFile {
  /** The file's workloads, as found before annotating. */
  workloads: FileWorkload[];
  /** The workloads left as they were, each with why. */
  refused: { workload: FileWorkload; problem: string }[];
}

/** Each file with the choices written in as annotations: what the package pass then runs over. */
export function annotatePackage(
  files: readonly PackageFile[],
  c: Choices,
  session: PackageSession = new PackageSession(),
): AnnotatedSource[] {
  return files.map(({ path, text }) => {
    const workloads = fileWorkloads(text, session);
    const done = annotateFile(text, workloads, (w) => annotationChanges(w, c), session);
    return { path, text: done.text, workloads, refused: done.refused };
  });
}
