/**
 * Whether a re-injection says what the input says, laid out differently. kpt reads a function's output
 * with kyaml, which writes the keys it did not see before after the others and puts each comment back
 * where it attached it; `kustomize build` sorts every map's keys. Over an injected workload that is our
 * own lines in another order, quoted otherwise, comments moved around them. Such an input is up to date as
 * it is: writing it our way again would move them back, and the tool again, on every run (and `--check`
 * over rendered output would call it drift). The data decides, all of it, the record's JSON included.
 */
import { parseResource, type Resource } from '../resource';
import { sameData, toJSON } from '../yaml/nodes';

/** `text` means the same as the input: every key, value and list item, in any layout. */
export function onlyLayoutDiffers(text: string, input: Resource): boolean {
  const read = parseResource(text);
  return !('error' in read) && sameData(read.root, toJSON(input.root, input.doc), read.doc);
}
