/**
 * Splits a block-style ResourceList into its top-level sections and its items as raw text, without parsing
 * the items. kpt and kustomize always send block YAML, so this is the normal path: untouched items are
 * copied through byte for byte and cost almost nothing. Anything unusual returns undefined and the caller
 * normalizes the input first (see read.ts).
 */
import { syntaxError } from '../yaml/documents';
import { lineAndColumn, positions } from '../yaml/position';
import { anchoredData, anchorNames, anchorSetting, outsideAliases } from '../yaml/shared-anchors';
import { mentionsOurDomain } from '../vocabulary';

export interface Section {
  key: string;
  /** The section's text, from its key line up to the next top-level key. */
  text: string;
}

export interface SplitList {
  /** Comments or `---` before the first key. */
  preamble: string;
  /** A `...` document end marker and what follows it (comments only), written after everything else. */
  postamble: string;
  sections: Section[];
  /** In the `items` section: the text from `items:` to the first item, then each item's text. */
  itemsHead: string;
  items: string[];
  /** Split from the input rewritten as block YAML (JSON, flow style): its lines are not the input's. */
  rewritten?: true;
}

// A plain key may hold single spaces between words (`x y: 1`).
const TOP_KEY = /(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z_](?:[\w./-]| (?=[^\s#]))*)[ \t]*:(?=[ \t]|\r?\n|$)/y;
const DOCUMENT_MARKER = /(?:---|\.\.\.)(?=\s|$)/y;

/**
 * Works on offsets, not lines: the pieces are slices of the input, so a 10 MB list costs a few thousand
 * small objects rather than a string per line (which made garbage collection the largest cost).
 * `everyLine`: visit every line, as the split first did, rather than pass by a regular expression the lines
 * it has nothing to do with; split.test.ts holds the two to the same result.
 */
export function splitResourceList(text: string, everyLine = false): SplitList | undefined {
  const starts: number[] = [];
  const keys: string[] = [];
  let end = text.length;
  const step = everyLine ? nextLine : nextTopLine;
  for (let at = 0; at < text.length; at = step(text, at)) {
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
  const split = splitItems(itemsSections[0].text, everyLine);
  return split && { preamble: text.slice(0, starts[0] ?? end), postamble: text.slice(end), sections, ...split };
}

const nextLine = (text: string, at: number): number => {
  const eol = text.indexOf('\n', at);
  return eol === -1 ? text.length : eol + 1;
};

/**
 * The start of the first line after the one at `at` that `lineStart` matches after its line break (`g`), or
 * the text's end. The split runs once, mostly before V8 optimizes it: the lines it has nothing to do with are
 * passed by the expression, not one by one.
 */
function nextLineLike(lineStart: RegExp, text: string, at: number): number {
  lineStart.lastIndex = at;
  const found = lineStart.exec(text);
  return found ? found.index + 1 : text.length;
}
/** A line that starts as a top-level key or marker might: not with a space, `#` or a line break. */
const TOP_LINE = /\n[^ #\n\r]/g;
const nextTopLine = (text: string, at: number): number => nextLineLike(TOP_LINE, text, at);

/** The `items` key line: `items:`, quoted or not, a space before the colon, a comment after it; or `[]`. */
const ITEMS_LINE = /^(?:items|"items"|'items')[ \t]*:[ \t]*(\[\][ \t]*)?(?:#.*)?\r?\n?$/;

function splitItems(section: string, everyLine: boolean): { itemsHead: string; items: string[] } | undefined {
  const second = nextLine(section, 0);
  const first = ITEMS_LINE.exec(section.slice(0, second));
  if (!first) return undefined;
  if (first[1]) return isEmpty(section, second) ? { itemsHead: section, items: [] } : undefined;
  const starts: number[] = [];
  let indent = -1;
  // Once the items' indentation is known, only lines indented no deeper, with content, can start an item or
  // be outside every item; a tab there is the current item's error (below).
  let shallow: RegExp | undefined;
  const next = (at: number) => (shallow ? nextLineLike(shallow, section, at) : nextLine(section, at));
  for (let at = second; at < section.length; at = next(at)) {
    let content = at;
    while (section[content] === ' ') content++;
    const c = section[content];
    if (c === undefined || c === '\n' || c === '\r' || c === '#') continue; // blank or comment: the current item's
    // A tab in the indentation is a syntax error of the current item, reported as that item's (run.ts).
    if (c === '\t' && starts.length) continue;
    const column = content - at;
    if (indent === -1 && isDash(section, content)) {
      indent = column;
      if (!everyLine) shallow = new RegExp(`\\n {0,${indent}}[^ \\n\\r#\\t]`, 'g');
    }
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

/** The first syntax error of item `index`, as one line naming the item and its place, or undefined. */
export function itemSyntaxError(split: SplitList, index: number): string | undefined {
  const error = syntaxError(split.items[index], anchorSetBefore(split, index));
  return error && `${itemPlace(split, index, error.at)}: malformed YAML: ${error.error}`;
}

/** Whether an anchor is set before item `index`: the items are one YAML document, so it is set for this one. */
export function anchorSetBefore(split: SplitList, index: number): (anchor: string) => boolean {
  return (anchor) => (settingsOf(split).get(anchor)?.[0] ?? Infinity) < index;
}

/**
 * Where each anchor may be set, ascending: the indices of the items, -1 for the ResourceList's head. One
 * search of the whole list, kept for the list (a WeakMap, so it goes with it): items ask once each, and a list
 * of thousands would otherwise be searched thousands of times.
 */
function settingsOf(split: SplitList): ReadonlyMap<string, readonly number[]> {
  let found = settings.get(split);
  if (!found) {
    const at = new Map<string, number[]>();
    const note = (text: string, index: number) => {
      // (a native search first: most items set no anchor)
      if (!text.includes('&')) return;
      for (const name of anchorNames(text)) {
        const indices = at.get(name);
        if (!indices) at.set(name, [index]);
        else if (indices[indices.length - 1] !== index) indices.push(index);
      }
    };
    [split.preamble, ...sectionsBeforeItems(split), split.itemsHead].forEach((text) => note(text, -1));
    split.items.forEach(note);
    settings.set(split, (found = at));
  }
  return found;
}

const settings = new WeakMap<SplitList, ReadonlyMap<string, readonly number[]>>();
/** anchoredAsks of an item and an anchor it sets, by `${item}:${name}`: each such item is read once. */
const asked = new WeakMap<SplitList, Map<string, boolean>>();

/**
 * An alias in item `index` to data an earlier item anchors that mentions our keys, and where (an offset in
 * the item): the list is one YAML document, so the item may ask for the sidecar though its own text never
 * says so, and read alone it cannot be read.
 */
export function aliasMayAsk(split: SplitList, index: number): { name: string; at: number } | undefined {
  return outsideAliases(split.items[index], anchorSetBefore(split, index)).find(({ name }) =>
    anchoredAsks(split, index, name),
  );
}

/**
 * Whether the last item before `index` that anchors `name` mentions our keys there; unknown counts as yes.
 * Only the items the search found may set it: looking at every earlier item would cost the list's length per
 * alias, quadratic over a list whose items all use one early anchor.
 */
function anchoredAsks(split: SplitList, index: number, name: string): boolean {
  const indices = settingsOf(split).get(name) ?? [];
  let known = asked.get(split);
  if (!known) asked.set(split, (known = new Map<string, boolean>()));
  const sets = anchorSetting(name);
  for (let k = lastBelow(indices, index); k >= 0 && indices[k] >= 0; k--) {
    const i = indices[k];
    if (!sets.test(split.items[i])) continue;
    const key = `${i}:${name}`;
    let asks = known.get(key);
    if (asks === undefined) {
      const read = anchoredData(split.items[i], name);
      known.set(key, (asks = !read || mentionsOurDomain(read.data)));
    }
    return asks;
  }
  // Set in the ResourceList's head (its functionConfig, say): not read here.
  return true;
}

/** The position in ascending `sorted` of its last number below `limit`, -1 when there is none. */
function lastBelow(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < limit) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/**
 * Item `index` named with a place in the whole input, as every item's error is: `item 3 (line 40, column 5)`,
 * `at` an offset in the item's text (its start when unknown). The split's slices are contiguous: the item's
 * offset is their lengths.
 */
export function itemPlace(split: SplitList, index: number, at = 0): string {
  if (split.rewritten) return `item ${index}`;
  const start = textBefore(split, index).length;
  const whole = split.preamble + split.sections.map((s) => s.text).join('');
  return `item ${index} (${lineAndColumn(positions(whole)(start + at))})`;
}

/** The input before item `index`: the split's slices are contiguous. */
function textBefore(split: SplitList, index: number): string {
  return [split.preamble, ...sectionsBeforeItems(split), split.itemsHead, ...split.items.slice(0, index)].join('');
}

function sectionsBeforeItems(split: SplitList): string[] {
  const at = split.sections.findIndex((s) => s.key === 'items');
  return split.sections.slice(0, at).map((s) => s.text);
}
