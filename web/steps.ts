/**
 * The six steps, one renderer each. A renderer builds its section from the state and what the core
 * computed; `refresh` updates only what depends on the output, so typing keeps focus and caret.
 */
import { entriesOf } from '../fn/cli/reports/entries';
import { PROPERTIES } from '../fn/config/schema';
import { ANNOTATION_PREFIX, INJECT_ANNOTATION } from '../fn/vocabulary';
import { copy, download, h, uid } from './dom';
import { diffView, manifestEditor } from './editor';
import { EXAMPLES } from './examples';
import { FIELDS, GROUPS, type Field } from './fields';
import { LAYERS, layerWinners, type Layer } from './layers';
import {
  documentProblems,
  isChosen,
  keyOf,
  outcomeOf,
  piecesOf,
  problemKey,
  type Computed,
  type Workload,
} from './pipeline';
import { isJsonFile } from '../fn/package/json-file';
import { reviewOf } from './review';
import { collapseTables, longTable } from './table';
import { PASTED, TOOLS, type Source, type Tool, type WizardState } from './state';
import { detectTool, verifyCommands, WIRING } from './wiring';

export interface App {
  state: WizardState;
  computed: Computed;
  /** Changes the state; `render: false` keeps the section (the caller refreshes what it shows). */
  update(change: (s: WizardState) => void, options?: { render?: boolean }): void;
  /** Set when the page is served by `sidecar-injector wizard DIR`. */
  server?: { token: string; dir: string };
}

export interface StepView {
  el: HTMLElement;
  refresh?: () => void;
}

const why = (o: Parameters<typeof entriesOf>[0]) => entriesOf(o)[0]?.why ?? '';
const where = (w: Workload) => `${w.namespace || 'default'}/${w.name}`;

function workloadTable(app: App): HTMLElement {
  const { workloads } = app.computed;
  if (!workloads.length) return h('p', { class: 'muted' }, 'No workload found yet.');
  return longTable(
    'manifests',
    `${workloads.length} workload(s) found`,
    ['Kind', 'Namespace/name', 'Containers', 'Init containers', 'Injected'],
    workloads,
    (w) =>
      h(
        'tr',
        {},
        h('td', {}, w.kind),
        h('td', {}, where(w)),
        h('td', {}, w.containers.join(', ')),
        h('td', {}, w.initContainers.join(', ') || '-'),
        h('td', {}, w.injected ? 'yes' : 'no'),
      ),
  );
}

/** The documents that are not resources at all: a YAML error at its line in the file, or not a map. */
const problems = (app: App): string[] => app.computed.files.flatMap((f) => documentProblems(f, why));

function problemsList(errors: string[]): HTMLElement {
  return h(
    'div',
    { role: 'status' },
    errors.length ? h('ul', { class: 'error' }, ...errors.map((e) => h('li', {}, e))) : null,
  );
}

function manifests(app: App): StepView {
  const found = h('div', {});
  // A keystroke seldom changes what the list shows: then the list stays as it is (no thousand rows rebuilt).
  let shown = '';
  const refresh = () => {
    const errors = problems(app);
    const now = JSON.stringify([
      errors,
      app.computed.workloads.map((w) => [w.id, w.containers, w.initContainers, w.injected]),
    ]);
    if (now === shown) return;
    shown = now;
    found.replaceChildren(problemsList(errors), workloadTable(app));
  };
  const load = (sources: Source[]) =>
    app.update((s) => {
      collapseTables();
      s.sources = sources.length ? sources : [{ path: PASTED, text: '' }];
      s.current = 0;
      s.choices = {};
      s.annotations = {};
      s.tool = undefined;
    });
  const editorBox = h('div', { class: 'editor' });
  const current = app.state.sources[app.state.current];
  manifestEditor(editorBox, current.text, `Manifests: ${current.path}`, (text) => {
    app.update((s) => void (s.sources[s.current].text = text), { render: false });
    refresh();
  });
  const readFiles = async (files: File[]) =>
    load(
      await Promise.all(
        files
          .filter((f) => /\.(ya?ml|json)$|(^|\/)Kptfile$/.test(f.webkitRelativePath || f.name))
          .map(async (f) => ({ path: f.webkitRelativePath || f.name, text: await f.text() })),
      ),
    );
  editorBox.addEventListener('dragover', (e) => (e.preventDefault(), editorBox.classList.add('drop')));
  editorBox.addEventListener('dragleave', () => editorBox.classList.remove('drop'));
  editorBox.addEventListener('drop', (e) => {
    e.preventDefault();
    editorBox.classList.remove('drop');
    void readFiles([...(e.dataTransfer?.files ?? [])]);
  });
  const filesId = uid('files');
  const folderId = uid('folder');
  const exampleId = uid('example');
  const fileSelectId = uid('file');
  const example = h('select', { id: exampleId }, ...Object.keys(EXAMPLES).map((name) => h('option', {}, name)));
  const fileInput = h('input', {
    type: 'file',
    id: filesId,
    multiple: true,
    accept: '.yaml,.yml,.json',
  }) as HTMLInputElement;
  const folderInput = h('input', { type: 'file', id: folderId, webkitdirectory: true }) as HTMLInputElement;
  fileInput.addEventListener('change', () => void readFiles([...(fileInput.files ?? [])]));
  folderInput.addEventListener('change', () => void readFiles([...(folderInput.files ?? [])]));
  const fileSelect =
    app.state.sources.length > 1
      ? h(
          'span',
          {},
          h('label', { for: fileSelectId }, 'File '),
          h(
            'select',
            {
              id: fileSelectId,
              onchange: (e: Event) =>
                app.update((s) => void (s.current = Number((e.target as HTMLSelectElement).value))),
            },
            ...app.state.sources.map((src, i) =>
              h('option', { value: i, selected: i === app.state.current }, src.path),
            ),
          ),
        )
      : null;
  refresh();
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'step-title' },
      h('h2', { id: 'step-title' }, '1. Manifests'),
      h(
        'p',
        {},
        'Paste your manifests (YAML, a List or JSON), drop files or a folder on the editor, or load an example.',
      ),
      h(
        'div',
        { class: 'row' },
        h('label', { for: exampleId }, 'Example'),
        example,
        h(
          'button',
          {
            type: 'button',
            onclick: () => load(EXAMPLES[(example as HTMLSelectElement).value].map((s) => ({ ...s }))),
          },
          'Load example',
        ),
        h('label', { for: filesId }, 'Files'),
        fileInput,
        h('label', { for: folderId }, 'Folder'),
        folderInput,
      ),
      fileSelect,
      editorBox,
      found,
    ),
    refresh,
  };
}

function choose(app: App): StepView {
  const { state, computed } = app;
  const row = (w: Workload) => {
    const id = uid('choose');
    const box = h('input', {
      type: 'checkbox',
      id,
      checked: isChosen(state, w),
      onchange: (e: Event) => app.update((s) => void (s.choices[w.id] = (e.target as HTMLInputElement).checked)),
    });
    const o = outcomeOf(computed, w);
    const refused = computed.notAnnotated.get(keyOf(w));
    return h(
      'tr',
      {},
      h('td', {}, box),
      h('td', {}, h('label', { for: id }, `${w.kind} ${where(w)}`)),
      h('td', {}, w.injected ? 'injected' : ''),
      refused
        ? h('td', { class: 'error' }, `not annotated: ${refused}`)
        : h('td', {}, o ? `${o.status}${why(o) ? `: ${why(o)}` : ''}` : ''),
    );
  };
  const radio = (value: WizardState['annotateOn'], text: string) => {
    const id = uid('on');
    return h(
      'span',
      {},
      h('input', {
        type: 'radio',
        name: 'annotate-on',
        id,
        value,
        checked: state.annotateOn === value,
        onchange: () => app.update((s) => void (s.annotateOn = value)),
      }),
      h('label', { for: id }, ` ${text} `),
    );
  };
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'step-title' },
      h('h2', { id: 'step-title' }, '2. Choose'),
      h(
        'p',
        {},
        `Tick the workloads to capture: each gets ${INJECT_ANNOTATION}: "true". Untick an injected one to remove its sidecar.`,
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Put the annotation on'),
        radio('workload', 'the workload'),
        radio('pod', 'the pod template'),
      ),
      computed.workloads.length
        ? longTable(
            'choose',
            `${computed.workloads.length} workload(s)`,
            ['Capture', 'Workload', 'Now', 'Outcome'],
            computed.workloads,
            row,
          )
        : h('p', { class: 'muted' }, 'No workload found: go back to Manifests.'),
    ),
  };
}

const TYPING_PAUSE_MS = 250;
/** The setting fields typed in and not yet followed. */
const typing = new Set<() => void>();

/** Follows whatever was typed and not yet followed: before the state is read for anything else. */
export function flushTyping(): void {
  for (const follow of [...typing]) follow();
}

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
    // A setting changes every workload's outcome: with a large package, each keystroke would reprocess them
    // all. So the page follows once the typing pauses, when the field is left, or before anything else
    // happens to the state (flushTyping: a step, a re-render, the page hidden).
    let pending: ReturnType<typeof setTimeout> | undefined;
    const follow = () => {
      clearTimeout(pending);
      pending = undefined;
      typing.delete(follow);
      onInput((control as HTMLInputElement).value);
    };
    control = h('input', {
      ...common,
      type: 'text',
      inputmode: f.control === 'number' ? 'numeric' : undefined,
      value,
      placeholder: f.default,
      oninput: () => {
        clearTimeout(pending);
        pending = setTimeout(follow, TYPING_PAUSE_MS);
        typing.add(follow);
      },
      onblur: () => pending !== undefined && follow(),
    });
  }
  return h('span', {}, h('label', { for: id }, label), control);
}

function configure(app: App): StepView {
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
    Object.keys(GROUPS)
      .map((name) => [name, FIELDS.filter((f) => f.group === name && keep(f))] as const)
      .filter(([, fs]) => fs.length);
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
  const el = h(
    'section',
    { 'aria-labelledby': 'step-title' },
    h('h2', { id: 'step-title' }, '3. Configure'),
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
  );
  refresh();
  return { el, refresh };
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

function review(app: App): StepView {
  const { computed, state } = app;
  const shown = computed.workloads.filter((w) => isChosen(state, w) || w.injected);
  const focus = shown.find((w) => w.id === state.focus) ?? shown[0];
  const selectId = uid('review');
  const body = h('div', {});
  if (focus) {
    const file = computed.files[focus.source];
    const r = reviewOf(piecesOf(computed, focus), focus, outcomeOf(computed, focus), why);
    const merge = h('div', { class: 'merge' });
    body.append(
      h(
        'p',
        {},
        h(
          'span',
          { class: 'count', 'data-testid': 'ready' },
          `${r.ready.before}/${r.ready.before} -> ${r.ready.after}/${r.ready.after}`,
        ),
        ` containers ready (${r.status}${r.why ? `: ${r.why}` : ''})`,
      ),
      h('p', {}, `Init containers, in order: ${r.initOrder.after.join(' -> ') || 'none'}`),
      r.results.length
        ? h(
            'ul',
            {},
            ...r.results.map((x) =>
              h(
                'li',
                { class: x.severity === 'error' ? 'error' : x.severity === 'warning' ? 'warning' : '' },
                `${x.severity}: ${x.message}${x.field ? ` (${x.field.path})` : ''}`,
              ),
            ),
          )
        : '',
      h(
        'h3',
        {},
        `${file.path}: as loaded (left) and as the function writes it (right)` +
          (focus.item !== undefined && isJsonFile(file.original)
            ? ', the item as the YAML the function edits it as'
            : ''),
      ),
      merge,
    );
    diffView(merge, r.before, r.after, [`${focus.name} as loaded`, `${focus.name} injected`]);
  }
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'step-title' },
      h('h2', { id: 'step-title' }, '4. Review'),
      shown.length
        ? h(
            'div',
            { class: 'row' },
            h('label', { for: selectId }, 'Workload'),
            h(
              'select',
              {
                id: selectId,
                onchange: (e: Event) => app.update((s) => void (s.focus = (e.target as HTMLSelectElement).value)),
              },
              ...shown.map((w) => h('option', { value: w.id, selected: w.id === focus?.id }, `${w.kind} ${where(w)}`)),
            ),
          )
        : h('p', { class: 'muted' }, 'Nothing chosen: tick a workload in Choose.'),
      body,
    ),
  };
}

function fileBlock(path: string, text: string, note: string): HTMLElement {
  const status = h('span', { role: 'status' });
  return h(
    'div',
    { class: 'file' },
    h('h3', {}, path),
    h('p', { class: 'muted' }, note),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => void copy(text, status), 'aria-label': `Copy ${path}` }, 'Copy'),
      h(
        'button',
        { type: 'button', onclick: () => download(path, text), 'aria-label': `Download ${path}` },
        'Download',
      ),
      status,
    ),
    h('pre', { tabindex: 0, 'aria-label': path, 'data-path': path }, h('code', {}, text)),
  );
}

const TOOL_NAMES: Record<Tool, string> = {
  kpt: 'kpt',
  kustomize: 'kustomize',
  helm: 'Helm',
  kubectl: 'kubectl and plain files',
  argocd: 'Argo CD',
  flux: 'Flux',
};

function wire(app: App): StepView {
  const { state, computed } = app;
  const paths = state.sources.map((s) => s.path);
  const detected = detectTool(paths);
  const tool = state.tool ?? detected;
  const kustomization = state.sources.find((s) => /(^|\/)kustomization\.ya?ml$/.test(s.path))?.text;
  const files = WIRING[tool]({ spec: computed.spec, paths, ...(kustomization !== undefined && { kustomization }) });
  const toolId = uid('tool');
  const changed = computed.files.filter((f) => f.output !== f.original);
  const writeStatus = h('span', { role: 'status', id: 'write-status' });
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'step-title' },
      h('h2', { id: 'step-title' }, '5. Wire it in'),
      h(
        'div',
        { class: 'row' },
        h('label', { for: toolId }, 'Your tool'),
        h(
          'select',
          {
            id: toolId,
            onchange: (e: Event) => app.update((s) => void (s.tool = (e.target as HTMLSelectElement).value as Tool)),
          },
          ...TOOLS.map((t) =>
            h(
              'option',
              { value: t, selected: t === tool },
              `${TOOL_NAMES[t]}${t === detected ? ' (what the manifests show)' : ''}`,
            ),
          ),
        ),
      ),
      computed.configProblems.length
        ? h(
            'p',
            { class: 'error', role: 'alert' },
            `Fix the config first: ${computed.configProblems.map((p) => p.message).join('; ')}`,
          )
        : null,
      ...files.map((f) => fileBlock(f.path, f.text, f.note)),
      h('h3', {}, 'The manifests'),
      h(
        'p',
        {},
        `Commit your manifests with the annotations (${computed.workloads.filter((w) => isChosen(state, w)).length} ` +
          'workload(s) chosen); the pipeline writes the sidecar. Or take the injected output as it is.',
      ),
      h(
        'div',
        { class: 'row' },
        ...computed.files.map((f) =>
          h(
            'button',
            { type: 'button', onclick: () => download(f.path, f.source), 'data-download': f.path },
            `Download ${f.path} (annotated)`,
          ),
        ),
        ...changed.map((f) =>
          h('button', { type: 'button', onclick: () => download(f.path, f.output) }, `Download ${f.path} (injected)`),
        ),
      ),
      app.server
        ? h(
            'div',
            { class: 'row' },
            h(
              'button',
              { type: 'button', class: 'primary', id: 'write', onclick: () => void writeBack(app, writeStatus) },
              `Write the injected files into ${app.server.dir}`,
            ),
            writeStatus,
          )
        : null,
      ...computed.files.map((f) =>
        h(
          'details',
          {},
          h('summary', {}, `${f.path} as the function writes it`),
          h('pre', { tabindex: 0, 'data-output': f.path }, h('code', {}, f.output)),
        ),
      ),
    ),
  };
}

async function writeBack(app: App, status: HTMLElement): Promise<void> {
  const files = app.computed.files
    .filter((f) => f.output !== f.original)
    .map((f) => ({ path: f.path, text: f.output }));
  if (!files.length) return void (status.textContent = 'Nothing to write: no file changes.');
  status.textContent = 'Writing...';
  const response = await fetch(`/write?token=${encodeURIComponent(app.server!.token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files }),
  });
  const answer = (await response.json()) as { written?: string[]; error?: string };
  status.textContent = response.ok ? `Wrote ${answer.written?.join(', ')}.` : `Not written: ${answer.error}`;
}

function verify(app: App): StepView {
  const chosen = app.computed.workloads.filter((w) => isChosen(app.state, w));
  const namespaces = [...new Set(chosen.map((w) => w.namespace || 'default'))];
  const commands = verifyCommands({ namespaces, workloads: chosen });
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'step-title' },
      h('h2', { id: 'step-title' }, '6. Verify'),
      h(
        'p',
        {},
        'After deploying: the injected pods show 2/2 ready, the proxy logs the traffic it captures, and CI ' +
          'keeps the manifests from drifting.',
      ),
      fileBlock('verify.sh', `${commands.join('\n')}\n`, 'run these against your cluster'),
      h(
        'p',
        { class: 'muted' },
        `Settings that were not given stay at the schema's defaults (${Object.keys(PROPERTIES).length} keys; docs/reference.md).`,
      ),
    ),
  };
}

export const STEP_VIEWS: readonly ((app: App) => StepView)[] = [manifests, choose, configure, review, wire, verify];
