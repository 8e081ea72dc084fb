/**
 * Configure: the package defaults as a form from the schema, the focused workload's own annotations, and
 * which layer wins for each key.
 */
import { ANNOTATION_PREFIX } from '../../fn/index';
import type { App, Step, StepView } from '../app';
import { h, uid } from '../dom';
import { FIELDS, GROUPS, type Field } from '../fields';
import { LAYERS, layerWinners, type Layer } from '../layers';
import { isChosen, outcomeOf, problemKey, type Workload } from '../pipeline';
import { typing } from '../typing';
import { where } from '../wording';

function fieldControl(
  f: Field,
  value: string,
  label: string,
  onInput: (v: string) => void,
  describedBy: string,
): HTMLElement {
  const id = uid(f.key);
  const common = { id, 'aria-describedby': describedBy, name: f.key };
  let control: HTMLElement;
  if (f.control === 'checkbox') {
    control = h(
      'select',
      { ...common, onchange: (e: Event) => onInput((e.target as HTMLSelectElement).value) },
      ...['', 'true', 'false'].map((v) =>
        h('option', { value: v, selected: v === value }, v || `(default: ${f.default || 'unset'})`),
      ),
    );
  } else if (f.control === 'select') {
    control = h(
      'select',
      { ...common, onchange: (e: Event) => onInput((e.target as HTMLSelectElement).value) },
      h('option', { value: '' }, `(default: ${f.default || 'unset'})`),
      ...(f.options ?? []).map((v) => h('option', { value: v, selected: v === value }, v)),
    );
  } else {
    // Followed once the typing pauses (typing.ts): each keystroke would reprocess every workload.
    const typed = typing(() => onInput((control as HTMLInputElement).value));
    control = h('input', {
      ...common,
      type: 'text',
      inputmode: f.control === 'number' ? 'numeric' : undefined,
      value,
      placeholder: f.default,
      oninput: typed.input,
      onblur: typed.leave,
    });
  }
  return h('span', {}, h('label', { for: id }, label), control);
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
  const values: Record<Layer, Record<string, string>> = {
    default: Object.fromEntries(FIELDS.filter((f) => f.default !== '').map((f) => [f.key, f.default])),
    functionConfig: app.state.config,
    'pod template': { ...fromAnnotations(w.podAnnotations), ...(onPod ? own : {}) },
    workload: { ...fromAnnotations(w.workloadAnnotations), ...(onPod ? {} : own) },
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
  const layerBox = h('div', {});
  const focus =
    app.computed.workloads.find((w) => w.id === state.focus) ??
    app.computed.workloads.find((w) => isChosen(state, w)) ??
    app.computed.workloads[0];
  const refresh = () => {
    const problems = new Map(app.computed.configProblems.map((p) => [problemKey(p), p.message]));
    for (const [key, el] of errors) el.textContent = problems.get(key) ?? '';
    const o = focus && outcomeOf(app.computed, focus);
    const annotationErrors = o?.results.filter((r) => r.severity === 'error') ?? [];
    errors.get('@workload')!.textContent = annotationErrors.map((r) => r.message).join('; ');
    layerBox.replaceChildren(focus ? layerTable(app, focus) : h('p', {}, ''));
  };
  const group = (
    name: string,
    fields: readonly Field[],
    values: Record<string, string>,
    set: (key: string, v: string) => void,
    scope: string,
  ) =>
    h(
      'fieldset',
      {},
      h('legend', {}, name),
      ...fields.map((f) => {
        const descId = uid('desc');
        const errId = uid('err');
        const err = h('p', { id: errId, class: 'inline-error error', role: 'alert' });
        if (scope === 'config') errors.set(f.key, err);
        const label = scope === 'config' ? f.key : (f.annotation ?? f.key).replace(ANNOTATION_PREFIX, '');
        return h(
          'div',
          { class: 'field' },
          fieldControl(f, values[f.key] ?? '', label, (v) => set(f.key, v), `${descId} ${errId}`),
          h(
            'span',
            { id: descId, class: 'description' },
            `${f.description}${f.default ? ` Default: ${f.default}.` : ''}`,
          ),
          err,
        );
      }),
    );
  const setConfig = (key: string, v: string) => {
    app.update((s) => void (v === '' ? delete s.config[key] : (s.config[key] = v)), { render: false });
    refresh();
  };
  const byGroup = (keep: (f: Field) => boolean) =>
    GROUPS.map((name) => [name, FIELDS.filter((f) => f.group === name && keep(f))] as const).filter(
      ([, fs]) => fs.length,
    );
  const workloadErr = h('p', { class: 'error', role: 'alert' });
  errors.set('@workload', workloadErr);
  const focusId = uid('focus');
  const perWorkload = focus
    ? h(
        'details',
        {},
        h(
          'summary',
          {},
          `Per-workload annotations (${focus.kind} ${where(focus)}): they win over the package defaults`,
        ),
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
            ...app.computed.workloads.map((w) =>
              h('option', { value: w.id, selected: w.id === focus.id }, `${w.kind} ${where(w)}`),
            ),
          ),
        ),
        workloadErr,
        ...byGroup((f) => f.annotation !== undefined).map(([name, fs]) =>
          group(
            name,
            fs,
            state.annotations[focus.id] ?? {},
            (key, v) => {
              app.update(
                (s) => {
                  const own = (s.annotations[focus.id] ??= {});
                  if (v === '') delete own[key];
                  else own[key] = v;
                },
                { render: false },
              );
              refresh();
            },
            'workload',
          ),
        ),
      )
    : null;
  const content = [
    h(
      'p',
      {},
      'Package defaults (the functionConfig): empty fields keep the default. A bad value is shown with the ' +
        "function's own message and left out until fixed.",
    ),
    ...byGroup(() => true).map(([name, fs]) => group(name, fs, state.config, setConfig, 'config')),
    perWorkload,
    h('h3', {}, 'Which layer wins'),
    layerBox,
  ];
  refresh();
  return { content, refresh };
}

export const configure: Step = { id: 'configure', title: 'Configure', render };
