/**
 * A table of workloads that stays quick at a thousand rows: the first rows are built, the rest when asked.
 * Laying out a thousand rows was a fifth of a second of every paste and every tick; nobody reads them all
 * at once. Which tables were opened in full is kept until other manifests are loaded (not in the link).
 */
import { h } from './dom';

/** Rows built before the "Show all" button. */
export const FIRST_ROWS = 100;

const expanded = new Set<string>();

/** Other manifests: every table starts short again. */
export const collapseTables = (): void => expanded.clear();

export function longTable<T>(
  name: string,
  caption: string,
  headers: readonly string[],
  items: readonly T[],
  row: (item: T) => HTMLElement,
): HTMLElement {
  const body = h('tbody', {});
  // On a narrow screen each row stacks its cells (style.css), each under its column's name.
  const labelled = (item: T): HTMLElement => {
    const tr = row(item);
    [...tr.children].forEach((cell, i) => headers[i] && cell.setAttribute('data-label', headers[i]));
    return tr;
  };
  const fill = (all: boolean) => {
    const shown = all ? items : items.slice(0, FIRST_ROWS);
    const rest = items.length - shown.length;
    const more = h('button', { type: 'button', onclick: showAll }, `Show all ${items.length}`);
    body.replaceChildren(
      ...shown.map(labelled),
      ...(rest > 0 ? [h('tr', {}, h('td', { colspan: headers.length }, `${rest} more. `, more))] : []),
    );
  };
  // The keyboard goes on where the button was: the first row it revealed.
  function showAll() {
    expanded.add(name);
    fill(true);
    const next = body.children[FIRST_ROWS] as HTMLElement | undefined;
    const target = next?.querySelector<HTMLElement>('input') ?? next;
    if (target && target === next) next.tabIndex = -1;
    target?.focus();
  }
  fill(expanded.has(name));
  return h(
    'table',
    { class: 'stack' },
    h('caption', { class: 'muted' }, caption),
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );
}
