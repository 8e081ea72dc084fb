/**
 * Review: one chosen or injected workload as loaded and as the function writes it, side by side, with its
 * readiness, init order and results.
 */
import type { App, Step, StepView } from '../app';
import { h, uid } from '../dom';
import { diffView } from '../editor';
import { isJsonFile, printableName } from '../../fn/index';
import { isChosen, outcomeOf, piecesOf } from '../pipeline';
import { reviewOf } from '../review';
import { where, why } from '../wording';

function render(app: App): StepView {
  const { computed, state } = app;
  const shown = computed.workloads.filter((w) => isChosen(state, w) || w.injected);
  const focus = shown.find((w) => w.id === state.focus) ?? shown[0];
  const selectId = uid('review');
  const body = h('div', {});
  if (focus) {
    const file = computed.files[focus.source];
    const r = reviewOf(piecesOf(computed, focus), focus, outcomeOf(computed, focus), why);
    const merge = h('div', { class: 'merge' });
    body.append(
      h(
        'p',
        {},
        h(
          'span',
          { class: 'count', 'data-testid': 'ready' },
          `${r.ready.before}/${r.ready.before} -> ${r.ready.after}/${r.ready.after}`,
        ),
        ` containers ready (${r.status}${r.why ? `: ${r.why}` : ''})`,
      ),
      h('p', {}, `Init containers, in order: ${r.initOrder.after.join(' -> ') || 'none'}`),
      r.results.length
        ? h(
            'ul',
            {},
            ...r.results.map((x) =>
              h(
                'li',
                { class: x.severity === 'error' ? 'error' : x.severity === 'warning' ? 'warning' : '' },
                `${x.severity}: ${x.message}${x.field ? ` (${x.field.path})` : ''}`,
              ),
            ),
          )
        : '',
      h(
        'h3',
        {},
        `${printableName(file.path)}: as loaded (left) and as the function writes it (right)` +
          (focus.item !== undefined && isJsonFile(file.original)
            ? ', the item as the YAML the function edits it as'
            : ''),
      ),
      merge,
    );
    diffView(merge, r.before, r.after, [
      `${printableName(focus.name)} as loaded`,
      `${printableName(focus.name)} injected`,
    ]);
  }
  return {
    content: [
      shown.length
        ? h(
            'div',
            { class: 'row' },
            h('label', { for: selectId }, 'Workload'),
            h(
              'select',
              {
                id: selectId,
                'data-review-workload': true,
                onchange: (e: Event) => app.update((s) => void (s.focus = (e.target as HTMLSelectElement).value)),
              },
              ...shown.map((w) => h('option', { value: w.id, selected: w.id === focus?.id }, `${w.kind} ${where(w)}`)),
            ),
          )
        : h('p', { class: 'muted' }, 'Nothing chosen: tick a workload in Choose.'),
      body,
    ],
  };
}

export const review: Step = { id: 'review', title: 'Review', render };
