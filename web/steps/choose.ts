/** Choose: tick the workloads to capture (a filter and select all or none), and where the opt-in goes. */
import { INJECT_ANNOTATION, injectedWithoutOptIn, type Outcome, type Reason } from '../../fn/index';
import type { App, Step, StepView } from '../app';
import { h, uid } from '../dom';
import { isChosen, keyOf, outcomeOf, type Workload } from '../pipeline';
import type { WizardState } from '../state';
import { longTable } from '../table';
import { where, why } from '../wording';

/** What the manifests say of a workload today, before any tick. */
type Now = 'injected' | 'annotated' | 'opted out' | 'not annotated';

function nowOf(w: Workload): Now {
  if (w.injected) return 'injected';
  if (w.annotated) return 'annotated';
  // The workload's own annotation wins over its pod template's, as the function reads them.
  const written = w.workloadAnnotations[INJECT_ANNOTATION] ?? w.podAnnotations[INJECT_ANNOTATION];
  return written === undefined ? 'not annotated' : 'opted out';
}

/** The outcome that only says again what Now says: its cell stays blank (unless it warns). */
const REPEATS: Record<Now, Reason | undefined> = {
  injected: 'up-to-date',
  annotated: undefined,
  'opted out': 'inject-off',
  'not annotated': 'not-annotated',
};

const repeats = (o: Outcome, now: Now): boolean =>
  o.reason === REPEATS[now] && o.results.every((r) => r.severity === 'info');

/**
 * What the row says of a workload that is a Helm or Argo CD hook (a `helm test` Pod): the function injects it
 * only when it is ticked itself, so Select all leaves it out, and the row says either way what becomes of it.
 */
function hookNote(w: Workload, chosen: boolean, o: Outcome | undefined): string {
  if (!chosen || o?.status === 'skipped')
    return (
      `not injected: ${w.hook} runs to completion, and a sidecar would keep it from finishing; ` +
      'Select all leaves it out: tick it to inject it anyway'
    );
  return (
    `${o?.status ?? 'ticked'}, though ${w.hook}: Helm and Argo CD wait for it to finish, ` +
    'which a classic sidecar never does (nativeSidecar: true lets it)'
  );
}

/** What the row says of a workload injected without the opt-in (by `inject`), which the page annotates to keep. */
const KEPT =
  `kept: injected without ${INJECT_ANNOTATION} (as inject does), and the function removes a sidecar a workload ` +
  `does not opt in to, so it gets ${INJECT_ANNOTATION}: "true"; untick it to remove its sidecar`;

/** The text the filter looks in: kind, namespace and name, as the row shows them. */
const rowName = (w: Workload): string => `${w.kind} ${where(w)}`;

/** Every word typed is somewhere in the row's name, in any case. */
const matches = (filter: string) => {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return (w: Workload) => words.every((word) => rowName(w).toLowerCase().includes(word));
};

/** The filter outlives the re-render a tick causes (it is no choice, so not in the link). */
let filterText = '';

function render(app: App): StepView {
  const { state, computed } = app;
  /** The Outcome column: a refusal, a kept injection, a hook, or the function's outcome where it adds to Now. */
  const outcomeCell = (w: Workload, now: Now): HTMLElement => {
    const o = outcomeOf(computed, w);
    const refused = computed.notAnnotated.get(keyOf(w));
    if (refused) return h('td', { class: 'error' }, `not annotated: ${refused}`);
    if (injectedWithoutOptIn(w) && state.choices[w.id] === undefined && o?.reason === 'up-to-date')
      return h('td', {}, KEPT);
    if (w.hook && o?.status !== 'error')
      return h('td', { class: 'warning', 'data-hook': '' }, hookNote(w, isChosen(state, w), o));
    return h('td', {}, o && !repeats(o, now) ? `${o.status}${why(o) ? `: ${why(o)}` : ''}` : '');
  };
  const row = (w: Workload) => {
    const id = uid('choose');
    const box = h('input', {
      type: 'checkbox',
      id,
      checked: isChosen(state, w),
      onchange: (e: Event) => app.update((s) => void (s.choices[w.id] = (e.target as HTMLInputElement).checked)),
    });
    const now = nowOf(w);
    return h(
      'tr',
      {},
      h('td', {}, box),
      h('td', {}, h('label', { for: id }, rowName(w))),
      h('td', {}, now),
      outcomeCell(w, now),
    );
  };
  const radio = (value: WizardState['annotateOn'], text: string) => {
    const id = uid('on');
    return h(
      'span',
      {},
      h('input', {
        type: 'radio',
        name: 'annotate-on',
        id,
        value,
        checked: state.annotateOn === value,
        onchange: () => app.update((s) => void (s.annotateOn = value)),
      }),
      h('label', { for: id }, ` ${text} `),
    );
  };
  const all = computed.workloads;
  const matching = () => all.filter(matches(filterText));
  const count = h('span', { role: 'status', id: uid('matching') });
  const table = h('div', {});
  const fill = () => {
    const shown = matching();
    count.textContent = `${shown.length} of ${all.length} match`;
    table.replaceChildren(
      shown.length
        ? longTable('choose', `${all.length} workload(s)`, ['Capture', 'Workload', 'Now', 'Outcome'], shown, row)
        : h('p', { class: 'muted' }, 'No workload matches the filter.'),
    );
  };
  const filterId = uid('filter');
  // Select all passes over the hooks not ticked yet: one is injected only when the user ticks it itself.
  const tickMatching = (chosen: boolean) =>
    app.update((s) => {
      for (const w of matching()) if (!chosen || !w.hook || isChosen(s, w)) s.choices[w.id] = chosen;
    });
  const hooks = all.filter((w) => w.hook);
  const controls = h(
    'div',
    { class: 'row' },
    h('label', { for: filterId }, 'Filter'),
    h('input', {
      type: 'search',
      id: filterId,
      value: filterText,
      placeholder: 'name, kind or namespace',
      'aria-describedby': count.id,
      oninput: (e: Event) => ((filterText = (e.target as HTMLInputElement).value), fill()),
    }),
    count,
    h('button', { type: 'button', onclick: () => tickMatching(true) }, 'Select all'),
    h('button', { type: 'button', onclick: () => tickMatching(false) }, 'Select none'),
  );
  if (all.length) fill();
  return {
    content: [
      h(
        'p',
        {},
        `Tick the workloads to capture: each gets ${INJECT_ANNOTATION}: "true". Untick an injected one to remove its sidecar.`,
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Put the annotation on'),
        radio('workload', 'the workload'),
        radio('pod', 'the pod template'),
      ),
      ...(all.length
        ? [
            controls,
            h(
              'p',
              { class: 'muted legend' },
              'Now: what the manifests say today (injected, annotated, opted out or not annotated). Outcome: ' +
                'what the function does with your ticks, blank where it would only repeat Now.',
            ),
            ...(hooks.length
              ? [
                  h(
                    'p',
                    { class: 'warning', 'data-hooks': '' },
                    `${hooks.length === 1 ? 'One workload is a hook' : `${hooks.length} workloads are hooks`} ` +
                      `(helm.sh/hook or argocd.argoproj.io/hook: ${hooks.map((w) => `${w.kind} ${where(w)}`).join(', ')}). ` +
                      'The function injects a hook only when it is ticked itself: Select all leaves hooks out.',
                  ),
                ]
              : []),
            table,
          ]
        : [h('p', { class: 'muted' }, 'No workload found: go back to Manifests.')]),
    ],
  };
}

export const choose: Step = { id: 'choose', title: 'Choose', render };
