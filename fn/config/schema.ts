/** Everything the function knows about settings comes from the JSON Schema in schemas/ (the one source of truth). */
import schema from '../../schemas/sidecar-injector.v1alpha1.json';

/** How a list setting is written, and so what it is parsed into (normalize.ts). */
export type ListKind = 'addresses' | 'hosts' | 'ports' | 'env';

export interface PropertySchema {
  type: 'string' | 'integer' | 'boolean' | 'array';
  /** The key in words, as a form labels it (the key itself is shown beside it, small). */
  title: string;
  /** The schema gives only primitive defaults (string, integer, boolean) and lists of strings. */
  default?: string | number | boolean | string[];
  description: string;
  enum?: string[];
  /** Also a per-workload annotation `sidecar.speedscale.com/<kebab-case key>`. */
  'x-annotation'?: boolean;
  /** What a valid value looks like, for messages. */
  'x-expected'?: string;
  /** Where the key is shown (one of `x-groups`): the wizard's form, the reference. */
  'x-group': string;
  /** One of the few settings most users change: the wizard's short form (web/fields.ts). */
  'x-common'?: boolean;
  /** Meaningful only with proxyType transparent: set otherwise, it is ignored with a warning. */
  'x-transparent-only'?: boolean;
  /** Passed to the init containers as this variable, as written. */
  'x-init-env'?: string;
  /** A list, parsed once into its entries. */
  'x-list'?: ListKind;
  /** An ignore list that also feeds the app containers' NO_PROXY in forward and dual (render/app-proxy.ts). */
  'x-no-proxy'?: boolean;
}

export const PROPERTIES = schema.properties as unknown as Record<string, PropertySchema>;
export const SETTING_KEYS = Object.keys(PROPERTIES);
/** The groups, in the order they are shown; `Run` holds what a command or the page decides, not a typed value. */
export const GROUPS: readonly string[] = schema['x-groups'];

/** The keys whose schema has `mark`, in schema order. */
export const keysMarked = (mark: keyof PropertySchema): string[] => SETTING_KEYS.filter((key) => PROPERTIES[key][mark]);

/** `proxyInPort` -> `proxy-in-port`: every annotation name is its config key in kebab case. */
export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Annotation name (without prefix) -> config key, for the keys that are also annotations. */
export const KEY_BY_ANNOTATION: ReadonlyMap<string, string> = new Map(
  keysMarked('x-annotation').map((key) => [kebab(key), key]),
);

/** The config keys a workload may set by annotation (`x-annotation`): what a per-workload choice may name. */
export const ANNOTATION_KEYS: ReadonlySet<string> = new Set(KEY_BY_ANNOTATION.values());

export const DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  SETTING_KEYS.filter((key) => PROPERTIES[key].default !== undefined).map((key) => [key, PROPERTIES[key].default]),
);

/** A part of the schema: the settings, one of them, or a part inside one (a `targets` entry, its fields). */
export interface SchemaNode {
  type?: string;
  'x-expected'?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** The schema of what is at `path` in the settings (keys, and list indexes), or undefined for no known key. */
export function schemaAt(path: readonly (string | number)[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const segment of path)
    node =
      typeof segment === 'number'
        ? node?.items
        : node?.properties && Object.hasOwn(node.properties, segment)
          ? node.properties[segment]
          : undefined;
  return node;
}

/** What a valid value at `path` looks like, for messages. */
export const expectedAt = (path: readonly (string | number)[]): string => {
  const node = schemaAt(path);
  return node?.['x-expected'] ?? node?.type ?? 'a known key';
};

export const expectedOf = (key: string): string => expectedAt([key]);
