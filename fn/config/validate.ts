/**
 * Validation with the validators precompiled from the schema at build time (scripts/build.mjs).
 * Problems are data: which key, what was expected, what was received.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import validateCoercing from './generated/validate-coercing';
import validateTyped from './generated/validate-typed';
import { expectedOf, PROPERTIES } from './schema';
import { shown } from './shown';
import { NOT_WRITTEN, type WrittenAt } from '../yaml/written';

export interface Problem {
  key: string;
  message: string;
}

/**
 * Validates written settings. `strings: true` is for ConfigMap data and annotations, whose values are all
 * strings: they are converted to the schema's types. `at` gives a value's text as written, for the messages.
 * Returns the valid values and a problem per bad key.
 */
export function validateSettings(
  written: Record<string, unknown>,
  strings: boolean,
  at: WrittenAt = NOT_WRITTEN,
): { values: Record<string, unknown>; problems: Problem[] } {
  const validate: ValidateFunction = strings ? validateCoercing : validateTyped;
  const values = structuredClone(written);
  const problems = new Map<string, Problem>(strings ? notDecimal(written).map((p) => [p.key, p]) : []);
  for (const key of problems.keys()) delete values[key];
  if (validate(values)) return { values, problems: [...problems.values()] };
  for (const error of validate.errors ?? []) {
    const problem = describe(error, written, at);
    if (!problems.has(problem.key)) problems.set(problem.key, problem);
  }
  for (const key of problems.keys()) delete values[key];
  return { values, problems: [...problems.values()] };
}

/**
 * ajv's coercion takes any JavaScript number text ("0x1F", "1e3", " 80"); a port or uid written as text
 * must be plain decimal digits, as the Speedscale operator (Go's Atoi) reads it.
 */
function notDecimal(written: Record<string, unknown>): Problem[] {
  return Object.entries(written)
    .filter(
      ([key, value]) => PROPERTIES[key]?.type === 'integer' && typeof value === 'string' && !/^-?\d+$/.test(value),
    )
    .map(([key, value]) => ({ key, message: `expected ${expectedOf(key)}, got ${JSON.stringify(value)}` }));
}

function describe(error: ErrorObject, written: Record<string, unknown>, at: WrittenAt): Problem {
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    return { key, message: `unknown key "${key}"${suggest(key)}` };
  }
  const key = error.instancePath.split('/')[1] ?? '';
  const received = shown(written[key], at([key]));
  const where = error.instancePath.split('/').slice(2).join('.');
  const expected = where ? `${where}: ${error.message}` : `expected ${expectedOf(key)}`;
  return { key, message: `${expected}, got ${received}` };
}

/** "did you mean" for a near-miss key: the most common config mistake is a typo. */
function suggest(key: string): string {
  const lower = key.toLowerCase().replace(/[-_]/g, '');
  const match = Object.keys(PROPERTIES).find((known) => known.toLowerCase() === lower);
  return match ? ` (did you mean "${match}"?)` : '';
}
