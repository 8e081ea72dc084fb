/**
 * The ResourceList split as it was before it passed the lines it has nothing to do with by a regular
 * expression (f71e49c, unchanged but for its name): split.test.ts holds the split to it.
 */
import type { SplitList } from '../../fn/krm/split';

// A plain key may hold single spaces between words (`x y: 1`).
const TOP_KEY = /(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z_](?:[\w./-]| (?=[^\s#]))*)[ \t]*:(?=[ \t]|\r?\n|$)/y;
const DOCUMENT_MARKER = /(?:---|\.\.\.)(?=\s|$)/y;

/**
 * Works on offsets, not lines: the pieces are slices of the input, so a 10 MB list costs a few thousand
 * small objects rather than a string per line (which made garbage collection the largest cost).
 */
export function splitResourceListByLines(text: string): SplitList | undefined {
  const starts: number[] = [];
  const keys: string[] = [];
  let end = text.length;
  for (let at = 0; at < text.length; at = nextLine(text, at)) {
    const c = text[at];
    if (c === ' ' || c === '#' || c === '\n' || c === '\r') continue;
    if (c === '-' || c === '.') {
      DOCUMENT_MARKER.lastIndex = at;
      if (!starts.length || !DOCUMENT_MARKER.test(text)) continue;
      // `...` ends the document: fine when nothing but comments follows; anything else is a second document.
      if (c === '.' && isEmpty(text, nextLine(text, at))) {
        end = at;
        break;
      }
      return undefined;
    }
    TOP_KEY.lastIndex = at;
    const key = TOP_KEY.exec(text);
    if (!key) continue;
    starts.push(at);
    keys.push(unquote(key[0].slice(0, key[0].lastIndexOf(':')).trim()));
  }
  const sections = keys.map((key, i) => ({ key, text: text.slice(starts[i], starts[i + 1] ?? end) }));
  const itemsSections = sections.filter((s) => s.key === 'items');
  if (itemsSections.length !== 1) return undefined;
  const split = splitItems(itemsSections[0].text);
  return split && { preamble: text.slice(0, starts[0] ?? end), postamble: text.slice(end), sections, ...split };
}

const nextLine = (text: string, at: number): number => {
  const eol = text.indexOf('\n', at);
  return eol === -1 ? text.length : eol + 1;
};

/** The `items` key line: `items:`, quoted or not, a space before the colon, a comment after it; or `[]`. */
const ITEMS_LINE = /^(?:items|"items"|'items')[ \t]*:[ \t]*(\[\][ \t]*)?(?:#.*)?\r?\n?$/;

function splitItems(section: string): { itemsHead: string; items: string[] } | undefined {
  const second = nextLine(section, 0);
  const first = ITEMS_LINE.exec(section.slice(0, second));
  if (!first) return undefined;
  if (first[1]) return isEmpty(section, second) ? { itemsHead: section, items: [] } : undefined;
  const starts: number[] = [];
  let indent = -1;
  for (let at = second; at < section.length; at = nextLine(section, at)) {
    let content = at;
    while (section[content] === ' ') content++;
    const c = section[content];
    if (c === undefined || c === '\n' || c === '\r' || c === '#') continue; // blank or comment: the current item's
    // A tab in the indentation is a syntax error of the current item, reported as that item's (run.ts).
    if (c === '\t' && starts.length) continue;
    const column = content - at;
    if (indent === -1 && isDash(section, content)) indent = column;
    if (column === indent && isDash(section, content)) starts.push(at);
    else if (indent === -1 || column <= indent) return undefined; // a line outside any item
  }
  if (!starts.length) return undefined;
  const items = starts.map((start, i) => section.slice(start, starts[i + 1] ?? section.length));
  return { itemsHead: section.slice(0, starts[0]), items };
}

/** `-` followed by a space or the end of its line: a block sequence entry. */
function isDash(text: string, at: number): boolean {
  if (text[at] !== '-') return false;
  const next = text[at + 1];
  return next === undefined || next === ' ' || next === '\n' || (next === '\r' && text[at + 2] === '\n');
}

/** Only blank and comment lines from `at` on. */
function isEmpty(text: string, at: number): boolean {
  return text
    .slice(at)
    .split('\n')
    .every((line) => line.trim() === '' || line.trimStart().startsWith('#'));
}

function unquote(key: string): string {
  return /^["']/.test(key) ? key.slice(1, -1) : key;
}
