/**
 * The results summary at the top of Review, Wire it in and Verify: how many of the chosen workloads the
 * function injects, then every error and warning about them and about the files, each with the core's own
 * words (they say the fix) and a button to where it is fixed. A failure can no longer hide behind Review's
 * dropdown, and the way out (downloads, writing: gate.ts) is held by the same count of errors.
 */
import {
  CHANGES,
  isHelmTemplate,
  type Outcome,
  positions,
  printableName,
  serverFields,
  type ServerFields,
  workloadId,
} from '../fn/index';
import type { App } from './app';
import { h } from './dom';
import { documentProblemsAt, isChosen, keyOf, outcomeOf, piecesOf, type Computed, type Workload } from './pipeline';
import { removals } from './removals';
import type { WizardState } from './state';
import { where, why } from './wording';

/** The steps that open with the summary (by id: a new step elsewhere does not move it). */
export const SUMMARY_STEPS: ReadonlySet<string> = new Set(['review', 'wire', 'verify']);

/** Where a finding is acted on: a workload in Review, a file (at a line) in Manifests, the settings. */
export type Place = { workload: Workload } | { file: number; line?: number } | { settings: true };

export interface Finding {
  severity: 'error' | 'warning';
  /** What it is about, as the page names it ("Deployment demo/hello", "manifests.yaml:6:3"). */
  about: string;
  /** The core's words: what and why, and the fix. */
  message: string;
  place: Place;
  /** A one-click fix, when the page has one. */
  fix?: { label: string; apply: (s: WizardState) => void };
}

export interface Summary {
  chosen: number;
  injected: number;
  findings: Finding[];
  errors: number;
}

/** A chosen workload that ends up with the sidecar: newly, updated, or as it already was. */
const hasSidecar = (o: Outcome | undefined): boolean =>
  !!o && (CHANGES.has(o.status) ? o.status !== 'removed' : o.reason === 'up-to-date');

/** One chosen workload's findings: the page's refusal, the core's errors and warnings, what an update removes. */
function workloadFindings(computed: Computed, refused: string | undefined, w: Workload): Finding[] {
  const about = `${w.kind} ${where(w)}`;
  const place = { workload: w };
  if (refused) return [{ severity: 'error', about, message: `not annotated: ${refused}`, place }];
  const o = outcomeOf(computed, w);
  if (!o) return [];
  const found: Finding[] = o.results
    .filter((r) => r.severity !== 'info')
    .map((r) => ({ severity: r.severity as Finding['severity'], about, message: r.message, place }));
  // Not injected and nothing said why in a result (a hook, a kind without a pod template): the reason.
  if (!hasSidecar(o) && !found.length)
    found.push({ severity: o.status === 'error' ? 'error' : 'warning', about, message: why(o) || o.status, place });
  if (o.status === 'updated') {
    const gone = removals(piecesOf(computed, w), w);
    if (gone.length) found.push({ severity: 'warning', about, message: `updated: removes ${gone.join(', ')}`, place });
  }
  return found;
}

/** Reading a large file for server-side fields is a parse: only when one of their keys is there, once per text. */
const MAY_HOLD =
  /^\s*(?:-\s+)?(?:status|resourceVersion|uid|creationTimestamp|generation|managedFields|selfLink):|last-applied-configuration/m;
const stripped = new Map<string, ServerFields>();
function serverFieldsOf(text: string): ServerFields {
  if (!MAY_HOLD.test(text)) return { found: [], stripped: text };
  let got = stripped.get(text);
  if (!got) {
    if (stripped.size > 16) stripped.clear();
    stripped.set(text, (got = serverFields(text)));
  }
  return got;
}

/**
 * The errors and warnings on a file's resources that have no workload row (a Service whose injection record
 * is broken, one left untouched by serviceTargetPort): the command line reports them and exits 1 on an error,
 * so the page says them too, at the resource's line in the file as loaded.
 */
function resourceFindings(computed: Computed, index: number): Finding[] {
  const file = computed.files[index];
  const rows = new Set(computed.workloads.filter((w) => w.source === index).map((w) => w.id));
  let place: ReturnType<typeof positions> | undefined;
  return file.outcomes
    .flatMap((o) => o.items ?? [o])
    .filter((o) => o.meta.kind && !rows.has(workloadId(o.meta)))
    .flatMap((o) => {
      // Only workloads are annotated by the page: the resource is in the file as loaded as it was processed.
      const start = file.original.indexOf(o.input);
      const lineOf = (at = o.at ?? 0) =>
        start < 0 ? {} : { line: (place ??= positions(file.original))(start + at).line };
      const { kind, name, namespace } = o.meta;
      return o.results
        .filter((r) => r.severity !== 'info')
        .map((r) => ({
          severity: r.severity as Finding['severity'],
          about: `${kind} ${where({ namespace: namespace ?? '', name })}`,
          message: r.message,
          place: { file: index, ...lineOf(r.at) },
        }));
    });
}

/** A file's findings: documents that are no resource, a Helm template, kubectl get's server-side fields. */
function fileFindings(computed: Computed, index: number): Finding[] {
  const file = computed.files[index];
  const broken = documentProblemsAt(file, why);
  const found: Finding[] = broken.map((p) => ({
    severity: 'error',
    // file:line:column, as the Manifests step and the command line say it.
    about: `${printableName(p.path)}:${p.line}:${p.column}`,
    message: p.message,
    place: { file: index, line: p.line },
  }));
  found.push(...resourceFindings(computed, index));
  // A template that parses: its values are placeholders (a template that does not is said by the core).
  if (!broken.length && isHelmTemplate(file.original))
    found.push({
      severity: 'warning',
      about: printableName(file.path),
      message:
        "holds Helm's template actions ({{ .Values ... }}) that parse as text: the output carries them as " +
        'they are. Render the chart first (helm template RELEASE CHART) and paste the result',
      place: { file: index },
    });
  const server = serverFieldsOf(file.original);
  if (server.found.length) {
    const fields = [...new Set(server.found.map((f) => f.field))];
    // A List's own resourceVersion is a field of the file, not of one more resource.
    const resources = new Set(server.found.filter((f) => !f.list).map((f) => f.resource)).size;
    found.push({
      severity: 'warning',
      about: printableName(file.path),
      message:
        `holds fields the API server writes (${fields.join(', ')}) ` +
        `${resources ? `in ${resources} resource(s)` : 'on its List'}, as ` +
        'kubectl get -o yaml gives them: applied again, they are noise or a conflict (resourceVersion)',
      place: { file: index },
      fix: {
        label: `Strip server-side fields from ${printableName(file.path)}`,
        apply: (s) => void (s.sources[index].text = server.stripped),
      },
    });
  }
  return found;
}

const made = new WeakMap<Computed, Summary>();

/** The summary of a state's results (computed once per compute: the summary and the gate share it). */
export function summarize(state: WizardState, computed: Computed): Summary {
  const known = made.get(computed);
  if (known) return known;
  const chosen = computed.workloads.filter((w) => isChosen(state, w));
  const findings = [
    ...computed.configProblems.map((p): Finding => ({
      severity: 'error',
      about: 'the settings',
      message: p.message,
      place: { settings: true },
    })),
    ...computed.files.flatMap((_, i) => fileFindings(computed, i)),
    ...chosen.flatMap((w) => workloadFindings(computed, computed.notAnnotated.get(keyOf(w)), w)),
  ];
  // Errors first, each kind in the order met.
  findings.sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
  const summary = {
    chosen: chosen.length,
    injected: chosen.filter((w) => !computed.notAnnotated.has(keyOf(w)) && hasSidecar(outcomeOf(computed, w))).length,
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
  };
  made.set(computed, summary);
  return summary;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The headline a screen reader hears when it changes. */
export function headline(s: Summary): string {
  const counts = [plural(s.errors, 'error'), plural(s.findings.length - s.errors, 'warning')].join(', ');
  return `${s.injected} of ${s.chosen} chosen workloads injected; ${counts}.`;
}

/**
 * The summary box, made once and filled on each render: its headline is a live region that stays in the
 * page, so a screen reader hears each change (a region made anew is not announced).
 */
export function summaryView(): { element: HTMLElement; render(app: App): HTMLElement } {
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'summary-headline' });
  const list = h('div', {});
  const element = h(
    'div',
    { class: 'summary', role: 'region', 'aria-labelledby': 'summary-title' },
    h('h3', { id: 'summary-title' }, 'Results'),
    status,
    list,
  );
  return {
    element,
    render(app) {
      const s = summarize(app.state, app.computed);
      element.classList.toggle('has-errors', s.errors > 0);
      if (status.textContent !== headline(s)) status.textContent = headline(s);
      list.replaceChildren(
        s.findings.length
          ? h('ul', {}, ...s.findings.map((f) => findingItem(app, f)))
          : h('p', { class: 'muted' }, 'Nothing to fix.'),
      );
      return element;
    },
  };
}

function findingItem(app: App, f: Finding): HTMLElement {
  return h(
    'li',
    { class: f.severity },
    h('strong', {}, `${f.severity === 'error' ? 'Error' : 'Warning'}: ${f.about}: `),
    f.message,
    ' ',
    h('button', { type: 'button', class: 'link', onclick: () => goTo(app, f.place) }, goLabel(f)),
    f.fix ? ' ' : null,
    f.fix ? h('button', { type: 'button', onclick: () => app.update(f.fix!.apply) }, f.fix.label) : null,
  );
}

const goLabel = (f: Finding): string =>
  'workload' in f.place ? `Review ${f.about}` : 'file' in f.place ? `Show ${f.about} in Manifests` : 'Open Configure';

/** To the place: the step, the workload or file selected, the keyboard on it. */
function goTo(app: App, place: Place): void {
  app.update((s) => {
    if ('workload' in place) Object.assign(s, { step: 'review', focus: place.workload.id });
    else if ('file' in place) Object.assign(s, { step: 'manifests', current: place.file });
    else s.step = 'configure';
  });
  const target =
    'workload' in place
      ? document.querySelector<HTMLElement>('[data-review-workload]')
      : 'file' in place
        ? document.querySelector<HTMLElement>('.editor .cm-content')
        : document.getElementById('main');
  (target ?? document.getElementById('main'))?.focus();
}
