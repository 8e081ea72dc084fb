/** `--config FILE`: the same SidecarInjector or ConfigMap the KRM function takes as its functionConfig. */
import { readFileSync } from 'node:fs';
import { readFunctionConfig, readYaml, type WrittenSettings } from '../index';

export interface LoadedConfig {
  config: WrittenSettings;
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
  const read = readYaml(text);
  if ('error' in read) return { config: {}, problems: [`--config ${path}: malformed YAML: ${read.error}`] };
  const { config, problems } = readFunctionConfig(read.value);
  return { config, problems: problems.map((p) => `--config ${path}: ${p.message}`) };
}
