/**
 * The page's whole state, kept in the URL's fragment (lz-string, URI-safe), so a link reproduces the page.
 * The fragment never reaches a server; a state that does not decode is ignored, not half-applied.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';

export const STEPS = ['Manifests', 'Choose', 'Configure', 'Review', 'Wire it in', 'Verify'] as const;
export type Tool = 'kpt' | 'kustomize' | 'helm' | 'kubectl' | 'argocd' | 'flux';
export const TOOLS: readonly Tool[] = ['kpt', 'kustomize', 'helm', 'kubectl', 'argocd', 'flux'];

export interface Source {
  path: string;
  text: string;
}

export const PASTED = 'manifests.yaml';

export interface WizardState {
  step: number;
  /**
   * The manifests, one entry per file as dropped or preloaded (a paste is one file, manifests.yaml). Each is
   * edited on its own, as `inject` edits each file; the names tell the tool (Kptfile, Chart.yaml).
   */
  sources: Source[];
  /** The source the editor shows. */
  current: number;
  /**
   * The user's ticks by workload id (kind/namespace/name). A workload not in here keeps what its manifest
   * says (annotated inject: "true" or injected means chosen), so loading changes nothing by itself.
   */
  choices: Record<string, boolean>;
  /** Where the inject annotation goes. */
  annotateOn: 'workload' | 'pod';
  /** Package defaults: config key -> text as typed. */
  config: Record<string, string>;
  /** Per workload id: config key -> annotation value as typed. */
  annotations: Record<string, Record<string, string>>;
  /** The tool the user picked; unset means the one the manifests show. */
  tool?: Tool;
  /** The workload the Review and Configure steps show. */
  focus?: string;
}

export const initialState = (): WizardState => ({
  step: 0,
  sources: [{ path: PASTED, text: '' }],
  current: 0,
  choices: {},
  annotateOn: 'workload',
  config: {},
  annotations: {},
});

const PREFIX = 's=';

export function encodeState(state: WizardState): string {
  return PREFIX + compressToEncodedURIComponent(JSON.stringify(state));
}

export function decodeState(fragment: string): WizardState | undefined {
  const text = fragment.replace(/^#/, '');
  if (!text.startsWith(PREFIX)) return undefined;
  try {
    const json = decompressFromEncodedURIComponent(text.slice(PREFIX.length));
    if (!json) return undefined;
    const value = JSON.parse(json) as Partial<WizardState>;
    const state = { ...initialState(), ...value };
    return isState(state) ? state : undefined;
  } catch {
    return undefined;
  }
}

const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');

function isState(s: WizardState): boolean {
  return (
    Number.isInteger(s.step) &&
    s.step >= 0 &&
    s.step < STEPS.length &&
    Array.isArray(s.sources) &&
    s.sources.length > 0 &&
    s.sources.every((f) => typeof f?.path === 'string' && typeof f.text === 'string') &&
    Number.isInteger(s.current) &&
    s.current >= 0 &&
    s.current < s.sources.length &&
    typeof s.choices === 'object' &&
    Object.values(s.choices).every((v) => typeof v === 'boolean') &&
    (s.annotateOn === 'workload' || s.annotateOn === 'pod') &&
    isStringMap(s.config) &&
    typeof s.annotations === 'object' &&
    Object.values(s.annotations).every(isStringMap) &&
    (s.tool === undefined || TOOLS.includes(s.tool))
  );
}
