/** KRM function results (functions spec v1): findings are data, never exceptions. */

export type Severity = 'error' | 'warning' | 'info';

export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: { apiVersion: string; kind: string; name: string; namespace?: string };
  field?: { path: string };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
  /**
   * Where in the resource's text the result is about (the field it names, the error), as an offset: data for
   * the front ends, which place it in their file once. Never written out: the KRM spec has no such field.
   */
  at?: number;
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
  reason?: string,
  at?: number,
): Result {
  const { apiVersion, kind, name, namespace, file } = meta;
  // Literals and the optional keys set after them, in this order, not spreads: one or more for every item.
  const resourceRef: NonNullable<Result['resourceRef']> = { apiVersion, kind, name };
  if (namespace !== undefined) resourceRef.namespace = namespace;
  const result: Result = { message, severity, resourceRef };
  if (fieldPath) result.field = { path: fieldPath };
  if (file) result.file = file;
  if (reason) result.tags = { reason };
  if (at !== undefined) result.at = at;
  return result;
}

/** The result as the KRM spec writes it: positions are the front ends' data, not part of the spec. */
export function krmResult(result: Result): Result {
  if (result.at === undefined) return result;
  const written = { ...result };
  delete written.at;
  return written;
}

export const hasErrors = (results: readonly Result[]): boolean => results.some((r) => r.severity === 'error');
