/** `--config FILE`: the same SidecarInjector or ConfigMap the KRM function takes as its functionConfig. */
import { failure, positions, readFunctionConfig, readYamlWritten, type WrittenSettings } from '../index';
import { Refused, type Policy } from './file-policy';
import { Budget, readSource, STDIN } from './read-file';
import { describeError } from './file-errors';

export interface LoadedConfig {
  config: WrittenSettings;
  problems: string[];
}

export function loadConfig(path: string | undefined, policy: Policy): LoadedConfig {
  if (path === undefined) return { config: {}, problems: [] };
  let text: string;
  try {
    // Read as `-f` reads a path it is given (a FIFO given up, /dev/zero cut at the cap, strict UTF-8); `-`
    // is a file of that name here, as stdin holds the manifests.
    const source = { path: path === STDIN ? `./${STDIN}` : path, explicit: true };
    text = readSource(source, new Budget(policy), () => undefined).text;
  } catch (error) {
    const why = error instanceof Refused ? error.message : describeError(error);
    // `-` meant as stdin, most likely: say why it is not.
    const hint = path === STDIN ? ' (stdin holds the manifests: give the config as a file)' : '';
    return { config: {}, problems: [`--config ${path}: ${why}${hint}`] };
  }
  // Plain values, as the KRM function reads its functionConfig (YAML 1.1; JSON is YAML too), and their text.
  let read;
  try {
    read = readYamlWritten(text);
  } catch (error) {
    // Nested beyond the parser's limits: a config that cannot be read, said as one, never a crash.
    return { config: {}, problems: [`--config ${path}: ${failure(error)}`] };
  }
  if ('error' in read) {
    // At the line and column, as a file given with -f is reported (`file:line:col: ...`).
    const place = read.at === undefined ? undefined : positions(text)(read.at);
    const at = place ? `:${place.line}:${place.column}` : '';
    return { config: {}, problems: [`--config ${path}${at}: ${malformed(read.error)}`] };
  }
  const { config, problems } = readFunctionConfig(read.value, read.at);
  return { config, problems: problems.map((p) => `--config ${path}: ${p.message}`) };
}

/** `yaml`'s advice for a stream of several documents is for its callers; ours is about the file. */
const malformed = (error: string): string =>
  error.startsWith('Source contains multiple documents')
    ? 'holds several YAML documents (separated by ---): expected one SidecarInjector or ConfigMap'
    : `malformed YAML: ${error}`;
