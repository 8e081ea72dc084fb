/**
 * From the core's outcomes to the command line's report entries: a List's items each become one, and
 * each gets the few words that say why. Nothing here reads the resource again: the outcome is the answer.
 */
import { POD_CHECKS, type PodCheckCode } from '../inject/pod-checks';
import { CHANGES, OUTCOME_REASONS, type Outcome, type Status as OutcomeStatus } from '../outcome';
import type { Result, ResourceMeta, Severity } from '../results';

/** The outcome's status, with drift shown apart from other errors (it is what `--check` looks for). */
export type Status = OutcomeStatus | 'drift';

/** A KRM result, with the line and column (in the file, from 1) of the field it names. */
export type PlacedResult = Result & { line?: number; column?: number };

export interface Entry {
  meta: ResourceMeta;
  status: Status;
  /** Why, in a few words (empty when the status says it all). */
  why: string;
  /** The core's KRM results for this resource, each with where its field is in the file when known. */
  results: PlacedResult[];
  /** Where the resource starts in its file, from 1 (fn/cli/locate.ts: set when there is something to point at). */
  line?: number;
  column?: number;
  /** The resource before and after, for patches (set only when it changed). */
  before?: string;
  after?: string;
}

/** The entries of one document's outcome: itself, or a List's items in order. */
export function entriesOf(o: Outcome): Entry[] {
  if (o.items) return o.items.flatMap(entriesOf);
  const status: Status = o.reason === 'drift' ? 'drift' : o.status;
  const change = CHANGES.has(o.status);
  return [
    {
      meta: o.meta,
      status,
      why: WHY[status](o),
      results: o.results,
      ...(change && { before: o.input, after: o.text }),
    },
  ];
}

/** The messages of one severity, but for the "injected the sidecar" kind, which the status already says. */
const messages = (o: Outcome, severity: Severity) =>
  o.results
    .filter((r) => r.severity === severity && !CHANGES.has(r.tags?.reason ?? ''))
    .map((r) => r.message)
    .join('; ');

/** The reason's own words. */
function reasonWords(o: Outcome): string {
  const detail = o.detail ?? '';
  return Object.hasOwn(POD_CHECKS, o.reason)
    ? POD_CHECKS[o.reason as PodCheckCode].message(detail)
    : OUTCOME_REASONS[o.reason as keyof typeof OUTCOME_REASONS](detail);
}

const WHY: Record<Status, (o: Outcome) => string> = {
  injected: (o) => messages(o, 'warning'),
  updated: (o) => messages(o, 'warning'),
  removed: (o) => messages(o, 'warning'),
  unchanged: reasonWords,
  kept: reasonWords,
  skipped: (o) => messages(o, 'warning') || reasonWords(o),
  drift: (o) => messages(o, 'error').replace(/^drift: /, ''),
  error: (o) => messages(o, 'error') || reasonWords(o),
};
