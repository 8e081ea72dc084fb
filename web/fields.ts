/**
 * The Configure step's form, read from the config schema (the one source of truth): each key's group,
 * kind of control, description and default. Groups are one table; a key the table does not name lands in
 * "advanced", so a key added to the schema shows up without a change here.
 */
import { ANNOTATION_PREFIX, DEFAULTS, kebab, PROPERTIES, SETTING_KEYS, type PropertySchema } from '../fn/index';

export const GROUPS = {
  'Proxy and ports': [
    'image',
    'proxyType',
    'proxyProtocol',
    'proxyHost',
    'proxyPort',
    'proxyInPort',
    'proxyOutPort',
    'captureMode',
    'forwarderAddr',
    'logLevel',
  ],
  TLS: [
    'tlsOut',
    'tlsOutSecret',
    'tlsJavaToolOptions',
    'tlsJavaToolOptionsValue',
    'tlsJavaSecret',
    'tlsInSecret',
    'tlsInPrivate',
    'tlsInPublic',
    'tlsMutualSecret',
    'tlsMutualPrivate',
    'tlsMutualPublic',
    'mountKnownCa',
  ],
  'Ignore lists': [
    'ignoreSrcIps',
    'ignoreDstIps',
    'ignoreSrcHosts',
    'ignoreDstHosts',
    'ignoreInboundPorts',
    'ignoreOutboundPorts',
    'ignoreLoopback',
    'trackLoopback',
  ],
  Resources: [
    'cpuRequest',
    'cpuLimit',
    'memoryRequest',
    'memoryLimit',
    'ephemeralStorageRequest',
    'ephemeralStorageLimit',
  ],
  Advanced: [] as string[],
} as const satisfies Record<string, readonly string[]>;

export type Group = keyof typeof GROUPS;

/** Keys the form leaves out: the wizard decides them (inject is the Choose step) or they are not settings to type. */
const NOT_IN_FORM = new Set(['inject', 'uninstall', 'mode', 'targets']);

export type Control = 'checkbox' | 'select' | 'number' | 'text';

export interface Field {
  key: string;
  group: Group;
  control: Control;
  description: string;
  /** The schema's default, as the form shows it ('' when there is none). */
  default: string;
  options?: string[];
  /** The annotation that sets it per workload, when it has one. */
  annotation?: string;
}

const CONTROLS: Record<PropertySchema['type'], Control> = {
  boolean: 'checkbox',
  integer: 'number',
  string: 'text',
  array: 'text',
};

const named = new Map(Object.entries(GROUPS).flatMap(([group, keys]) => keys.map((key) => [key, group as Group])));

export const FIELDS: readonly Field[] = SETTING_KEYS.filter((key) => !NOT_IN_FORM.has(key)).map((key) => {
  const schema = PROPERTIES[key];
  return {
    key,
    group: named.get(key) ?? 'Advanced',
    control: schema.enum ? 'select' : CONTROLS[schema.type],
    description: schema.description,
    default: DEFAULTS[key] === undefined ? '' : JSON.stringify(DEFAULTS[key]).replace(/^"(.*)"$/, '$1'),
    ...(schema.enum && { options: schema.enum }),
    ...(schema['x-annotation'] && { annotation: `${ANNOTATION_PREFIX}${kebab(key)}` }),
  };
});

/**
 * What the form holds (text, as typed) -> the typed SidecarInjector spec. An integer that is not digits stays
 * text, so the function's own validation names it; an empty field is unset.
 */
export function specOf(form: Readonly<Record<string, string>>): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    if (value === '') continue;
    const type = PROPERTIES[key]?.type;
    if (type === 'boolean') spec[key] = value === 'true' ? true : value === 'false' ? false : value;
    else if (type === 'integer') spec[key] = /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    else spec[key] = value;
  }
  return spec;
}
