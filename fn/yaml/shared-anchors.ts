/**
 * Anchors shared between the items of a ResourceList or a List. The list is one YAML document: a node anchored
 * `&name` in one item and used as `*name` in a later one expands there too. Items are read and edited alone,
 * so an item's edit is checked here on the data of its anchored nodes: a change there is a change to the other
 * item, which no one asked for.
 */
import { parseDocument, visit } from 'yaml';
import { PARSE_OPTIONS } from './fast-scalars';
import { aliasedAnchors, same, toJSON, type Document, type Node } from './nodes';

/** Where `*name` or `&name` may stand: after a space, a flow indicator or the start of a line. */
const ALIAS = /(?:^|[\s[{,])\*([^\s,[\]{}]+)/gm;
const ANCHOR = /(?:^|[\s[{,])&([^\s,[\]{}]+)/gm;

/**
 * Whether a text from index `from` on uses the anchor `name` through an alias: found by a search of the texts,
 * confirmed by reading the ones that match (a `*web` in a script is no alias), each at most once.
 */
export function aliasUses(texts: readonly string[]): (name: string, from: number) => boolean {
  let byName: Map<string, number[]> | undefined;
  const read = new Map<number, Set<string>>();
  const aliasesIn = (index: number) => {
    let names = read.get(index);
    if (!names) read.set(index, (names = aliasesRead(texts[index])));
    return names;
  };
  return (name, from) => {
    if (!byName) {
      byName = new Map();
      texts.forEach((text, index) => {
        // (a native search first: most items hold no `*`)
        if (text.includes('*'))
          for (const [, used] of text.matchAll(ALIAS)) byName!.set(used, [...(byName!.get(used) ?? []), index]);
      });
    }
    return (byName.get(name) ?? []).some((index) => index >= from && aliasesIn(index).has(name));
  };
}

/** The names a text uses through an alias, as `yaml` reads it (a `*web` in a script is none). */
const aliasesRead = (text: string): Set<string> => aliasedAnchors(parseDocument(text, PARSE_OPTIONS));

/** Where a text sets `&name`. */
export function anchorSetting(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[\\s[{,])&${escaped}(?=[\\s,\\]}]|$)`);
}

/**
 * The aliases of `text` to anchors it does not set itself that `outside` says are set before it, confirmed by
 * `yaml`, with their offsets in the text. Searches first: most texts hold no `*`, and a text is read only when
 * one names such an anchor.
 */
export function outsideAliases(text: string, outside: (name: string) => boolean): { name: string; at: number }[] {
  if (!text.includes('*')) return [];
  const found = [...text.matchAll(ALIAS)].filter(([, name]) => outside(name) && !anchorSetting(name).test(text));
  if (!found.length) return [];
  const confirmed = aliasesRead(text);
  return found
    .filter(([, name]) => confirmed.has(name))
    .map((alias) => ({ name: alias[1], at: alias.index + alias[0].length - alias[1].length - 1 }));
}

/** Every anchor name a text may set, by a search. */
export const anchorNames = (text: string): string[] => [...text.matchAll(ANCHOR)].map(([, name]) => name);

/**
 * The data of the last node `text` anchors `&name`, read alone; undefined when it sets none or cannot be read
 * alone (it uses an anchor from before it, say).
 */
export function anchoredData(text: string, name: string): { data: unknown } | undefined {
  const { doc, nodes } = anchored(text);
  const node = nodes.get(name);
  return node && doc.errors.length === 0 ? { data: toJSON(node, doc) } : undefined;
}

/** An anchor used through an alias, as the refusal names it. */
export const usedElsewhere = (name: string): string => `&${name} (used elsewhere as *${name})`;

/** The alias a read error names as unresolved (`yaml`'s words, and documents.ts' own). */
export const unresolvedAlias = (error: string): string | undefined =>
  /Unresolved alias \(the anchor must be set before the alias\): (\S+)$/.exec(error)?.[1];

/** Whether `text` may set an anchor (`&name`): a native search, so most items cost nothing more. */
export const mayAnchor = (text: string): boolean => text.includes('&');

/**
 * The anchors of `before` that, among those `usedElsewhere`, mean other data in `after` (or are gone from it):
 * `before` and `after` are one item's text as read and as edited, each readable alone.
 */
export function anchorsChanged(before: string, after: string, usedElsewhere: (name: string) => boolean): string[] {
  // The names the text may set, by a search: no parse unless one of them is used.
  if (![...before.matchAll(ANCHOR)].some(([, name]) => usedElsewhere(name))) return [];
  const was = anchored(before);
  const now = anchored(after);
  return [...was.nodes].flatMap(([name, node]) => {
    if (!usedElsewhere(name)) return [];
    const next = now.nodes.get(name);
    return next && same(toJSON(node, was.doc), toJSON(next, now.doc)) ? [] : [name];
  });
}

/** Every anchor set in `node`, and where (an offset in its document's text). */
export function anchorsOf(node: Node): { name: string; at: number }[] {
  const found: { name: string; at: number }[] = [];
  visit(node, (_key, inner) => {
    // (a pair's empty value is visited as null)
    const { anchor, range } = (inner ?? {}) as { anchor?: string; range?: [number, number, number] | null };
    if (anchor !== undefined && range) found.push({ name: anchor, at: range[0] });
  });
  return found;
}

/** The text's nodes by anchor: the last one of each name, the one an alias after the text names. */
function anchored(text: string): { doc: Document; nodes: Map<string, Node> } {
  const doc = parseDocument(text, PARSE_OPTIONS);
  const nodes = new Map<string, Node>();
  visit(doc, (_key, node) => {
    // (a pair's empty value is visited as null)
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor !== undefined) nodes.set(anchor, node as Node);
  });
  return { doc, nodes };
}
