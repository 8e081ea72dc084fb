/**
 * Environment: the first questions (where the workloads run, whether Speedscale's operator is installed, where
 * the images come from), and what each answer set. The answers are a layer under Configure (web/environment.ts).
 */
import type { App, Step, StepView } from '../app';
import { h, uid } from '../dom';
import { changesOf, PLATFORM_IDS, PLATFORMS, type AnswerChange, type Answers } from '../environment';
import { registryInput } from '../registry-input';

/** A group of radio buttons for one answer. */
function question<K extends keyof Answers>(
  app: App,
  legend: string,
  key: K,
  options: readonly { value: NonNullable<Answers[K]>; label: string }[],
): HTMLElement {
  const name = uid(key);
  return h(
    'fieldset',
    { class: 'question' },
    h('legend', {}, legend),
    ...options.map(({ value, label }) => {
      const id = uid(key);
      return h(
        'div',
        {},
        h('input', {
          type: 'radio',
          name,
          id,
          checked: app.state.answers?.[key] === value,
          onchange: () => app.update((s) => void ((s.answers ??= {})[key] = value)),
        }),
        h('label', { for: id }, ` ${label}`),
      );
    }),
  );
}

/** What the answers set, each key with its value; a key the user set in Configure is said to win. */
function changesView(app: App, changes: AnswerChange[]): HTMLElement {
  if (!changes.length)
    return h('p', { class: 'muted' }, 'No answer yet: the settings are the defaults (Configure shows them).');
  const own = app.state.config;
  return h(
    'ul',
    {},
    ...changes.map((c) =>
      h(
        'li',
        {},
        h('strong', {}, `${c.question}: ${c.answer}. `),
        c.changes.length
          ? h(
              'span',
              {},
              'Sets ',
              ...c.changes.flatMap((change, i) => [
                i ? ', ' : '',
                h('code', {}, change.key),
                ` = ${change.value}`,
                own[change.key] !== undefined ? ` (your Configure value ${own[change.key]} wins)` : '',
              ]),
              '. ',
            )
          : h('span', {}, 'Changes no setting. '),
        c.note ? h('span', { class: 'muted' }, c.note) : null,
      ),
    ),
  );
}

function render(app: App): StepView {
  const { state, computed } = app;
  const mine = state.answers?.images === 'mine';
  const loaded = computed.workloads.length;
  return {
    content: [
      h(
        'p',
        {},
        'Three questions that tailor the settings. Each answer is a layer under Configure: what you set there still wins.',
      ),
      loaded
        ? h(
            'p',
            { role: 'status' },
            `Your manifests are loaded (${loaded} workload${loaded === 1 ? '' : 's'}): answer, or go to any step above.`,
          )
        : null,
      h(
        'div',
        { class: 'questions' },
        question(
          app,
          'Where do the workloads run?',
          'platform',
          PLATFORM_IDS.map((id) => ({ value: id, label: PLATFORMS[id].label })),
        ),
        h(
          'div',
          {},
          question(app, "Is Speedscale's operator installed in the cluster?", 'operator', [
            { value: true, label: 'Yes' },
            { value: false, label: 'No' },
          ]),
          question(app, 'Which registry serves the images?', 'images', [
            { value: 'public', label: 'The public ones (gcr.io/speedscale)' },
            { value: 'mine', label: 'My own registry (a mirror)' },
          ]),
          mine ? registryInput(app, { placeholder: 'registry.example.org/team' }) : null,
        ),
      ),
      h('h3', {}, 'What your answers set'),
      h(
        'div',
        { 'data-testid': 'answer-changes', role: 'status' },
        changesView(app, changesOf(state.answers, state.registry)),
      ),
    ],
  };
}

export const environment: Step = { id: 'environment', title: 'Environment', render };
