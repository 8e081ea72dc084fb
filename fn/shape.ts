/** Reading user data of any shape (a parsed manifest, a functionConfig) without trusting its types. */
export type Json = Record<string, unknown>;

/** Whether the value is a map (an object that is not a list, not null). */
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value as a map; anything else reads as an empty one. */
export const asMap = (value: unknown): Json => (isObject(value) ? value : {});

/** The value as a list; anything else reads as an empty one. */
export const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The value as text: a scalar as written, a collection as JSON, nothing as ''. */
export function asText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'undefined':
      return '';
    case 'object':
      return value === null ? '' : JSON.stringify(value);
    default:
      return (value as symbol | (() => unknown)).toString();
  }
}

/**
 * Whether a field is unset as Kubernetes reads it: absent, null (`key:`, `key: ~`) or the empty string. Its
 * JSON decoding gives null and "" alike the zero value, which its defaulting then replaces (a port's
 * protocol becomes TCP, a Service's targetPort its port), so all three mean the default.
 */
export const unset = (value: unknown): boolean => value === undefined || value === null || value === '';

/** A value that is no map, in a few words: `a list`, `a scalar ("x")`; long text cut short. */
export function notAMap(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  const text = asText(value);
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `a scalar (${typeof value === 'string' ? JSON.stringify(short) : short})`;
}
