/**
 * Manifests: the editor, files, a folder or an example in; the workloads found, and the documents that
 * are not resources at all.
 */
import { printableName } from '../../fn/index';
import type { App, Step, StepView } from '../app';
import { h, uid } from '../dom';
import { manifestEditor, markProblems, PROBLEMS_ID } from '../editor';
import { EXAMPLES } from '../examples';
import { fileText } from '../file-text';
import { documentProblems, documentProblemsAt } from '../pipeline';
import { notServed } from '../server';
import { PASTED, type Source } from '../state';
import { collapseTables, longTable } from '../table';
import { where, why } from '../wording';

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

/** The files last dropped or chosen that were not loaded, each with why (file-text.ts). */
let notRead: string[] = [];

/**
 * The documents that are not resources at all (a YAML error at its line in the file), and, served by
 * `wizard DIR`, its files the server did not serve: `inject DIR` reports both, so the page says them too.
 */
const problems = (app: App): string[] => [
  ...notRead,
  ...notServed(app.server),
  ...app.computed.files.flatMap((f) => documentProblems(f, why)),
];

function problemsList(errors: string[]): HTMLElement {
  return h(
    'div',
    { role: 'status', id: PROBLEMS_ID },
    errors.length ? h('ul', { class: 'error' }, ...errors.map((e) => h('li', {}, e))) : null,
  );
}

/**
 * A file input under our own words: the browser's button says "Choose File" even for a folder. The input
 * stays in the page (transparent, a pixel wide), so Tab reaches it and Enter or Space opens the picker.
 */
const picker = (input: HTMLElement, text: string): HTMLElement =>
  h('span', { class: 'picker' }, input, h('label', { for: input.id }, text));

function render(app: App): StepView {
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
    // The file shown: its broken documents' lines marked, cleared once they read.
    const file = app.computed.files[app.state.current];
    markProblems(editor, file ? documentProblemsAt(file, why).map(({ line, message }) => ({ line, message })) : []);
    found.replaceChildren(problemsList(errors), workloadTable(app));
  };
  const load = (sources: Source[], refused: string[] = []) => {
    notRead = refused;
    app.update((s) => {
      collapseTables();
      s.sources = sources.length ? sources : [{ path: PASTED, text: '' }];
      s.current = 0;
      s.choices = {};
      s.annotations = {};
      s.tool = undefined;
    });
  };
  const editorBox = h('div', { class: 'editor' });
  const current = app.state.sources[app.state.current];
  // In the editor Tab indents, so the way out is said next to it, and read with it (aria-describedby).
  const hintId = uid('editor-hint');
  const hint = h('p', { class: 'muted', id: hintId }, 'Tab indents; press Escape then Tab to leave the editor.');
  const editor = manifestEditor(
    editorBox,
    current.text,
    `Manifests: ${printableName(current.path)}`,
    (text) => {
      app.update((s) => void (s.sources[s.current].text = text), { render: false });
      refresh();
    },
    hintId,
  );
  const readFiles = async (files: File[]) => {
    const read = await Promise.all(
      files
        .filter((f) => /\.(ya?ml|json)$|(^|\/)Kptfile$/.test(f.webkitRelativePath || f.name))
        .map(async (f) => fileText(f.webkitRelativePath || f.name, new Uint8Array(await f.arrayBuffer()))),
    );
    load(
      read.filter((r): r is Source => !('notRead' in r)),
      read.flatMap((r) => ('notRead' in r ? [r.notRead] : [])),
    );
  };
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
              h('option', { value: i, selected: i === app.state.current }, printableName(src.path)),
            ),
          ),
        )
      : null;
  refresh();
  return {
    content: [
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
        picker(fileInput, 'Choose files'),
        picker(folderInput, 'Choose a folder'),
      ),
      fileSelect,
      hint,
      editorBox,
      found,
    ],
    refresh,
  };
}

export const manifests: Step = { id: 'manifests', title: 'Manifests', render };
