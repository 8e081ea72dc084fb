/** A file the user takes away (Wire it in, Verify): its path, a note, Copy and Download, and the text. */
import { copy, download, h } from './dom';

/** What a downloaded manifests file is: the annotated source, or the function's output (with errors or not). */
export type DownloadKind = 'annotated' | 'injected' | 'injected-with-errors';

/** The name each kind is saved under, before the extension (output with errors says so in its name). */
const SUFFIXES: Record<DownloadKind, string> = {
  annotated: '',
  injected: '',
  'injected-with-errors': '.injected-with-errors',
};

/** The file name a download of `path` gets: its base name, marked by kind (`manifests.injected-with-errors.yaml`). */
export function downloadName(path: string, kind: DownloadKind): string {
  const base = path.replace(/^.*\//, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? `${base.slice(0, dot)}${SUFFIXES[kind]}${base.slice(dot)}` : `${base}${SUFFIXES[kind]}`;
}

export function fileBlock(path: string, text: string, note: string): HTMLElement {
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
