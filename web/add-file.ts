/**
 * Served by `wizard DIR`: a file Wire it in offers, added to DIR once the user confirms it. A file DIR has
 * already (as the page was served it) is added only when it is the same; otherwise the user merges it by
 * hand. The server checks the name against the same list and writes new files only (fn/cli/wizard-create.ts).
 */
import { printableName } from '../fn/index';
import type { App } from './app';
import { h } from './dom';
import { createFiles } from './server';

export function addFileControl(app: App, path: string, text: string): HTMLElement | null {
  const server = app.server;
  if (!server) return null;
  const status = h('span', { role: 'status', 'data-add-status': path });
  const row = h('div', { class: 'row add-file' });
  const has = server.served.get(path);
  // Shown on one line as every other name on the page (a line feed in DIR's name is `\n`, web/steps/wire.ts).
  const [dir, name] = [printableName(server.dir), printableName(path)];
  if (has !== undefined && has !== text) {
    row.append(
      h(
        'span',
        { class: 'muted' },
        `${dir} has its own ${name}: change it as shown above; the wizard adds only new files.`,
      ),
    );
    return row;
  }
  const add = h(
    'button',
    { type: 'button', 'aria-label': `Add ${name} to ${dir}`, onclick: () => ask() },
    `Add to ${dir}`,
  );
  // The confirmation is part of the page (no browser dialog): what is written where, said before it is.
  function ask(): void {
    const yes = h('button', { type: 'button', class: 'primary', onclick: () => void confirm() }, `Write ${name}`);
    const no = h(
      'button',
      { type: 'button', onclick: () => (row.replaceChildren(add, status), add.focus()) },
      'Cancel',
    );
    status.textContent = '';
    row.replaceChildren(
      h('span', { id: `${path}-confirm` }, `Write ${name} into ${dir}? A new file: an existing one is never replaced.`),
      yes,
      no,
      status,
    );
    yes.focus();
  }
  async function confirm(): Promise<void> {
    status.textContent = 'Writing...';
    const answer = await createFiles(server!, [{ path, text }]);
    row.replaceChildren(add, status);
    status.textContent = !answer.ok
      ? `Not written: ${printableName(answer.error ?? '')}`
      : answer.created?.length
        ? `Wrote ${name} into ${dir}.`
        : `${name} is in ${dir} already, as shown.`;
  }
  row.append(add, status);
  return row;
}
