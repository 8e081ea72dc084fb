/**
 * The registry the user names (state.registry): the prefix of every image the page writes there, the proxy's
 * mirror (web/environment.ts) and the function's (web/wiring.ts). It goes into shell text and YAML, so only
 * what an image reference allows before its last name is taken (the grammar of distribution/reference):
 * `host[:port]` and `/path` components, or path components alone (Docker Hub's). Anything else is the field's
 * error, and no file names an image in it.
 */

/** A host name component: letters, digits and inner dashes. */
const HOST_PART = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
/** `host`, `host.domain`, or a bracketed IPv6 address; then an optional port. */
const DOMAIN = `(?:${HOST_PART}(?:\\.${HOST_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
/** A path component: lowercase letters and digits, joined by `.`, `_`, `__` or dashes. */
const PATH = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REGISTRY = new RegExp(`^(?:${DOMAIN}|${PATH})(?:/${PATH})*$`);
/** An image name is at most 255 characters; room is left for the image's own name. */
const MAX = 200;

/** The registry as the files use it (trimmed, no trailing `/`), when one is given; it may not be valid. */
// An empty answer is no answer.
// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
const normalized = (registry?: string): string | undefined => registry?.trim().replace(/\/+$/, '') || undefined;

/** Why `registry` cannot prefix an image, or undefined when it can (or none is given). */
export function registryProblem(registry?: string): string | undefined {
  const value = normalized(registry);
  if (value === undefined || (value.length <= MAX && REGISTRY.test(value))) return undefined;
  return (
    'Not a registry and path: give host[:port]/path, such as ghcr.io/my-team or localhost:5000/team ' +
    '(the host: letters, digits, dots and dashes; the path: lowercase letters, digits and . _ - between them)'
  );
}

/** The registry the files name images in: the one given, when it is a valid one; else none. */
export const registryOf = (registry?: string): string | undefined =>
  registryProblem(registry) === undefined ? normalized(registry) : undefined;
