/**
 * One command-line flag per config key, derived from the schema (a table, never a list of ifs): `proxyInPort`
 * is `--proxy-in-port 4143`, a boolean `privileged` is `--privileged` / `--no-privileged`. Values are
 * validated by the same precompiled validators as a ConfigMap's data, so messages match the KRM function's.
 */
import { kebab, PROPERTIES, SETTING_KEYS, validateSettings, type PropertySchema } from '../index';

/** Keys that are not flags, and what decides them instead. */
export const NOT_FLAGS: Readonly<Record<string, string>> = {
  inject: 'the command (inject, or inject --annotated)',
  uninstall: 'the command (uninstall)',
  mode: '--check',
  targets: '--config (a list of {group, kind, path})',
};

export interface ConfigFlag {
  key: string;
  flag: string;
  boolean: boolean;
  description: string;
  default?: PropertySchema['default'];
}

export const CONFIG_FLAGS: readonly ConfigFlag[] = SETTING_KEYS.filter((key) => !Object.hasOwn(NOT_FLAGS, key)).map(
  (key) => {
    const p = PROPERTIES[key];
    return { key, flag: kebab(key), boolean: p.type === 'boolean', description: p.description, default: p.default };
  },
);

interface OptionSpec {
  type: 'string' | 'boolean';
}

/** parseArgs options for every config flag (booleans also get their `--no-` form). */
export const CONFIG_FLAG_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.fromEntries(
  CONFIG_FLAGS.flatMap(({ flag, boolean }): [string, OptionSpec][] =>
    boolean
      ? [
          [flag, { type: 'boolean' }],
          [`no-${flag}`, { type: 'boolean' }],
        ]
      : [[flag, { type: 'string' }]],
  ),
);

export interface FlagSettings {
  values: Record<string, unknown>;
  problems: string[];
}

/** The config flags present in parsed options -> validated settings (strings converted like ConfigMap data). */
export function settingsFromFlags(options: Record<string, unknown>): FlagSettings {
  const written: Record<string, string> = {};
  const flagOf = new Map<string, string>();
  for (const { key, flag, boolean } of CONFIG_FLAGS) {
    const given = boolean
      ? options[flag]
        ? 'true'
        : options[`no-${flag}`]
          ? 'false'
          : undefined
      : (options[flag] as string | undefined);
    if (boolean && options[flag] && options[`no-${flag}`])
      return { values: {}, problems: [`--${flag} and --no-${flag} contradict each other`] };
    if (given === undefined) continue;
    written[key] = given;
    flagOf.set(key, flag);
  }
  const { values, problems } = validateSettings(written, true);
  return { values, problems: problems.map((p) => `--${flagOf.get(p.key) ?? p.key}: ${p.message}`) };
}
