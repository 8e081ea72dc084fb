/** The whole KRM function as a pure function of its input text: what main, the CLI and the tests call. */
import { readFunctionConfig } from './config/function-config';
import { readNamespaces, type Namespaces } from './inject/namespaces';
import { processResource } from './inject/process';
import { InputError, readResourceList } from './resource-list/read';
import { itemSyntaxError } from './resource-list/scan';
import { failedResourceList, resourceListParts } from './resource-list/write';
import { hasErrors, resultFor, type Result } from './results';

export interface RunOutput {
  readonly stdout: string;
  /** stdout in pieces, for writing a large list without joining it first. */
  readonly parts: readonly string[];
  /** One line per error, for kustomize users, who never see the results. */
  stderr: string;
  exitCode: number;
}

export function run(input: string): RunOutput {
  let list;
  try {
    list = readResourceList(input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return failed(error.message);
  }
  const { config, problems } = readFunctionConfig(list.functionConfig);
  const fc = (list.functionConfig ?? {}) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const fcMeta = { apiVersion: String(fc.apiVersion ?? ''), kind: String(fc.kind ?? ''), name: String(fc.metadata?.name ?? '') };
  const results: Result[] = problems.map((p) => resultFor(fcMeta, 'error', `invalid functionConfig: ${p.message}`, p.field || undefined, 'invalid-config'));
  let items = list.split.items;
  if (!problems.length) {
    const candidate = isCandidate(config);
    // Namespaces are read on first use: a package without namespaced workloads never pays for the scan.
    const all = items;
    let namespaces: Namespaces | undefined;
    const options = { config, candidate, get namespaces() { return (namespaces ??= readNamespaces(all)); } };
    let malformed: string | undefined;
    items = items.map((text, i) => {
      if (!candidate(text) || malformed) return text;
      const outcome = processResource(text, options);
      const broken = outcome.results.find((r) => r.tags?.reason === 'malformed-yaml');
      if (broken) malformed = itemSyntaxError(list.split, i) ?? `item ${i}: ${broken.message}`;
      results.push(...outcome.results);
      return outcome.text;
    });
    if (malformed) return failed(malformed);
  }
  return output(
    resourceListParts(list.split, items, [...list.results, ...results]),
    results.filter((r) => r.severity === 'error').map((r) => `sidecar-injector: ${describe(r)}\n`).join(''),
    hasErrors(results) ? 1 : 0,
  );
}

/** The input could not be processed: no items, one error. */
function failed(message: string): RunOutput {
  return output([failedResourceList(message)], `sidecar-injector: ${message}\n`, 1);
}

function output(parts: readonly string[], stderr: string, exitCode: number): RunOutput {
  let stdout: string | undefined;
  return {
    parts,
    get stdout() {
      return (stdout ??= parts.join(''));
    },
    stderr,
    exitCode,
  };
}

/**
 * Cheap pre-filter: an item can only need work if it mentions a Speedscale key (annotation, label or
 * record), unless the config injects every workload by default.
 */
function isCandidate(config: { inject?: boolean }): (text: string) => boolean {
  if (config.inject) return () => true;
  // A mention in a comment line only (a commented-out opt-in) does not count.
  return (text) => text.includes('sidecar.speedscale.com/') && MENTION_OUTSIDE_COMMENT.test(text);
}

// (?=(...))\1 takes all the indentation at once (no backtracking into it), so (?!#) sees the first character.
const MENTION_OUTSIDE_COMMENT = /^(?=([ \t]*))\1(?!#)[^\n]*sidecar\.speedscale\.com\//m;

function describe(r: Result): string {
  const ref = r.resourceRef ? `${r.resourceRef.kind}/${r.resourceRef.name}: ` : '';
  return `${ref}${r.message}`;
}
