/**
 * A list setting, parsed once (config/normalize.ts) so that no consumer splits a string again: the entries,
 * whether it says `*` (every address: `ignore-src-ips`, `ignore-dst-ips`), and the text as written, which the
 * init containers are handed unchanged, as the Speedscale operator hands them the annotation.
 */
export interface ListSetting<T> {
  text: string;
  entries: readonly T[];
  all: boolean;
}

/** One `KEY=VALUE` line of `extra-container-env-vars`. */
export interface EnvEntry {
  name: string;
  value: string;
}
