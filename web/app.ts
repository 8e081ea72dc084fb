/**
 * What a step renders from, and what it gives back: the page (main.ts) holds one App, and frames each step's
 * content with its numbered heading (steps/index.ts holds the order).
 */
import type { Child } from './dom';
import type { Computed } from './pipeline';
import type { Server } from './server';
import type { WizardState } from './state';

export interface App {
  state: WizardState;
  computed: Computed;
  /** Changes the state; `render: false` keeps the section (the caller refreshes what it shows). */
  update(change: (s: WizardState) => void, options?: { render?: boolean }): void;
  /** Set when the page is served by `sidecar-injector wizard DIR`. */
  server?: Server;
}

export interface Step {
  /** The step in the URL: a shared link names it, so it outlives a reordering. */
  id: string;
  /** The step bar's label, the heading and "Next: <title>", numbered by the step's place in the list. */
  title: string;
  render(app: App): StepView;
}

export interface StepView {
  /** The section's content, below the heading the page writes. */
  content: Child[];
  /** Updates only what depends on the core's output, so typing keeps focus and caret. */
  refresh?: () => void;
}
