/**
 * The package pass every front end but the KRM function makes: files in, each file's text as the function
 * writes it and one outcome per document out. The Namespaces anywhere in the package count for every
 * workload (Pod Security, meshes), as in a ResourceList.
 */
import type { WrittenSettings } from '../config/settings.generated';
import { readNamespaces } from '../inject/namespaces';
import { processResource, type RunOptions } from '../inject/process';
import { failure, isStackOverflow } from '../krm/run';
import type { Change, Outcome } from '../outcome';
import type { Resource } from '../resource';
import type { ReadError } from '../yaml/documents';
import { type PackageSession } from './session';
import { failedOutcome } from './json-file';
import { editText, splitDocuments } from './stream';

export interface PackageFile {
  /** As the caller names it (a path, `-` for stdin); handed back as it came. */
  path: string;
  text: string;
}

export interface PackageOptions {
  /** The settings every workload starts from (readFunctionConfig, flags). */
  config: WrittenSettings;
  /** The changes the caller may make; default: every change (see RunOptions.allow). */
  allow?: ReadonlySet<Change>;
  /** An editor's session: unchanged documents are answered from it (the caller sweeps it). */
  session?: PackageSession;
}

export interface ProcessedFile extends PackageFile {
  /** The file as the function writes it. */
  output: string;
  /** One per document, in order; a List's items are its `items`. */
  outcomes: Outcome[];
}

export function processPackage(files: readonly PackageFile[], options: PackageOptions): ProcessedFile[] {
  const { config, allow, session } = options;
  const namespaces = readNamespaces(files.flatMap(({ text }) => splitDocuments(text)));
  const make = (): RunOptions => ({ config, namespaces, ...(allow && { allow }) });
  const run = session ? session.options(JSON.stringify([config, allow && [...allow], [...namespaces]]), make) : make();
  // A bug, or input beyond the parser's limits, costs its own document only, as in the KRM function.
  const process = (r: string | Resource): Outcome => {
    try {
      return processResource(r, run);
    } catch (error) {
      const text = typeof r === 'string' ? r : r.text;
      return failedOutcome(text, isStackOverflow(error) ? 'too-deep' : 'internal-error', failure(error));
    }
  };
  return files.map((file) => {
    const edited = session
      ? editText(
          file.text,
          (r) => session.outcome(typeof r === 'string' ? r : r.text, () => process(r)),
          (body) => mapOf(session.read(body)),
        )
      : editText(file.text, process);
    return { ...file, output: edited.text, outcomes: edited.outcomes };
  });
}

/** A document read as a map, for the stream editor (anything else it reads again itself, for the error). */
const mapOf = (read: Resource | ReadError): Resource | undefined => ('error' in read ? undefined : read);
