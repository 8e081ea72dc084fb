/**
 * The user's registry (state.registry), asked where it matters: by the Environment step (a mirror of the
 * proxy image) and by Wire it in (where the function image is pushed). One field, one state key. A value that
 * is not a registry (web/registry.ts) is the field's error: the page names no image in it.
 */
import type { App } from './app';
import { h, uid } from './dom';
import { registryProblem } from './registry';

/** A labelled input for the registry; `why`, when given, says what it is for and describes the input. */
export function registryInput(app: App, options: { placeholder?: string; why?: string } = {}): HTMLElement {
  const id = uid('registry');
  const problem = registryProblem(app.state.registry);
  const described = [options.why && `${id}-why`, problem && `${id}-error`].filter(Boolean).join(' ');
  return h(
    'div',
    { class: 'row' },
    h('label', { for: id }, 'Your registry'),
    h('input', {
      id,
      type: 'text',
      value: app.state.registry ?? '',
      placeholder: options.placeholder,
      'aria-describedby': described || undefined,
      'aria-invalid': problem ? 'true' : undefined,
      onchange: (e: Event) =>
        app.update((s) => void (s.registry = (e.target as HTMLInputElement).value.trim() || undefined)),
    }),
    options.why ? h('span', { class: 'muted', id: `${id}-why` }, options.why) : null,
    problem
      ? h('span', { class: 'error', id: `${id}-error`, role: 'alert', 'data-registry-error': '' }, problem)
      : null,
  );
}
