/**
 * Validation with the validators precompiled from the schema at build time (scripts/build.mjs).
 * Problems are data: which key, what was expected, what was received.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import loadCoercing from './generated/validate-coercing';
import loadTyped from './generated/validate-typed';
import { isIPv6 } from './ip';
import { expectedAt, expectedOf, PROPERTIES, schemaAt } from './schema';
import { shown } from './shown';
import { NOT_WRITTEN, type WrittenAt } from '../yaml/written';

// Each validator is made on first use (scripts/build.mjs: asLoader): a run may need one or neither.
let coercing: ValidateFunction | undefined;
let typed: ValidateFunction | undefined;
const validator = (strings: boolean): ValidateFunction =>
  strings ? (coercing ??= loadCoercing()) : (typed ??= loadTyped());

export interface Problem {
  /** The setting that is bad (it is left out of the values). */
  key: string;
  /** Where inside the settings: the key, or a place inside its value (`targets[1].path`). */
  field: string;
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
  const validate = validator(strings);
  const values = structuredClone(written);
  // One problem per place: ajv may say several things of one value (its type, and that it is in no enum).
  const problems = new Map<string, Problem>(
    [...beyondSchema(written, strings), ...quoted(written, strings)].map((p) => [p.field, p]),
  );
  for (const { key } of problems.values()) delete values[key];
  if (validate(values)) return { values, problems: [...problems.values()] };
  for (const error of validate.errors ?? []) {
    const problem = describe(error, written, at);
    if (!problems.has(problem.field)) problems.set(problem.field, problem);
  }
  for (const { key } of problems.values()) delete values[key];
  return { values, problems: [...problems.values()] };
}

/**
 * What the schema's patterns do not say, checked on the values as written, each giving the schema's own
 * "expected" message:
 * - ajv's coercion takes any JavaScript number text ("0x1F", "1e3", " 80"); a port or uid written as text
 *   must be plain decimal digits, as the Speedscale operator (Go's Atoi) reads it;
 * - a bracketed host (`[fe80::1]:80`) must be an IPv6 address: the schema's pattern only checks its
 *   characters, since a full IPv6 expression costs milliseconds to compile in every run that reads it.
 */
const BEYOND_SCHEMA: {
  applies: (key: string, value: unknown, strings: boolean) => boolean;
  ok: (value: string) => boolean;
}[] = [
  {
    applies: (key, value, strings) => strings && PROPERTIES[key]?.type === 'integer' && typeof value === 'string',
    ok: (value) => /^-?\d+$/.test(value),
  },
  {
    applies: (key, value) => key === 'forwarderAddr' && typeof value === 'string' && value.startsWith('['),
    ok: (value) => {
      const close = value.lastIndexOf(']');
      return close === -1 || isIPv6(value.slice(1, close));
    },
  },
];

function beyondSchema(written: Record<string, unknown>, strings: boolean): Problem[] {
  return Object.entries(written)
    .filter(([key, value]) =>
      BEYOND_SCHEMA.some((check) => check.applies(key, value, strings) && !check.ok(value as string)),
    )
    .map(([key, value]) => ({ key, field: key, message: `expected ${expectedOf(key)}, got ${JSON.stringify(value)}` }));
}

/**
 * A typed spec's boolean or number written in quotes (`tlsOut: "true"`, as annotations and ConfigMap data
 * must write it): the schema's own words, `expected "true" or "false", got "true"`, would leave the reader
 * looking for a difference. Said as what it is, for a value that would be right unquoted.
 */
const UNQUOTED: Record<string, string> = {
  boolean: 'true or false without quotes',
  integer: 'a number without quotes',
};

function quoted(written: Record<string, unknown>, strings: boolean): Problem[] {
  if (strings) return [];
  return Object.entries(written)
    .filter(([key, value]) => {
      const type = PROPERTIES[key]?.type;
      if (typeof value !== 'string' || !type || !(type in UNQUOTED)) return false;
      // Right once unquoted: what the coercing validator, and the digits-only rule for integers, accept.
      return validator(true)({ [key]: value }) && beyondSchema({ [key]: value }, true).length === 0;
    })
    .map(([key, value]) => ({
      key,
      field: key,
      message: `expected ${UNQUOTED[PROPERTIES[key].type]} (the spec is typed), got the string ${JSON.stringify(value)}`,
    }));
}

function describe(error: ErrorObject, written: Record<string, unknown>, at: WrittenAt): Problem {
  // ajv's instancePath is a JSON pointer: `/targets/1/path`.
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment.replace(/~1/g, '/').replace(/~0/g, '~')));
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys(schemaAt(path)?.properties ?? {});
    return problemAt([...path, key], `unknown key "${key}"${suggest(key, known)}`);
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return problemAt([...path, missing], `missing, expected ${expectedAt([...path, missing])}`);
  }
  return problemAt(path, `expected ${expectedAt(path)}, got ${shown(valueAt(written, path), at(path))}`);
}

/** A problem at a place in the settings, its field written as a reader would write it: `targets[1].path`. */
function problemAt(path: readonly (string | number)[], message: string): Problem {
  const field = path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
  return { key: String(path[0] ?? ''), field, message };
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
  return value;
}

/** "did you mean" for a near-miss key: the most common config mistake is a typo. */
export function suggest(key: string, known: readonly string[]): string {
  const match = known.find((k) => sameName(k, key)) ?? known.find((k) => oneEditApart(bare(k), bare(key)));
  return match ? ` (did you mean "${match}"?)` : '';
}

const bare = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** One name written two ways: `tlsOut`, `tls-out`, `TLS_OUT`. */
export const sameName = (a: string, b: string): boolean => bare(a) === bare(b);

/**
 * Whether one letter added, dropped or changed, or two next to each other swapped, turns `a` into `b` (`grup`
 * is `group`, `imag` is `image`, `injcet` is `inject`).
 */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const rest = (x: string, skip: number) => x.slice(i + skip);
  const swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a, 2) === rest(b, 2);
  return (
    swapped ||
    rest(a, 1) === rest(b, 1) ||
    (a.length > b.length ? rest(a, 1) === rest(b, 0) : rest(a, 0) === rest(b, 1))
  );
}
