/** Everything the function knows about settings comes from the JSON Schema in schemas/ (the one source of truth). */
import schema from '../../schemas/sidecar-injector.v1alpha1.json';

export interface PropertySchema {
  type: 'string' | 'integer' | 'boolean' | 'array';
  /** The schema gives only primitive defaults (string, integer, boolean) and lists of strings. */
  default?: string | number | boolean | string[];
  description: string;
  enum?: string[];
  'x-annotation'?: boolean;
  'x-expected'?: string;
}

export const PROPERTIES = schema.properties as unknown as Record<string, PropertySchema>;
export const SETTING_KEYS = Object.keys(PROPERTIES);

/** `proxyInPort` -> `proxy-in-port`: every annotation name is its config key in kebab case. */
export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Annotation name (without prefix) -> config key, for the keys that are also annotations. */
export const KEY_BY_ANNOTATION: ReadonlyMap<string, string> = new Map(
  SETTING_KEYS.filter((key) => PROPERTIES[key]['x-annotation']).map((key) => [kebab(key), key]),
);

export const DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  SETTING_KEYS.filter((key) => PROPERTIES[key].default !== undefined).map((key) => [key, PROPERTIES[key].default]),
);

export const expectedOf = (key: string): string =>
  PROPERTIES[key]?.['x-expected'] ?? PROPERTIES[key]?.type ?? 'a known key';
