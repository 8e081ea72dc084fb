/** `--config FILE`: the same SidecarInjector or ConfigMap the KRM function takes as its functionConfig. */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { readFunctionConfig } from '../config/function-config';
import type { Settings } from '../config/settings-type';

export interface LoadedConfig {
  config: Partial<Settings>;
  problems: string[];
}

export function loadConfig(path: string | undefined): LoadedConfig {
  if (path === undefined) return { config: {}, problems: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      config: {},
      problems: [
        `--config ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      ],
    };
  }
  // Plain values, as the KRM function reads its functionConfig (YAML 1.1; JSON is YAML too).
  const doc = parseDocument(text, { version: '1.1' });
  if (doc.errors.length)
    return { config: {}, problems: [`--config ${path}: malformed YAML: ${doc.errors[0]!.message.split('\n')[0]}`] };
  const { config, problems } = readFunctionConfig(doc.toJS({ maxAliasCount: 100 }));
  return { config, problems: problems.map((p) => `--config ${path}: ${p.message}`) };
}
