/**
 * Splits a block-style ResourceList into its top-level sections and its items as raw text, without parsing
 * the items. kpt and kustomize always send block YAML, so this is the normal path: untouched items are
 * copied through byte for byte and cost almost nothing. Anything unusual returns undefined and the caller
 * normalizes the input first (see read.ts).
 */

export interface Section {
  key: string;
  /** The section's text, from its key line up to the next top-level key. */
  text: string;
}

export interface SplitList {
  /** Comments or `---` before the first key. */
  preamble: string;
  sections: Section[];
  /** In the `items` section: the text from `items:` to the first item, then each item's text. */
  itemsHead: string;
  items: string[];
}

const TOP_KEY = /^(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z_][\w./-]*)[ \t]*:(?=[ \t]|\r?\n|$)/;

export function splitResourceList(text: string): SplitList | undefined {
  const lines = text.split(/(?<=\n)/);
  const sections: Section[] = [];
  let preamble = '';
  for (const line of lines) {
    const key = TOP_KEY.exec(line);
    if (key) sections.push({ key: unquote(key[0].slice(0, key[0].lastIndexOf(':')).trim()), text: line });
    else if (!sections.length) preamble += line;
    else if (/^(?:---|\.\.\.)(?:\s|$)/.test(line)) return undefined; // a second document
    else sections[sections.length - 1]!.text += line;
  }
  const itemsSections = sections.filter((s) => s.key === 'items');
  if (itemsSections.length !== 1) return undefined;
  const split = splitItems(itemsSections[0]!.text);
  return split && { preamble, sections, ...split };
}

function splitItems(section: string): { itemsHead: string; items: string[] } | undefined {
  const lines = section.split(/(?<=\n)/);
  const first = lines[0]!.replace(/#.*$/, '').trim();
  if (first === 'items: []') return lines.slice(1).every((l) => l.trim() === '' || l.trimStart().startsWith('#')) ? { itemsHead: section, items: [] } : undefined;
  if (first !== 'items:') return undefined;
  const startLine = lines.findIndex((l, i) => i > 0 && /^ *-(?: |\r?\n|$)/.test(l));
  if (startLine === -1) return undefined;
  const indent = /^ */.exec(lines[startLine]!)![0].length;
  const itemStart = new RegExp(`^ {${indent}}-(?: |\\r?\\n|$)`);
  let itemsHead = '';
  const items: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (i < startLine) itemsHead += line;
    else if (itemStart.test(line)) items.push(line);
    else if (!isInsideItem(line, indent)) return undefined;
    else items[items.length - 1] += line;
  }
  return { itemsHead, items };
}

/** Inside an item, every line is deeper than the item's `-`, blank, or a comment. */
function isInsideItem(line: string, indent: number): boolean {
  const content = line.trimStart();
  return content === '' || content.startsWith('#') || line.length - content.length > indent;
}

function unquote(key: string): string {
  return /^["']/.test(key) ? key.slice(1, -1) : key;
}
