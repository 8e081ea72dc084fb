/**
 * A file the user takes away (Wire it in, Verify): its path, a note, Copy and Download, and the text; and
 * the name a download of manifests is saved under.
 */
import { printableName } from '../fn/index';
import { copy, download, h } from './dom';

/** Which manifests a download holds: the annotated source, or the function's output (with errors or not). */
export type DownloadKind = 'annotated' | 'injected' | 'injected-with-errors';

/** Output says what it is in its name; output taken with errors says so too (the gate, web/gate.ts). */
const SUFFIX: Record<DownloadKind, string> = {
  annotated: '',
  injected: '.injected',
  'injected-with-errors': '.injected-with-errors',
};

/**
 * The name `path` downloads under, its directory kept (the browser drops it): annotated manifests keep their
 * name, injected ones are `<base>.injected.yaml`, so neither overwrites the other in a downloads folder.
 */
export function downloadName(path: string, kind: DownloadKind): string {
  const ext = /\.ya?ml$|\.json$/i.exec(path)?.[0] ?? '';
  return `${path.slice(0, path.length - ext.length)}${SUFFIX[kind]}${ext}`;
}

/** `path` as it is shown (printable: a control character in a name never breaks the layout). */
export function fileBlock(path: string, text: string, note: string): HTMLElement {
  const status = h('span', { role: 'status' });
  const shown = printableName(path);
  return h(
    'div',
    { class: 'file' },
    h('h3', {}, shown),
    h('p', { class: 'muted' }, note),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => void copy(text, status), 'aria-label': `Copy ${shown}` }, 'Copy'),
      h(
        'button',
        { type: 'button', onclick: () => download(path, text), 'aria-label': `Download ${shown}` },
        'Download',
      ),
      status,
    ),
    h('pre', { tabindex: 0, 'aria-label': shown, 'data-path': path }, h('code', {}, text)),
  );
}
