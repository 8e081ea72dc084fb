/**
 * The wizard page: the state (in the URL), the core's answer for it, the step bar and the current step.
 * `sidecar-injector wizard DIR` serves this same page; opened with its token, the page asks it for DIR's files.
 */
import type { App, StepView } from './app';
import { h } from './dom';
import { EXAMPLES } from './examples';
import { PackageSession, printableName } from '../fn/index';
import { compute } from './pipeline';
import { loadFiles, servedSources, serverOf, takeToken, type Server } from './server';
import { encodeState, initialState, readState, type ReadState, type WizardState } from './state';
import { numbered, STEP_IDS, stepIndex, STEPS } from './steps';
import { forgetSaved, savedState, saveState } from './storage';
import { SUMMARY_STEPS, summaryView } from './summary';
import { flushTyping } from './typing';

/** Served by `wizard DIR`: DIR's files first (the page is the same either way). */
async function boot(): Promise<void> {
  const token = takeToken();
  if (!token) return start();
  const loaded = await loadFiles(token);
  if ('error' in loaded) {
    document
      .getElementById('main')!
      .replaceChildren(
        h(
          'p',
          { class: 'error', role: 'alert' },
          `The wizard server did not give this page DIR's files: ${loaded.error}. `,
        ),
        h('p', {}, 'Open the URL sidecar-injector wizard printed again.'),
      );
    return;
  }
  start(serverOf(token, loaded));
}

function start(served?: Server): void {
  if (served) tellWhereItRuns(served);
  const read = readState(location.hash, STEP_IDS);
  tellAboutLink(read);
  const fromUrl = read && 'state' in read ? read.state : undefined;
  let state: WizardState = fromUrl ?? initialState();
  // Served, DIR's files are the manifests (a link's or an earlier load's files are not what a write checks
  // against); the link's choices still apply to them.
  if (served) {
    const sources = servedSources(served);
    state = { ...state, sources, current: Math.min(state.current, sources.length - 1) };
  }
  // Each document's parse and outcome, from one compute to the next: a change reprocesses what it changed.
  const session = new PackageSession();
  const app: App = {
    state,
    computed: compute(state, session),
    update(change, { render = true } = {}) {
      dismissOffer();
      change(app.state);
      app.computed = compute(app.state, session);
      save();
      if (render) show();
      else current?.refresh?.();
    },
    ...(served && { server: served }),
  };

  // The URL (and the browser's storage) are written after the page has shown the change, once the user
  // pauses: compressing a large package takes longer than processing it. What the page opened with is not
  // a change: a link is its own state, and an empty page must not overwrite the session saved before.
  let written = JSON.stringify(app.state);
  let pending: ReturnType<typeof setTimeout> | undefined;
  function save(): void {
    clearTimeout(pending);
    pending = setTimeout(flush, SAVE_DELAY_MS);
  }
  function flush(): void {
    clearTimeout(pending);
    const json = JSON.stringify(app.state);
    if (json === written) return;
    written = json;
    const encoded = encodeState(app.state);
    history.replaceState(null, '', `#${encoded}`);
    if (!served && app.state.sources.some((source) => source.text.trim())) saveState(encoded);
  }
  addEventListener('pagehide', () => (flushTyping(), flush()));
  const bar = document.getElementById('steps')!;
  const main = document.getElementById('main')!;
  let current: StepView | undefined;
  // One box for the page's life: its headline is a live region, heard when it changes.
  const summary = summaryView();
  function show(toStep = false): void {
    flushTyping();
    const at = stepIndex(app.state.step);
    bar.replaceChildren(
      ...STEPS.map((_, i) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', 'aria-current': i === at ? 'step' : undefined, onclick: () => go(i) },
            numbered(i),
          ),
        ),
      ),
    );
    // A re-render (a tick, a select) keeps the keyboard where it was: the same control, by position.
    const controls = () => [...main.querySelectorAll<HTMLElement>('input, select, button, textarea, summary')];
    const focused = controls().indexOf(document.activeElement as HTMLElement);
    current = STEPS[at].render(app);
    // Every step's frame: its numbered heading, which the section is labelled by.
    const section = h(
      'section',
      { 'aria-labelledby': 'step-title' },
      h('h2', { id: 'step-title', tabindex: -1 }, numbered(at)),
      SUMMARY_STEPS.has(STEPS[at].id) ? summary.render(app) : null,
      current.content,
    );
    const nav = h(
      'div',
      { class: 'row' },
      at > 0 ? h('button', { type: 'button', onclick: () => go(at - 1) }, 'Back') : null,
      at < STEPS.length - 1
        ? h('button', { type: 'button', class: 'primary', onclick: () => go(at + 1) }, `Next: ${STEPS[at + 1].title}`)
        : null,
    );
    main.replaceChildren(section, nav);
    save();
    if (toStep) toHeading();
    else if (focused >= 0) controls()[focused]?.focus();
  }
  /**
   * A new step starts at its heading: focusing <main> scrolled only when main was out of view, so after Next
   * at the foot of a long step the next one opened mid-page. The keyboard goes on from the heading.
   */
  function toHeading(): void {
    const heading = document.getElementById('step-title')!;
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: 'start' });
  }
  function go(index: number): void {
    flushTyping();
    dismissOffer();
    app.state.step = STEPS[index].id;
    show(true);
  }
  const status = document.getElementById('share-status')!;
  document.getElementById('share')!.addEventListener('click', () => {
    flushTyping();
    flush();
    navigator.clipboard.writeText(location.href).then(
      () => (status.textContent = 'Link copied: it holds every choice.'),
      () => (status.textContent = 'Copy the address bar: it holds every choice.'),
    );
  });
  // Offered until the user resumes, forgets, or starts on something else (then storage holds the new work).
  let dismissOffer = (): void => undefined;
  show();
  if (!fromUrl && !served)
    dismissOffer = offerSaved((saved) => {
      app.update((s) => Object.assign(s, saved));
      main.focus();
    });
  if (!app.computed.workloads.length) warmUp();
}

/**
 * V8 compiles each of the core's functions when it first runs: on this machine a third of a second of the
 * first paste. While the page waits for the user, a bundled example is run through the core (and thrown
 * away), so their first paste costs what every later one does.
 */
function warmUp(): void {
  const run = () => void compute({ ...initialState(), sources: Object.values(EXAMPLES).flat() });
  if ('requestIdleCallback' in window) requestIdleCallback(run);
  else setTimeout(run, 100);
}

const SAVE_DELAY_MS = 500;

/**
 * A page opened without a link offers the work this browser saved last, rather than restoring it unasked.
 * Returns what takes the offer away.
 */
function offerSaved(resume: (saved: WizardState) => void): () => void {
  const box = document.getElementById('saved')!;
  const dismiss = () => box.replaceChildren();
  const saved = savedState(STEP_IDS);
  if (!saved?.sources.some((source) => source.text.trim())) return dismiss;
  const files = saved.sources.length;
  const step = stepIndex(saved.step) + 1;
  box.replaceChildren(
    h(
      'p',
      {},
      `Your last session is saved in this browser (${files} file${files === 1 ? '' : 's'}, step ${step}). `,
      h('button', { type: 'button', onclick: () => (dismiss(), resume(saved)) }, 'Resume it'),
      ' ',
      h('button', { type: 'button', onclick: () => (forgetSaved(), dismiss(), mainElement().focus()) }, 'Forget it'),
    ),
  );
  return dismiss;
}

/**
 * The footer says what leaves the page. Opened from disk or a link: nothing (index.html's text). Served by
 * `wizard DIR`: the page talks to that server alone (its CSP: connect-src 'self'), which reads and writes DIR.
 */
function tellWhereItRuns(served: Server): void {
  document.getElementById('where-it-runs')!.textContent =
    `Served by sidecar-injector wizard: this page talks only to the local server at ${location.host}, ` +
    `which reads and writes files in ${printableName(served.dir)}. Nothing goes anywhere else.`;
}

/** What the page did not take from the link it was opened with, said above the steps. */
function tellAboutLink(read: ReadState): void {
  const box = document.getElementById('link-notice')!;
  if (read && 'refused' in read)
    box.replaceChildren(
      h('p', { class: 'error', role: 'alert' }, `This link was not opened: ${read.refused}. Nothing of it was loaded.`),
    );
  else if (read?.dropped.length)
    box.replaceChildren(
      h(
        'p',
        { class: 'error', role: 'alert' },
        `This link set settings the page offers no control for, and they were left out: ${read.dropped.join('; ')}.`,
      ),
    );
}

const mainElement = () => document.getElementById('main')!;

void boot();
