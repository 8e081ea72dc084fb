/**
 * The way out while errors remain: downloading or writing output that still has errors takes an explicit
 * "take it anyway", which enables the controls it holds. Given once for a set of errors, it holds while they
 * stay the same (a re-render, another tool) and is asked again when they change.
 */
import { h, uid } from './dom';
import type { Summary } from './summary';

/** The errors the user took the output with, as one string; empty when not given. */
let takenWith = '';

const signature = (s: Summary): string =>
  JSON.stringify(s.findings.filter((f) => f.severity === 'error').map((f) => [f.about, f.message]));

/** Whether output taken now carries errors the user accepted (file names say so): errors at all. */
export const withErrors = (s: Summary): boolean => s.errors > 0;

/**
 * Disables `controls` until the user takes the output anyway; the checkbox that does it, or null when there
 * is no error (then nothing is held).
 */
export function gate(s: Summary, controls: readonly HTMLElement[]): HTMLElement | null {
  if (!s.errors) return null;
  const id = uid('take-anyway');
  const set = (taken: boolean) => {
    takenWith = taken ? signature(s) : '';
    for (const c of controls) (c as HTMLButtonElement).disabled = !taken;
  };
  const box = h('input', {
    type: 'checkbox',
    id,
    checked: takenWith === signature(s),
    onchange: (e: Event) => set((e.target as HTMLInputElement).checked),
  });
  set(takenWith === signature(s));
  return h(
    'p',
    { class: 'gate warning' },
    box,
    h('label', { for: id }, ` Take the output anyway, with ${s.errors} error${s.errors === 1 ? '' : 's'}`),
    ' (the results above list them: the workloads in error come out without a sidecar)',
  );
}
