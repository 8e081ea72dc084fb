/**
 * Whether a re-injection says what the input says, laid out differently. kpt reads a function's output
 * with kyaml, which writes the keys it did not see before after the others and puts each comment back
 * where it attached it; `kustomize build` sorts every map's keys. Over an injected workload that is our
 * own lines in another order, quoted otherwise, comments moved around them. Such an input is up to date as
 * it is: writing it our way again would move them back, and the tool again, on every run (and `--check`
 * over rendered output would call it drift). The data decides, all of it, the record's JSON included.
 */
import { parseResource, type Resource } from '../resource';
import { RECORD_ANNOTATION } from '../vocabulary';
import { same, sameData, toJSON } from '../yaml/nodes';

/** `text` means the same as the input: every key, value and list item, in any layout. */
export function onlyLayoutDiffers(text: string, input: Resource): boolean {
  const read = parseResource(text);
  if ('error' in read) return false;
  const meant = toJSON(input.root, input.doc);
  if (sameData(read.root, meant, read.doc)) return true;
  // The record lists its paths in the order they were placed, which depends on the maps the input had: kpt
  // and kustomize add annotations of their own while a function runs, so `metadata.annotations` exists there
  // and not in the file. The same paths in another order are the same record.
  return same(withRecordSorted(toJSON(read.root, read.doc)), withRecordSorted(meant));
}

/** The resource's data with its record's lists of paths in one order. */
function withRecordSorted(data: unknown): unknown {
  const metadata = (data as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata;
  const record = metadata?.annotations?.[RECORD_ANNOTATION];
  if (typeof record !== 'string') return data;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(record) as Record<string, unknown>;
  } catch {
    return data;
  }
  const sorted = Object.fromEntries(
    Object.entries(parsed).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map((v) => JSON.stringify(v)).sort() : value,
    ]),
  );
  const annotations = { ...metadata!.annotations, [RECORD_ANNOTATION]: sorted };
  return { ...(data as object), metadata: { ...metadata, annotations } };
}
