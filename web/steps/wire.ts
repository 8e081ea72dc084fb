/**
 * Wire it in: the files the user's tool needs, the annotated and injected manifests to take away, and,
 * when served by `wizard DIR`, writing the injected files back.
 */
import { printableName } from '../../fn/index';
import type { App, Step, StepView } from '../app';
import { download, h, uid } from '../dom';
import { addFileControl } from '../add-file';
import { downloadName, fileBlock, type DownloadKind } from '../file-block';
import { gate, withErrors } from '../gate';
import { isChosen } from '../pipeline';
import { conflictView } from '../conflict';
import { registryInput } from '../registry-input';
import { writeFiles } from '../server';
import { TOOLS, type Tool } from '../state';
import { summarize } from '../summary';
import { asksRegistry, needsRegistry, RELEASED, wiringFor } from '../wiring';

const TOOL_NAMES: Record<Tool, string> = {
  kpt: 'kpt',
  kustomize: 'kustomize',
  helm: 'Helm',
  kubectl: 'kubectl and plain files',
  argocd: 'Argo CD',
  flux: 'Flux',
};

async function writeBack(app: App, status: HTMLElement, details: HTMLElement): Promise<void> {
  details.replaceChildren();
  const changed = app.computed.files.filter((f) => f.output !== f.original);
  // A file the server shows but never writes (outside DIR, read through --follow-symlinks) is downloaded.
  const shownOnly = changed.filter((f) => !app.server!.writable.has(f.path)).map((f) => printableName(f.path));
  const files = changed.filter((f) => app.server!.writable.has(f.path)).map((f) => ({ path: f.path, text: f.output }));
  const unwritten = shownOnly.length ? ` Not written here (download it): ${shownOnly.join(', ')}.` : '';
  if (!files.length) return void (status.textContent = `Nothing to write: no file changes.${unwritten}`);
  status.textContent = 'Writing...';
  const answer = await writeFiles(app.server!, files, app.state, app.computed.spec);
  const said = answer.ok
    ? `Wrote ${answer.written?.map(printableName).join(', ')}.${unwritten}`
    : `Not written: ${printableName(answer.error ?? '')}`;
  if (answer.ok) {
    // What was written is what the files hold now: the page goes on from it (unticking then takes the
    // sidecar out again), as a reload would. The status is the new page's.
    const written = new Map(files.map((f) => [f.path, f.text]));
    app.update((s) => {
      for (const source of s.sources) source.text = written.get(source.path) ?? source.text;
    });
    const shown = document.getElementById('write-status');
    if (shown) shown.textContent = said;
    return;
  }
  status.textContent = said;
  if (answer.conflicts?.length) details.replaceChildren(conflictView(app, answer.conflicts, status));
}

/** A manifests download, its button naming the file it saves and what that holds. */
function downloadButton(path: string, text: string, kind: DownloadKind, what: string): HTMLElement {
  const name = downloadName(path, kind);
  return h(
    'button',
    { type: 'button', onclick: () => download(name, text), 'data-download': name },
    `Download ${printableName(name)} (${what})`,
  );
}

/**
 * The files the function leaves as they were loaded (injected already, or nothing chosen) have no injected
 * download: said, or "take the injected output" would point at a button that is not there.
 */
function unchangedNote(paths: string[]): HTMLElement | null {
  if (!paths.length) return null;
  const one = paths.length === 1;
  return h(
    'p',
    { 'data-unchanged': '' },
    `Unchanged: the function writes ${paths.map(printableName).join(', ')} exactly as ${one ? 'it was' : 'they were'} ` +
      `loaded, so ${one ? 'it has' : 'they have'} no injected download.`,
  );
}

function render(app: App): StepView {
  const { state, computed } = app;
  const { tool, detected, files } = wiringFor(state, computed.spec);
  const toolId = uid('tool');
  const changed = computed.files.filter((f) => f.output !== f.original);
  const writeStatus = h('span', { role: 'status', id: 'write-status' });
  const writeDetails = h('div', { id: 'write-details' });
  // Output that still has errors goes out only when taken anyway, and named so (gate.ts).
  const summary = summarize(state, computed);
  const injectedKind = withErrors(summary) ? 'injected-with-errors' : 'injected';
  const injectedDownloads = changed.map((f) => downloadButton(f.path, f.output, injectedKind, 'with the sidecar'));
  const write = app.server
    ? h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'write',
          onclick: () => void writeBack(app, writeStatus, writeDetails),
        },
        `Write the injected files into ${printableName(app.server.dir)}`,
      )
    : null;
  const taken = gate(summary, write ? [...injectedDownloads, write] : injectedDownloads);
  return {
    content: [
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
      asksRegistry(tool)
        ? registryInput(app, {
            why:
              RELEASED && tool !== 'argocd'
                ? 'optional: a mirror of the published image'
                : 'the registry and path you push images to, such as your ghcr.io account: ' +
                  'no release of sidecar-injector is published to pull',
          })
        : null,
      needsRegistry(tool) && !state.registry
        ? h('p', { role: 'status' }, 'Name your registry above: the files for this tool name the image you push there.')
        : null,
      computed.configProblems.length
        ? h(
            'p',
            { class: 'error', role: 'alert' },
            `Fix the config first: ${computed.configProblems.map((p) => p.message).join('; ')}`,
          )
        : null,
      ...files.flatMap((f) => [fileBlock(f.path, f.text, f.note), addFileControl(app, f.path, f.text)]),
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
        ...computed.files.map((f) => downloadButton(f.path, f.source, 'annotated', 'annotated, to commit')),
        ...injectedDownloads,
      ),
      unchangedNote(computed.files.filter((f) => f.original.trim() && f.output === f.original).map((f) => f.path)),
      taken,
      write ? h('div', { class: 'row' }, write, writeStatus) : null,
      app.server ? writeDetails : null,
      ...computed.files.map((f) =>
        h(
          'details',
          {},
          h('summary', {}, `${printableName(f.path)} as the function writes it`),
          h('pre', { tabindex: 0, 'data-output': f.path }, h('code', {}, f.output)),
        ),
      ),
    ],
  };
}

export const wire: Step = { id: 'wire', title: 'Wire it in', render };
