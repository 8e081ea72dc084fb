/** A file the user takes away (Wire it in, Verify): its path, a note, Copy and Download, and the text. */
import { copy, download, h } from './dom';

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
