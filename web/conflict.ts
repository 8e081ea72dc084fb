/**
 * A write the wizard server refused because a file changed on disk since the page loaded it (409): what
 * changed, file by file, and a button that loads DIR's files again. The choices made stay as they are.
 */
import { printableName } from '../fn/index';
import type { App } from './app';
import { h } from './dom';
import { lineRuns } from './line-diff';
import { loadFiles, servedSources, type WriteAnswer } from './server';

/** The lines that differ, `-` as loaded and `+` on disk now, with the line numbers of each run. */
export function changedLines(loaded: string, now: string): string {
  const a = loaded.split('\n');
  const b = now.split('\n');
  const runs = lineRuns(a, b);
  if (!runs) return 'Too much changed to show line by line.';
  return runs
    .map(([a0, a1, b0, b1]) =>
      [
        `@@ line ${a0 + 1} as loaded, line ${b0 + 1} on disk @@`,
        ...a.slice(a0, a1).map((l) => `- ${l}`),
        ...b.slice(b0, b1).map((l) => `+ ${l}`),
      ].join('\n'),
    )
    .join('\n');
}

export function conflictView(
  app: App,
  conflicts: NonNullable<WriteAnswer['conflicts']>,
  status: HTMLElement,
): HTMLElement {
  const server = app.server!;
  const reload = async () => {
    status.textContent = 'Loading the files again...';
    const loaded = await loadFiles(server.token);
    if ('error' in loaded) return void (status.textContent = `Not loaded: ${loaded.error}`);
    server.served = new Map(loaded.sources.map((s) => [s.path, s.text]));
    server.writable = new Set(loaded.writable);
    server.skipped = loaded.skipped;
    app.update((s) => {
      // DIR may hold no manifest any more: the page then shows an empty one, as for an empty DIR.
      s.sources = servedSources(server);
      s.current = Math.min(s.current, s.sources.length - 1);
    });
  };
  return h(
    'div',
    { class: 'conflicts', role: 'alert' },
    ...conflicts.map((c) =>
      h(
        'div',
        {},
        h('p', {}, `${printableName(c.path)} ${c.why}.`),
        c.now === undefined
          ? null
          : h(
              'pre',
              { tabindex: 0, 'data-conflict': c.path },
              h('code', {}, changedLines(server.served.get(c.path) ?? '', c.now)),
            ),
      ),
    ),
    h(
      'button',
      { type: 'button', id: 'reload-files', onclick: () => void reload() },
      'Reload the files from disk (your choices are kept)',
    ),
  );
}
