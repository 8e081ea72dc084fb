/**
 * The page's whole state, kept in the URL's fragment (lz-string, URI-safe), so a link reproduces the page.
 * The fragment never reaches a server; a state that does not decode is ignored, not half-applied, and one
 * that unpacks to far more than a link the page makes is not unpacked at all. A setting the page offers no
 * control for is left out (readState says which).
 */
import { printableName } from '../fn/index';
import { compressToEncodedURIComponent } from 'lz-string';
import { PLATFORM_IDS, type Answers } from './environment';
import { FIELDS } from './fields';
import { decompressBounded, TooLong } from './lz-bounded';

export type Tool = 'kpt' | 'kustomize' | 'helm' | 'kubectl' | 'argocd' | 'flux';
export const TOOLS: readonly Tool[] = ['kpt', 'kustomize', 'helm', 'kubectl', 'argocd', 'flux'];

export interface Source {
  path: string;
  text: string;
}

export const PASTED = 'manifests.yaml';

export interface WizardState {
  /**
   * The step shown, by its id (web/steps/index.ts holds them in order). Links made before the steps had ids
   * hold its index: decodeState maps it.
   */
  step: string;
  /**
   * The manifests, one entry per file as dropped or preloaded (a paste is one file, manifests.yaml). Each is
   * edited on its own, as `inject` edits each file; the names tell the tool (Kptfile, Chart.yaml).
   */
  sources: Source[];
  /** The source the editor shows. */
  current: number;
  /**
   * The user's ticks by workload id (kind/namespace/name). A workload not in here keeps what its manifest
   * says (annotated inject: "true", or injected with no opt-in written, means chosen: fn/package/choices.ts).
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
  /** The registry the user pushes images to, as answered in Environment or Wire it in (web/wiring.ts). */
  registry?: string;
  /** The Environment step's answers (web/environment.ts): a settings layer below `config`. */
  answers?: Answers;
  /** The workload the Review and Configure steps show. */
  focus?: string;
}

export const initialState = (): WizardState => ({
  step: 'environment', // the first step's id: test/unit/wizard-logic.test.ts holds it to the list
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

/**
 * The steps in the order links held them by index, before the steps had ids: the list then, not the list now
 * (Environment came first later, which moved every index by one). Frozen: a link made then keeps its step.
 */
export const INDEXED_STEPS: readonly string[] = ['manifests', 'choose', 'configure', 'review', 'wire', 'verify'];

/**
 * The longest fragment read (characters): far above any package a page holds (Chrome keeps no longer URL
 * than 2 MB), so a larger one is no link the page made.
 */
export const MAX_LINK_CHARS = 4 * 1024 * 1024;
/** The longest state a fragment may unpack to (characters of JSON). */
export const MAX_STATE_CHARS = 32 * 1024 * 1024;
/**
 * How much longer than its fragment a state may be. The page's links unpack to a few times their length
 * (ten thousand copies of one Deployment: 27 times); a link made to unpack to a hundred megabytes, which
 * freezes or crashes the tab, is a thousand times its length.
 */
export const MAX_RATIO = 64;
const SMALL_STATE_CHARS = 64 * 1024;

/** The characters a fragment of `length` characters may unpack to. */
export const stateBudget = (length: number): number =>
  Math.min(MAX_STATE_CHARS, SMALL_STATE_CHARS + MAX_RATIO * length);

/**
 * A fragment read: the state, and what the link held that the page does not take (settings its form does
 * not offer); or why it was not read at all; undefined when it holds no state (or one that does not decode).
 */
export type ReadState = { state: WizardState; dropped: string[] } | { refused: string } | undefined;

/** `steps`: the step ids in order (web/steps/index.ts); a state on any other step is not a state. */
export function readState(fragment: string, steps: readonly string[]): ReadState {
  const text = fragment.replace(/^#/, '');
  if (!text.startsWith(PREFIX)) return undefined;
  const encoded = text.slice(PREFIX.length);
  if (encoded.length > MAX_LINK_CHARS)
    return { refused: `its state is ${encoded.length} characters long, more than the page reads (${MAX_LINK_CHARS})` };
  try {
    const json = decompressBounded(encoded, stateBudget(encoded.length));
    if (!json) return undefined;
    const value = JSON.parse(json) as Partial<Omit<WizardState, 'step'>> & { step?: unknown };
    // A link from before the steps had ids holds the step's index in the list of then.
    if (Number.isInteger(value.step)) value.step = INDEXED_STEPS[value.step as number];
    const state = { ...initialState(), ...value } as WizardState;
    return isState(state, steps) ? { state, dropped: dropUnoffered(state) } : undefined;
  } catch (error) {
    if (error instanceof TooLong)
      return {
        refused:
          `its ${encoded.length} characters unpack to more than ${stateBudget(encoded.length)} characters, ` +
          `over ${MAX_RATIO} times its length: refused as a link built to freeze the page would be ` +
          '(the page makes such a link only of very repetitive text)',
      };
    return undefined;
  }
}

/** The state a fragment holds, or undefined (readState, without what it says about the link). */
export function decodeState(fragment: string, steps: readonly string[]): WizardState | undefined {
  const read = readState(fragment, steps);
  return read && 'state' in read ? read.state : undefined;
}

/** The package settings the Configure form offers, and those of them a workload's annotation sets. */
const OFFERED = new Set(FIELDS.map((f) => f.key));
const PER_WORKLOAD = new Set(FIELDS.filter((f) => f.annotation).map((f) => f.key));

/**
 * Takes out of `state` the settings no control of the page shows (the schema's Run group, which the page
 * decides itself, or keys no setting has): a link could otherwise set what the user never sees, yet it goes
 * into the files offered. Per workload, only the settings an annotation sets (the server refuses others).
 * Returns what was taken out, in words.
 */
function dropUnoffered(state: WizardState): string[] {
  const dropped: string[] = [];
  const keep = (map: Record<string, string>, offered: ReadonlySet<string>, where: string) => {
    const out = Object.keys(map).filter((key) => !offered.has(key));
    for (const key of out) delete map[key];
    if (out.length) dropped.push(`${where}: ${out.map((key) => printableName(key)).join(', ')}`);
  };
  keep(state.config, OFFERED, 'package settings');
  for (const [id, settings] of Object.entries(state.annotations))
    keep(settings, PER_WORKLOAD, `per-workload settings of ${printableName(id)}`);
  return dropped;
}

const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');

function isState(s: WizardState, steps: readonly string[]): boolean {
  return (
    steps.includes(s.step) &&
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
    (s.tool === undefined || TOOLS.includes(s.tool)) &&
    (s.registry === undefined || typeof s.registry === 'string') &&
    (s.answers === undefined || isAnswers(s.answers))
  );
}

function isAnswers(a: Answers): boolean {
  return (
    typeof a === 'object' &&
    a !== null &&
    (a.platform === undefined || PLATFORM_IDS.includes(a.platform)) &&
    (a.operator === undefined || typeof a.operator === 'boolean') &&
    (a.images === undefined || a.images === 'public' || a.images === 'mine')
  );
}
