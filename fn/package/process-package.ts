/**
 * The package pass every front end but the KRM function makes: files in, each file's text as the function
 * writes it and one outcome per document out. The Namespaces anywhere in the package count for every
 * workload (Pod Security, meshes), as in a ResourceList.
 */
import type { WrittenSettings } from '../config/settings.generated';
import { failure, failureReason } from '../failure';
import { readNamespaces } from '../inject/namespaces';
import { processResource, type RunOptions } from '../inject/process';
import type { Change, Outcome } from '../outcome';
import type { Resource } from '../resource';
import type { ReadError } from '../yaml/documents';
import { readNetworkPolicies } from '../inject/network-policies';
import { asksForTargets, readPodTargets, readServices } from '../inject/services';
import { failedOutcome, isJsonFile, jsonAsYaml } from './json-file';
import { type PackageSession } from './session';
import { blankMarker, editText, splitDocuments } from './stream';

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
  const namespaces = readNamespaces(files.flatMap(({ text }) => splitDocuments(text).map(blankMarker)));
  const workloads: RunOptions = { config, namespaces, ...(allow && { allow }) };
  // Services follow the proxies of the pods they select (serviceTargetPort): read first, when anything asks.
  // Only then are JSON files read as YAML here: an unreadable one is reported by its own pass below.
  // A workload that asks for it hears when no Service of the package selects it.
  const asks = config.serviceTargetPort === 'proxy' || files.some(({ text }) => asksForTargets(text));
  // A reverse proxy's in-port, and every proxy's egress, must be allowed by the NetworkPolicies isolating its pods.
  const policed = files.some(({ text }) => text.includes('NetworkPolicy'));
  const documents = asks || policed ? files.flatMap(documentsOf).map(blankMarker) : [];
  const podTargets = asks
    ? readPodTargets(
        documents,
        (t, implied) => processResource(t, workloads, implied),
        () => true,
        config.targets,
      )
    : undefined;
  const services = asks ? readServices(documents) : undefined;
  const networkPolicies = policed ? readNetworkPolicies(documents) : undefined;
  const make = (): RunOptions => ({
    ...workloads,
    ...(podTargets && { podTargets }),
    ...(services && { services }),
    ...(networkPolicies && { networkPolicies }),
  });
  const key = JSON.stringify([config, allow && [...allow], [...namespaces], podTargets, services, networkPolicies]);
  const run = session ? session.options(key, make) : make();
  // A bug, or input beyond the parser's limits, costs its own document only, as in the KRM function.
  const process = (r: string | Resource): Outcome => {
    try {
      return processResource(r, run);
    } catch (error) {
      return failedOutcome(typeof r === 'string' ? r : r.text, failureReason(error), failure(error));
    }
  };
  return files.map((file) => {
    try {
      const edited = session
        ? editText(
            file.text,
            (r) => session.outcome(typeof r === 'string' ? r : r.text, () => process(r)),
            (body) => mapOf(session.read(body)),
          )
        : editText(file.text, process);
      return { ...file, output: edited.text, outcomes: edited.outcomes };
    } catch (error) {
      // Beyond one document (a JSON file is one, whole): the file as it came, the others still processed.
      const failed = { ...failedOutcome(file.text, failureReason(error), failure(error)), offset: 0 };
      return { ...file, output: file.text, outcomes: [failed] };
    }
  });
}

/** A file's documents as YAML text: a JSON file's object as the YAML of its data, none when it cannot be read. */
function documentsOf({ text }: PackageFile): string[] {
  if (!isJsonFile(text)) return splitDocuments(text);
  try {
    const yaml = jsonAsYaml(text);
    return yaml === undefined ? [] : [yaml];
  } catch {
    return [];
  }
}

/** A document read as a map, for the stream editor (anything else it reads again itself, for the error). */
const mapOf = (read: Resource | ReadError): Resource | undefined => ('error' in read ? undefined : read);
