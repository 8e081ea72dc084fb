/**
 * The functionConfig forms the function accepts:
 * 1. `sidecar.speedscale.com/v1alpha1` `SidecarInjector` with a typed `spec`;
 * 2. a `v1` `ConfigMap` whose `data` holds the same keys as strings (`kpt fn eval -- k=v`, Kptfile `configMap:`);
 * 3. none, or kpt's empty placeholder: every default.
 */
import { isObject } from '../shape';
import type { WrittenSettings } from './settings.generated';
import { CONFIG_API_VERSION, CONFIG_KIND } from '../vocabulary';
import { PROPERTIES } from './schema';
import { shown } from './shown';
import { validateSettings } from './validate';
import { NOT_WRITTEN, type WrittenAt } from '../yaml/written';

export interface ConfigProblem {
  /** Dotted path inside the functionConfig, e.g. `spec.proxyInPort` or `data.proxyInPort`. */
  field: string;
  message: string;
}

export interface FunctionConfig {
  config: WrittenSettings;
  problems: ConfigProblem[];
}

type Json = Record<string, unknown>;

/** `at`: the functionConfig's values as written, by path from the functionConfig (messages quote them). */
export function readFunctionConfig(fc: unknown, at: WrittenAt = NOT_WRITTEN): FunctionConfig {
  if (fc === undefined || fc === null || (isObject(fc) && Object.keys(fc).length === 0))
    return { config: {}, problems: [] };
  if (!isObject(fc)) return fail('', 'functionConfig must be an object');
  const { apiVersion, kind } = fc;
  if (kind === 'ConfigMap' && apiVersion === 'v1') return fromSection(fc, 'data', true, at);
  if (kind === CONFIG_KIND && apiVersion === CONFIG_API_VERSION) return fromSection(fc, 'spec', false, at);
  return fail(
    'kind',
    `unsupported functionConfig ${written(apiVersion, 'apiVersion')}/${written(kind, 'kind')}: ` +
      `expected ${CONFIG_API_VERSION} ${CONFIG_KIND} (with spec) or v1 ConfigMap (with data)`,
  );
}

/** A field as the user wrote it, or that it is missing. */
const written = (value: unknown, field: string): string =>
  typeof value === 'string' && value !== '' ? value : value === undefined ? `(no ${field})` : JSON.stringify(value);

function fromSection(fc: Json, section: 'spec' | 'data', strings: boolean, at: WrittenAt): FunctionConfig {
  const written = fc[section] ?? {};
  if (!isObject(written)) return fail(section, `${section} must be a map of settings`);
  // A list (targets) is no string: ConfigMap data cannot give it, whatever the string says.
  const lists = strings ? Object.keys(written).filter((key) => PROPERTIES[key]?.type === 'array') : [];
  const rest = Object.fromEntries(Object.entries(written).filter(([key]) => !lists.includes(key)));
  const { values, problems } = validateSettings(rest, strings, (path) => at([section, ...path]));
  return {
    config: values,
    problems: [
      ...lists.map((key) => ({
        field: `${section}.${key}`,
        message:
          `${section}.${key}: a list, which a ConfigMap's string data cannot hold: set it in a ` +
          `${CONFIG_API_VERSION} ${CONFIG_KIND} (a typed spec), got ${shown(written[key], at([section, key]))}`,
      })),
      ...problems.map((p) => ({
        field: p.field ? `${section}.${p.field}` : section,
        message: `${section}.${p.field}: ${p.message}`,
      })),
    ],
  };
}

function fail(field: string, message: string): FunctionConfig {
  return { config: {}, problems: [{ field, message }] };
}
