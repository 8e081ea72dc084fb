/**
 * Configure: the package defaults as a form from the schema, the focused workload's own annotations, and
 * which layer wins for each key.
 */
import { ANNOTATION_PREFIX } from '../../fn/index';
import type { App, Step, StepView } from '../app';
import { h, uid, type Child } from '../dom';
import { effectiveLayer } from '../environment';
import { COMMON_FIELDS, FIELDS, GROUPS, helpPieces, type Field } from '../fields';
import { LAYERS, layerWinners, type Layer } from '../layers';
import { isChosen, outcomeOf, problemKey, type Workload } from '../pipeline';
import { typing } from '../typing';
import { where } from '../wording';

/** What an empty field falls back to: the Environment answers' value, else the schema's default. */
const fallback = (f: Field, below: Readonly<Record<string, string>>): string =>
  below[f.key] !== undefined ? `environment: ${below[f.key]}` : `default: ${f.default || 'unset'}`;

function fieldControl(
  f: Field,
  value: string,
  below: Readonly<Record<string, string>>,
  onInput: (v: string) => void,
  common: Record<string, string>,
): HTMLElement {
  if (f.control === 'checkbox' || f.control === 'select') {
    const options = f.control === 'checkbox' ? ['true', 'false'] : (f.options ?? []);
    return h(
      'select',
      { ...common, onchange: (e: Event) => onInput((e.target as HTMLSelectElement).value) },
      h('option', { value: '' }, `(${fallback(f, below)})`),
      ...options.map((v) => h('option', { value: v, selected: v === value }, v)),
    );
  }
  // Followed once the typing pauses (typing.ts): each keystroke would reprocess every workload.
  const typed = typing(() => onInput((control as HTMLInputElement | HTMLTextAreaElement).value));
  const shared = {
    ...common,
    placeholder: below[f.key] ?? f.default,
    oninput: typed.input,
    onblur: typed.leave,
  };
  // One item per line (KEY=VALUE): a line break must be typeable.
  const control =
    f.control === 'textarea'
      ? h('textarea', { ...shared, rows: 3 }, value)
      : h('input', { ...shared, type: 'text', inputmode: f.control === 'number' ? 'numeric' : undefined, value });
  return control;
}

/** A help text with its `code` as <code> (fields.ts): never a literal backtick. */
const helpOf = (text: string): Child[] => helpPieces(text).map((p) => (p.code ? h('code', {}, p.text) : p.text));

/** Which <details> the user opened: a re-render (a workload chosen, a value set) keeps them open. */
const opened = new Set<string>();
function panel(name: string, summary: Child, ...children: Child[]): HTMLElement {
  const details = h('details', { open: opened.has(name), 'data-panel': name }, h('summary', {}, summary), ...children);
  details.addEventListener('toggle', () =>
    (details as HTMLDetailsElement).open ? opened.add(name) : opened.delete(name),
  );
  return details;
}

function layerTable(app: App, w: Workload): HTMLElement {
  const own = app.state.annotations[w.id] ?? {};
  const fromAnnotations = (written: Record<string, string>) =>
    Object.fromEntries(
      FIELDS.filter((f) => f.annotation && written[f.annotation] !== undefined).map((f) => [
        f.key,
        written[f.annotation!],
      ]),
    );
  const onPod = app.state.annotateOn === 'pod';
  const above = {
    functionConfig: app.state.config,
    'pod template': { ...fromAnnotations(w.podAnnotations), ...(onPod ? own : {}) },
    workload: { ...fromAnnotations(w.workloadAnnotations), ...(onPod ? {} : own) },
  };
  const given = new Set(Object.values(above).flatMap((layer) => Object.keys(layer)));
  const values: Record<Layer, Record<string, string>> = {
    default: Object.fromEntries(FIELDS.filter((f) => f.default !== '').map((f) => [f.key, f.default])),
    environment: effectiveLayer(app.state.answers, app.state.registry, given),
    ...above,
  };
  const keys = FIELDS.map((f) => f.key).filter((k) => LAYERS.slice(1).some((l) => values[l][k] !== undefined));
  const rows = layerWinners(keys, values);
  if (!rows.length) return h('p', { class: 'muted' }, `${w.kind} ${where(w)}: every key at its default.`);
  return h(
    'table',
    {},
    h('caption', {}, `${w.kind} ${where(w)}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Key'),
        ...LAYERS.map((l) => h('th', { scope: 'col' }, l)),
        h('th', { scope: 'col' }, 'Wins'),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, r.key),
          ...LAYERS.map((l) => h('td', { class: l === r.layer ? 'ok' : 'muted' }, values[l][r.key] ?? '')),
          h('td', {}, `${r.layer}: ${r.value}`),
        ),
      ),
    ),
  );
}

function render(app: App): StepView {
  const { state } = app;
  const errors = new Map<string, HTMLElement>();
  const layerBox = h('div', { class: 'layers' });
  const below = effectiveLayer(state.answers, state.registry, new Set(Object.keys(state.config)));
  // Per-workload settings are for the workloads chosen: the others get no sidecar to set.
  const chosen = app.computed.workloads.filter((w) => isChosen(state, w));
  const focus = chosen.find((w) => w.id === state.focus) ?? chosen[0];
  const refresh = () => {
    const problems = new Map(app.computed.configProblems.map((p) => [problemKey(p), p.message]));
    for (const [key, el] of errors) el.textContent = problems.get(key) ?? '';
    const o = focus && outcomeOf(app.computed, focus);
    const annotationErrors = o?.results.filter((r) => r.severity === 'error') ?? [];
    workloadErr.textContent = annotationErrors.map((r) => r.message).join('; ');
    layerBox.replaceChildren(
      focus ? layerTable(app, focus) : h('p', { class: 'muted' }, 'Choose a workload to see which layer wins.'),
    );
  };
  /** One setting: its title as the label with its key small, the control, the help, the function's error. */
  const field = (
    f: Field,
    values: Record<string, string>,
    set: (key: string, v: string) => void,
    scope: 'config' | 'workload',
  ) => {
    const id = uid(f.key);
    const descId = uid('desc');
    const errId = uid('err');
    const err = h('p', { id: errId, class: 'inline-error error', role: 'alert' });
    if (scope === 'config') errors.set(f.key, err);
    const key = scope === 'config' ? f.key : (f.annotation ?? f.key).replace(ANNOTATION_PREFIX, '');
    // The package form shows the value an empty field falls back to in the field itself (an option, a placeholder).
    const help = `${f.description}${f.default && scope === 'workload' ? ` Default: ${f.default}.` : ''}`;
    return h(
      'div',
      { class: 'setting' },
      h('label', { for: id }, h('span', { class: 'title' }, f.title), ' ', h('code', { class: 'key' }, key)),
      fieldControl(f, values[f.key] ?? '', scope === 'config' ? below : {}, (v) => set(f.key, v), {
        id,
        name: key,
        'aria-describedby': `${descId} ${errId}`,
      }),
      h('p', { id: descId, class: 'description' }, ...helpOf(help)),
      err,
    );
  };
  const setConfig = (key: string, v: string) => {
    app.update((s) => void (v === '' ? delete s.config[key] : (s.config[key] = v)), { render: false });
    refresh();
  };
  const byGroup = (keep: (f: Field) => boolean) =>
    GROUPS.map((name) => [name, FIELDS.filter((f) => f.group === name && keep(f))] as const).filter(
      ([, fs]) => fs.length,
    );
  const group = (name: string, fields: readonly Field[], render: (f: Field) => HTMLElement) =>
    h('fieldset', {}, h('legend', {}, name), h('div', { class: 'settings' }, ...fields.map(render)));
  const workloadErr = h('p', { class: 'error', role: 'alert' });
  const focusId = uid('focus');
  const setOwn = (key: string, v: string) => {
    app.update(
      (s) => {
        const own = (s.annotations[focus.id] ??= {});
        if (v === '') delete own[key];
        else own[key] = v;
      },
      { render: false },
    );
    refresh();
  };
  const perWorkload = panel(
    'workload',
    focus
      ? `Per-workload annotations (${focus.kind} ${where(focus)}): they win over the package defaults`
      : 'Per-workload annotations',
    ...(focus
      ? [
          h(
            'div',
            { class: 'row' },
            h('label', { for: focusId }, 'Workload'),
            h(
              'select',
              {
                id: focusId,
                onchange: (e: Event) => app.update((s) => void (s.focus = (e.target as HTMLSelectElement).value)),
              },
              ...chosen.map((w) => h('option', { value: w.id, selected: w.id === focus.id }, `${w.kind} ${where(w)}`)),
            ),
          ),
          workloadErr,
          ...byGroup((f) => f.annotation !== undefined).map(([name, fs]) =>
            group(name, fs, (f) => field(f, state.annotations[focus.id] ?? {}, setOwn, 'workload')),
          ),
        ]
      : [h('p', { class: 'muted' }, 'No workload is chosen: tick one in Choose to give it its own settings.')]),
  );
  const rest = FIELDS.filter((f) => !f.common).length;
  const content = [
    h(
      'p',
      {},
      'Package defaults (the functionConfig): an empty field keeps the value in brackets, from your Environment ' +
        "answers or the default. A bad value is shown with the function's own message and left out until fixed.",
    ),
    h(
      'fieldset',
      { class: 'short-form' },
      h('legend', {}, 'The settings most users change'),
      h('div', { class: 'settings' }, ...COMMON_FIELDS.map((f) => field(f, state.config, setConfig, 'config'))),
    ),
    panel(
      'all',
      `All settings (${rest} more, by group)`,
      ...byGroup((f) => !f.common).map(([name, fs]) =>
        group(name, fs, (f) => field(f, state.config, setConfig, 'config')),
      ),
    ),
    perWorkload,
    h('h3', {}, 'Which layer wins'),
    layerBox,
  ];
  refresh();
  return { content, refresh };
}

export const configure: Step = { id: 'configure', title: 'Configure', render };
