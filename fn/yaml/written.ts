/**
 * What a value was written as: a message must quote the user, and the value `yaml` made of the text is not
 * that (`.inf` is Infinity, `1e400` too, `2001-01-01` a Date, `99999999999999999999999` 1e+23).
 */
import { isMap, isScalar, isSeq, pairOf, type Node } from './nodes';

/** The text of the value at a path of keys and list indexes, or undefined where there is no such text. */
export type WrittenAt = (path: readonly (string | number)[]) => string | undefined;

/** For data without its text (built in code, or sent as JSON): nothing is known as written. */
export const NOT_WRITTEN: WrittenAt = () => undefined;

const YAML_TAG = 'tag:yaml.org,2002:';

/** A node's text in `text`, its explicit tag in front (`!!binary aGVsbG8=`), or undefined without a range. */
export function writtenNode(node: unknown, text: string): string | undefined {
  const range = (node as { range?: [number, number, number] | null } | null)?.range;
  if (!range) return undefined;
  // `yaml` keeps a tag out of the range, and sets `tag` only when it was written.
  const tag = (node as { tag?: string }).tag;
  const shown = tag === undefined ? '' : `${tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag} `;
  return shown + text.slice(range[0], range[1]);
}

/**
 * The string a tagged scalar spells once its tag is dropped (`!!bool "true"` spells `true`, `!!int 0x1F`
 * spells `0x1F`): `yaml` keeps it, quotes and escapes resolved, as the scalar's source. Undefined for a scalar
 * written without a tag, whose text is what it spells. What to quote when the tag is what makes it no string.
 */
export function untagged(node: unknown): string | undefined {
  if (!isScalar(node) || node.tag === undefined) return undefined;
  const source = (node as { source?: unknown }).source;
  return typeof source === 'string' ? source : undefined;
}

/** Values below `root` (a node parsed from `text`), by their path. */
export const writtenAt =
  (root: unknown, text: string): WrittenAt =>
  (path) => {
    let node = root as Node | null | undefined;
    for (const segment of path) {
      if (typeof segment === 'number') node = isSeq(node) ? (node.items[segment] as Node | null) : undefined;
      else node = isMap(node) ? (pairOf(node, segment)?.value as Node | null | undefined) : undefined;
    }
    return isScalar(node) ? writtenNode(node, text) : undefined;
  };
