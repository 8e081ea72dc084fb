/**
 * An outcome in a few words: what a report line or a table cell shows after the status. The results' own
 * messages where they say more (a warning on an injected workload, the errors of a refused one), otherwise
 * the reason's words.
 */
import { CHANGES, type Outcome } from './outcome';
import { reasonWords } from './reasons';
import type { Severity } from './results';

/** The messages of one severity, but for the "injected the sidecar" kind, which the status already says. */
const messages = (o: Outcome, severity: Severity) =>
  o.results
    .filter((r) => r.severity === severity && !CHANGES.has(r.tags?.reason ?? ''))
    .map((r) => r.message)
    .join('; ');

const words = (o: Outcome): string => reasonWords(o.reason, o.detail);

/** Info results a report shows with a change: what the function decided beyond the change itself. */
const TOLD: ReadonlySet<string> = new Set(['environment', 'moved-to-ebpf', 'service-target-port']);

/** A change's words: what it decided, then the warnings. */
const change = (o: Outcome): string =>
  [
    ...o.results.filter((r) => r.severity === 'info' && TOLD.has(r.tags?.reason ?? '')).map((r) => r.message),
    messages(o, 'warning'),
  ]
    .filter(Boolean)
    .join('; ');

/** The reason's words, then the warnings: a warning holds for a workload left as it is too (unchanged, kept). */
const alsoWarnings = (o: Outcome): string => [words(o), messages(o, 'warning')].filter(Boolean).join('; ');

/** The status as a report shows it: drift apart from other errors (it is what `--check` looks for). */
export type ShownStatus = Outcome['status'] | 'drift';

export const shownStatus = (o: Outcome): ShownStatus => (o.reason === 'drift' ? 'drift' : o.status);

const WHY: Record<ShownStatus, (o: Outcome) => string> = {
  injected: change,
  updated: change,
  removed: change,
  unchanged: alsoWarnings,
  kept: alsoWarnings,
  skipped: (o) => messages(o, 'warning') || words(o),
  drift: (o) => messages(o, 'error').replace(/^drift: /, ''),
  // The warnings too: an unknown annotation next to a refusal is never left unsaid (README: never silently ignored).
  error: (o) => [messages(o, 'error') || words(o), messages(o, 'warning')].filter(Boolean).join('; warning: '),
};

/** Why, in a few words (empty when the status says it all). */
export const why = (o: Outcome): string => WHY[shownStatus(o)](o);
