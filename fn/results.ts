/** KRM function results (functions spec v1): findings are data, never exceptions. */
import type { Reason } from './outcome';

export type Severity = 'error' | 'warning' | 'info';

export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: { apiVersion: string; kind: string; name: string; namespace?: string };
  field?: { path: string };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

/** Identity of a resource, read once per item, for every result about it. */
export interface ResourceMeta {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  file?: { path: string; index?: number };
}

export function resultFor(
  meta: ResourceMeta,
  severity: Severity,
  message: string,
  fieldPath?: string,
  reason?: Reason,
): Result {
  const { apiVersion, kind, name, namespace, file } = meta;
  return {
    message,
    severity,
    resourceRef: { apiVersion, kind, name, ...(namespace !== undefined && { namespace }) },
    ...(fieldPath && { field: { path: fieldPath } }),
    ...(file && { file }),
    ...(reason && { tags: { reason } }),
  };
}

export const hasErrors = (results: readonly Result[]): boolean => results.some((r) => r.severity === 'error');
