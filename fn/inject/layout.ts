/**
 * Whether a re-injection says what the input says, laid out differently. kpt reads a function's output
 * with kyaml, which writes the keys it did not see before after the others and puts each comment back
 * where it attached it; over an injected workload, that is our own lines in another order and comments
 * moved around them. Such an input is up to date as it is: writing it our way again would move them back,
 * and kpt again, on every run.
 */
import { parseResource, type Resource } from '../resource';
import { sameData, toJSON } from '../yaml/nodes';

const LAYOUT_ONLY = /^[ \t]*(?:#.*)?\r?$/;

/** The content lines in order of their text, and the comments in their own order: what a layout keeps. */
function lines(text: string): { content: string; comments: string } {
  const content: string[] = [];
  const comments: string[] = [];
  for (const line of text.split('\n')) {
    if (!LAYOUT_ONLY.test(line)) content.push(line.replace(/\r$/, ''));
    else if (line.trim()) comments.push(line.trim());
  }
  return { content: content.sort().join('\n'), comments: comments.join('\n') };
}

/** `text` has the input's lines, in another order or with comment and blank lines moved, and means the same. */
export function onlyLayoutDiffers(text: string, input: Resource): boolean {
  const a = lines(text);
  const b = lines(input.text);
  if (a.content !== b.content || a.comments !== b.comments) return false;
  const read = parseResource(text);
  return !('error' in read) && sameData(read.root, toJSON(input.root, input.doc), read.doc);
}
