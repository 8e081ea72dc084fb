/**
 * The functionConfig forms the function accepts:
 * 1. `sidecar.speedscale.com/v1alpha1` `SidecarInjector` with a typed `spec`;
 * 2. a `v1` `ConfigMap` whose `data` holds the same keys as strings (`kpt fn eval -- k=v`, Kptfile `configMap:`);
 * 3. none, or kpt's empty placeholder: every default.
 */
import { isObject } from '../shape';
import type { WrittenSettings } from './settings.generated';
import { CONFIG_API_VERSION, CONFIG_KIND } from '../vocabulary';
import { validateSettings } from './validate';

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

export function readFunctionConfig(fc: unknown): FunctionConfig {
  if (fc === undefined || fc === null || (isObject(fc) && Object.keys(fc).length === 0))
    return { config: {}, problems: [] };
  if (!isObject(fc)) return fail('', 'functionConfig must be an object');
  const { apiVersion, kind } = fc;
  if (kind === 'ConfigMap' && apiVersion === 'v1') return fromSection(fc, 'data', true);
  if (kind === CONFIG_KIND && apiVersion === CONFIG_API_VERSION) return fromSection(fc, 'spec', false);
  return fail(
    'kind',
    `unsupported functionConfig ${written(apiVersion, 'apiVersion')}/${written(kind, 'kind')}: ` +
      `expected ${CONFIG_API_VERSION} ${CONFIG_KIND} (with spec) or v1 ConfigMap (with data)`,
  );
}

/** A field as the user wrote it, or that it is missing. */
const written = (value: unknown, field: string): string =>
  typeof value === 'string' && value !== '' ? value : value === undefined ? `(no ${field})` : JSON.stringify(value);

function fromSection(fc: Json, section: 'spec' | 'data', strings: boolean): FunctionConfig {
  const written = fc[section] ?? {};
  if (!isObject(written)) return fail(section, `${section} must be a map of settings`);
  const { values, problems } = validateSettings(written, strings);
  return {
    config: values,
    problems: problems.map((p) => ({
      field: p.key ? `${section}.${p.key}` : section,
      message: `${section}.${p.key}: ${p.message}`,
    })),
  };
}

function fail(field: string, message: string): FunctionConfig {
  return { config: {}, problems: [{ field, message }] };
}
