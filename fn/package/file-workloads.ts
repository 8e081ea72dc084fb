/** The workloads of a whole file, and each one's own text: documents and List items as the function cuts them. */
import { listItems } from '../inject/list';
import { parseResource } from '../resource';
import { isSeq } from '../yaml/nodes';
import { isJsonFile, jsonAsYaml } from './json-file';
import { PackageSession } from './session';
import { blankMarker, splitDocuments } from './stream';
import type { WorkloadFacts } from './workloads';

/** A workload in its file: which document, and which List item when it is one. */
export interface FileWorkload extends WorkloadFacts {
  doc: number;
}

/** A file's documents as the function splits it: a JSON file whole, a YAML stream at its `---` lines. */
export const documentsOf = (text: string): string[] => (isJsonFile(text) ? [text] : splitDocuments(text));

/** The workloads of one file, each document read through the session (a JSON file is one document). */
export function fileWorkloads(
  text: string,
  session: PackageSession = new PackageSession(),
  docs: readonly string[] = documentsOf(text),
): FileWorkload[] {
  const json = isJsonFile(text);
  return docs.flatMap((chunk, doc) =>
    session.workloads(json ? chunk : blankMarker(chunk), json).map((w) => ({ ...w, doc })),
  );
}

/**
 * A workload's own text in `file` (the file as loaded, or as written: the documents line up): its document,
 * or its item of a List; a JSON List's item as the YAML the function edits it as.
 */
export function workloadText(file: string, w: FileWorkload): string {
  const doc = documentsOf(file)[w.doc] ?? '';
  if (w.item === undefined) return doc;
  const json = isJsonFile(file);
  const read = parseResource(json ? (jsonAsYaml(doc) ?? doc) : blankMarker(doc), { item: false });
  const seq = 'error' in read ? undefined : read.root.get('items', true);
  return (!('error' in read) && isSeq(seq) ? listItems(read.text, seq)[w.item]?.text : undefined) ?? doc;
}
