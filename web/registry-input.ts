/**
 * The user's registry (state.registry), asked where it matters: by the Environment step (a mirror of the
 * proxy image) and by Wire it in (where the function image is pushed). One field, one state key.
 */
import type { App } from './app';
import { h, uid } from './dom';

/** A labelled input for the registry; `why`, when given, says what it is for and describes the input. */
export function registryInput(app: App, options: { placeholder?: string; why?: string } = {}): HTMLElement {
  const id = uid('registry');
  return h(
    'div',
    { class: 'row' },
    h('label', { for: id }, 'Your registry'),
    h('input', {
      id,
      type: 'text',
      value: app.state.registry ?? '',
      placeholder: options.placeholder,
      'aria-describedby': options.why ? `${id}-why` : undefined,
      onchange: (e: Event) =>
        app.update((s) => void (s.registry = (e.target as HTMLInputElement).value.trim() || undefined)),
    }),
    options.why ? h('span', { class: 'muted', id: `${id}-why` }, options.why) : null,
  );
}
