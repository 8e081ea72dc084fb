/**
 * `--output patch`: per changed workload an RFC 6902 JSON Patch from the resource as given to the resource
 * as the command writes it, for `kubectl patch --type json`. One JSON object per line, naming its target.
 */
import { compare } from 'fast-json-patch';
import { readApiData } from '../index';
import type { Entry } from './reports/entries';

export interface PatchLine {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  file: string;
  patch: unknown[];
}

export function patchLine(entry: Entry & { file: string }): string | undefined {
  if (entry.before === undefined || entry.after === undefined) return undefined;
  const { apiVersion, kind, name, namespace } = entry.meta;
  const line: PatchLine = {
    apiVersion,
    kind,
    name,
    ...(namespace !== undefined && { namespace }),
    file: entry.file,
    patch: compare(dataOf(entry.before), dataOf(entry.after)),
  };
  return `${JSON.stringify(line)}\n`;
}

/** The resource as data, read as the API server reads it; a List item (`- ...`) is unwrapped. */
export function dataOf(text: string): Record<string, unknown> {
  const read = readApiData(text);
  if ('error' in read) throw new Error(`cannot read the resource back: ${read.error}`);
  const value = read.value as Record<string, unknown> | Record<string, unknown>[];
  return Array.isArray(value) && value.length === 1 ? value[0] : (value as Record<string, unknown>);
}
