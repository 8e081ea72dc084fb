/** The whole KRM function as a pure function of its input text: what main, the CLI and the tests call. */
import { readFunctionConfig } from './config/function-config';
import { processResource } from './inject/process';
import { InputError, readResourceList } from './resource-list/read';
import { failedResourceList, writeResourceList } from './resource-list/write';
import { hasErrors, resultFor, type Result } from './results';

export interface RunOutput {
  stdout: string;
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
    return { stdout: failedResourceList(error.message), stderr: `sidecar-injector: ${error.message}\n`, exitCode: 1 };
  }
  const { config, problems } = readFunctionConfig(list.functionConfig);
  const fc = (list.functionConfig ?? {}) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const fcMeta = { apiVersion: String(fc.apiVersion ?? ''), kind: String(fc.kind ?? ''), name: String(fc.metadata?.name ?? '') };
  const results: Result[] = problems.map((p) => resultFor(fcMeta, 'error', `invalid functionConfig: ${p.message}`, p.field || undefined, 'invalid-config'));
  let items = list.split.items;
  if (!problems.length) {
    const candidate = isCandidate(config);
    items = items.map((text) => {
      if (!candidate(text)) return text;
      const outcome = processResource(text, { config });
      results.push(...outcome.results);
      return outcome.text;
    });
  }
  return {
    stdout: writeResourceList(list.split, items, [...list.results, ...results]),
    stderr: results.filter((r) => r.severity === 'error').map((r) => `sidecar-injector: ${describe(r)}\n`).join(''),
    exitCode: hasErrors(results) ? 1 : 0,
  };
}

/**
 * Cheap pre-filter: an item can only need work if it mentions a Speedscale key (annotation, label or
 * record), unless the config injects every workload by default.
 */
function isCandidate(config: { inject?: boolean }): (text: string) => boolean {
  if (config.inject) return () => true;
  return (text) => text.includes('sidecar.speedscale.com/');
}

function describe(r: Result): string {
  const ref = r.resourceRef ? `${r.resourceRef.kind}/${r.resourceRef.name}: ` : '';
  return `${ref}${r.message}`;
}
