/**
 * The last state in the browser's local storage (optional, beside the URL): the same encoded text as a
 * share link, so it decodes with the same checks. Storage may be off or full; the page works without it.
 */
import { decodeState, type WizardState } from './state';

const KEY = 'sidecar-injector.wizard';

export function saveState(encoded: string): void {
  try {
    localStorage.setItem(KEY, encoded);
  } catch {
    // Full, or refused for a file:// page: the URL still holds the state.
  }
}

/** `steps`: the step ids in order, as for decodeState. */
export function savedState(steps: readonly string[]): WizardState | undefined {
  try {
    const text = localStorage.getItem(KEY);
    return text === null ? undefined : decodeState(text, steps);
  } catch {
    return undefined;
  }
}

export function forgetSaved(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing saved that could be reached.
  }
}
