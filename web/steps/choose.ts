/** Choose: tick the workloads to capture, and where the opt-in annotation goes. */
import { INJECT_ANNOTATION } from '../../fn/index';
import type { App, Step, StepView } from '../app';
import { h, uid } from '../dom';
import { isChosen, keyOf, outcomeOf, type Workload } from '../pipeline';
import type { WizardState } from '../state';
import { longTable } from '../table';
import { where, why } from '../wording';

function render(app: App): StepView {
  const { state, computed } = app;
  const row = (w: Workload) => {
    const id = uid('choose');
    const box = h('input', {
      type: 'checkbox',
      id,
      checked: isChosen(state, w),
      onchange: (e: Event) => app.update((s) => void (s.choices[w.id] = (e.target as HTMLInputElement).checked)),
    });
    const o = outcomeOf(computed, w);
    const refused = computed.notAnnotated.get(keyOf(w));
    return h(
      'tr',
      {},
      h('td', {}, box),
      h('td', {}, h('label', { for: id }, `${w.kind} ${where(w)}`)),
      h('td', {}, w.injected ? 'injected' : ''),
      refused
        ? h('td', { class: 'error' }, `not annotated: ${refused}`)
        : h('td', {}, o ? `${o.status}${why(o) ? `: ${why(o)}` : ''}` : ''),
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
      computed.workloads.length
        ? longTable(
            'choose',
            `${computed.workloads.length} workload(s)`,
            ['Capture', 'Workload', 'Now', 'Outcome'],
            computed.workloads,
            row,
          )
        : h('p', { class: 'muted' }, 'No workload found: go back to Manifests.'),
    ],
  };
}

export const choose: Step = { id: 'choose', title: 'Choose', render };
