/**
 * `List` and every `*List` kind (`v1/List`, `ConfigMapList`, what `kubectl get -o yaml` writes): each item
 * of its `items` sequence is cut out as text, processed like a top-level resource, and spliced back, so
 * comments and formatting around and inside the items survive exactly as for any other resource.
 */
import { CHANGES, outcome, type Outcome } from '../outcome';
import { REASONS } from '../reasons';
import { resultFor, type ResourceMeta } from '../results';
import { notAResource, type TypeMeta } from '../resource';
import { visit } from 'yaml';
import {
  aliasedAnchors,
  isAlias,
  isSeq,
  rangeOf,
  scalarString,
  toJSON,
  type Document,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from '../yaml/nodes';
import { mentionsOurDomain } from '../vocabulary';
import { notAnObject, nullItem } from './not-a-resource';
import { dashOf } from '../yaml/block-edit';
import { anchorsChanged, anchorsOf, mayAnchor, unresolvedAlias, usedElsewhere } from '../yaml/shared-anchors';
import { afterLine, applyEdits, lineStart, type Edit } from '../yaml/text-edit';

/** Kinds treated as lists: `List` itself and any kind ending in `List` that has an `items` sequence. */
export function isListKind(root: YAMLMap): boolean {
  const kind = scalarString(root.get('kind', true)) ?? '';
  return kind.endsWith('List') && isSeq(root.get('items', true));
}

/**
 * What an item of a typed List (`DeploymentList`, the API server's own list format: `kubectl get --raw`) is when
 * it names neither its kind nor its apiVersion: the List's kind without `List`, under the List's apiVersion,
 * as apimachinery decodes it. A `v1 List` implies nothing (kubectl refuses such an item in one).
 */
export function itemType(list: YAMLMap): TypeMeta | undefined {
  const kind = scalarString(list.get('kind', true)) ?? '';
  if (kind === 'List' || !kind.endsWith('List')) return undefined;
  return { kind: kind.slice(0, -'List'.length), apiVersion: scalarString(list.get('apiVersion', true)) ?? '' };
}

/**
 * `done`, or its refusal when its edit changes a node of `before` used elsewhere through an alias (`- &web`
 * and `- *web`, `containers: &c` and a later `containers: *c`): a change there too. `used` says which anchors
 * are. Removal gives the author's data back, there as here. The List's items and the KRM function's share it.
 */
export function unlessShared(before: string, done: Outcome, used: (name: string) => boolean): Outcome {
  if (done.status === 'removed' || done.text === before || !mayAnchor(before)) return done;
  const shared = anchorsChanged(before, done.text, used);
  if (!shared.length) return done;
  const message = REASONS.aliased(usedElsewhere(shared[0]));
  return outcome('error', 'aliased', done.meta, before, [resultFor(done.meta, 'error', message, undefined, 'aliased')]);
}

interface Ranged {
  range?: [number, number, number] | null;
}

/**
 * The List's outcome: its items' outcomes in order (only those `wanted`), and the List's text with theirs
 * spliced in. Its own status is the first change among them, or unchanged.
 */
export function processList(
  text: string,
  root: YAMLMap,
  meta: ResourceMeta,
  processItem: (text: string) => Outcome,
  wanted: (text: string) => boolean,
  doc?: Document,
): Outcome {
  const aliased = doc ? aliasedAnchors(doc) : new Set<string>();
  const seq = root.get('items', true);
  if (!isSeq(seq)) return outcome('unchanged', 'list', meta, text);
  if (seq.flow && seq.items.length === 0) return { ...outcome('unchanged', 'list', meta, text), items: [] };
  if (seq.flow) {
    // Flow items have no lines of their own to cut out; saying so beats silently skipping them.
    if (!wanted(text)) return outcome('skipped', 'list', meta, text);
    const message = `${meta.kind} in flow style: its items were not processed; write the list in block style`;
    return outcome('skipped', 'unsupported-kind', meta, text, [
      resultFor(meta, 'warning', message, 'items', 'unsupported-kind'),
    ]);
  }
  const edits: Edit[] = [];
  const items: Outcome[] = [];
  let anchors: { name: string; at: number }[] | undefined;
  for (const { start, end, text: slice, index } of listItems(text, seq)) {
    // An item with nothing in it (`-`, `- ~`), or with a value that is no map (`- x`), is no resource: said
    // once, whatever the pre-filter says, as a document like it would be.
    const node = seq.items[index];
    // `- *web`: the item it names, again; that one is processed (and refused if a change would reach here).
    if (isAlias(node)) continue;
    const where = `items[${index}] of the ${meta.kind}`;
    const not = notAResource(node);
    const other = not && 'notMap' in not ? not.notMap : undefined;
    // Our keys may reach an item only through an alias (`annotations: *shared`): it is wanted all the same.
    if (!not && !wanted(slice) && !(aliased.size && doc && aliasMentionsOurs(node, doc))) continue;
    let done =
      not && 'empty' in not
        ? nullItem(slice, where)
        : other
          ? notAnObject(slice, where, other, rangeOf(node)[0] - start)
          : processItem(slice);
    // Read alone, an item using an earlier item's anchor names none: valid YAML, but not readable here.
    const alias = done.reason === 'malformed-yaml' ? unresolvedAlias(done.detail ?? '') : undefined;
    if (alias !== undefined && (anchors ??= anchorsOf(root)).some((a) => a.name === alias && a.at < start)) {
      const at = done.results.find((r) => r.at !== undefined)?.at;
      const message = REASONS['outside-anchor'](alias);
      done = outcome('error', 'outside-anchor', done.meta, slice, [
        resultFor(done.meta, 'error', message, undefined, 'outside-anchor', at),
      ]);
    }
    if (aliased.size) done = unlessShared(slice, done, (name) => aliased.has(name));
    done.offset = start;
    done.item = index;
    items.push(done);
    if (done.text !== slice) edits.push({ start, end, text: done.text });
  }
  const change = items.find((o) => CHANGES.has(o.status));
  const listed = outcome(change?.status ?? 'unchanged', 'list', meta, text);
  return { ...listed, text: edits.length ? applyEdits(text, edits) : text, items };
}

/** Whether data `node` reaches through an alias mentions our keys. */
function aliasMentionsOurs(node: unknown, doc: Document): boolean {
  let found = false;
  visit(node as Node, {
    Alias: (_, alias) => {
      found = mentionsOurDomain(toJSON(alias.resolve(doc), doc));
      return found ? visit.BREAK : undefined;
    },
  });
  return found;
}

/** One block item of a List, cut out as its own text: a one-item sequence, and where it sits in the List. */
export interface ListItem {
  start: number;
  end: number;
  text: string;
  /** Its index in `items`. */
  index: number;
}

/**
 * The items of a block `items:` sequence, each from the start of the line holding its "-" to its last line
 * (`- # comment`, `- &anchor` and `- !!map` included: the "-" is found from the previous item, not walked
 * back to from this one). One per item, in order: callers index them as `items`.
 */
export function listItems(text: string, seq: YAMLSeq): ListItem[] {
  return seq.items.map((item, index) => {
    const start = lineStart(text, dashOf(text, seq, index));
    const end = afterLine(text, (item as Ranged | null)?.range?.[1] ?? start);
    return { start, end, text: text.slice(start, end), index };
  });
}
