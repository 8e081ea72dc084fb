/**
 * The wizard page: the state (in the URL), the core's answer for it, the step bar and the current step.
 * `sidecar-injector wizard DIR` serves this same page with DIR's files and a token set on `window.WIZARD`.
 */
import { h } from './dom';
import { compute } from './pipeline';
import { decodeState, encodeState, initialState, STEPS, type Source, type WizardState } from './state';
import { STEP_VIEWS, type App, type StepView } from './steps';

declare global {
  interface Window {
    WIZARD?: { token: string; dir: string; sources: Source[] };
  }
}

function start(): void {
  const served = window.WIZARD;
  const fromUrl = decodeState(location.hash);
  let state: WizardState = fromUrl ?? initialState();
  if (!fromUrl && served?.sources.length) {
    state = { ...state, sources: served.sources };
  }
  const app: App = {
    state,
    computed: compute(state),
    update(change, { render = true } = {}) {
      change(app.state);
      app.computed = compute(app.state);
      save();
      if (render) show();
      else current?.refresh?.();
    },
    ...(served && { server: { token: served.token, dir: served.dir } }),
  };

  // The URL is written only when the state changed: compressing a large package takes a while, and a link
  // opened is already its own state.
  let written = fromUrl ? JSON.stringify(app.state) : '';
  function save(): void {
    const json = JSON.stringify(app.state);
    if (json === written) return;
    written = json;
    history.replaceState(null, '', `#${encodeState(app.state)}`);
  }
  const bar = document.getElementById('steps')!;
  const main = document.getElementById('main')!;
  let current: StepView | undefined;
  function show(focusMain = false): void {
    bar.replaceChildren(
      ...STEPS.map((name, i) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', 'aria-current': i === app.state.step ? 'step' : undefined, onclick: () => go(i) },
            `${i + 1}. ${name}`,
          ),
        ),
      ),
    );
    // A re-render (a tick, a select) keeps the keyboard where it was: the same control, by position.
    const controls = () => [...main.querySelectorAll<HTMLElement>('input, select, button, textarea, summary')];
    const focused = controls().indexOf(document.activeElement as HTMLElement);
    current = STEP_VIEWS[app.state.step](app);
    const nav = h(
      'div',
      { class: 'row' },
      app.state.step > 0 ? h('button', { type: 'button', onclick: () => go(app.state.step - 1) }, 'Back') : null,
      app.state.step < STEPS.length - 1
        ? h(
            'button',
            { type: 'button', class: 'primary', onclick: () => go(app.state.step + 1) },
            `Next: ${STEPS[app.state.step + 1]}`,
          )
        : null,
    );
    main.replaceChildren(current.el, nav);
    save();
    if (focusMain) main.focus();
    else if (focused >= 0) controls()[focused]?.focus();
  }
  function go(step: number): void {
    app.state.step = step;
    show(true);
  }
  const status = document.getElementById('share-status')!;
  document.getElementById('share')!.addEventListener('click', () => {
    navigator.clipboard.writeText(location.href).then(
      () => (status.textContent = 'Link copied: it holds every choice.'),
      () => (status.textContent = 'Copy the address bar: it holds every choice.'),
    );
  });
  show();
}

start();
