/**
 * What the injection copies from the input into the pod (the workload's name as APP_LABEL, the first
 * container's name as the default container, every setting) must be text Kubernetes, a shell and a C
 * program take as meant. A control character does not belong in any of it: a NUL, raw or written as YAML's
 * `\0` escape, ends a C string early, and YAML does not allow a raw one at all. A setting may hold several
 * lines (extraContainerEnvVars), so tabs and line feeds are allowed in settings, never in names. And the
 * workload's name must be one Kubernetes accepts (a DNS-1123 subdomain), or the injected pod never exists.
 */
import { printableName } from '../printable';
import type { Reason } from '../reasons';
import { ANNOTATION_PREFIX } from '../vocabulary';
import { isMap, isSeq, nodeAt, scalarString, type Node, type Path } from '../yaml/nodes';

/** C0 controls but tab and line feed, DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const IN_VALUE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
/** Every control character. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const IN_NAME = /[\u0000-\u001F\u007F-\u009F]/;
/** Kubernetes' IsDNS1123Subdomain, which most kinds' names must be. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 253;

export interface InputProblem {
  reason: Extract<Reason, 'control-character' | 'invalid-name'>;
  message: string;
  /** The field, so the result names its line; none for a setting that came from the config. */
  field?: Path;
}

/** `U+0000 (NUL)`: a control character, named as a reader can look it up. */
function named(char: string): string {
  const code = char.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return code === 0 ? `U+${hex} (NUL)` : `U+${hex}`;
}

const controlIn = (value: string, pattern: RegExp): string | undefined => {
  const found = pattern.exec(value);
  return found ? named(found[0]) : undefined;
};

/** Every string inside a setting's value (a list of targets holds strings too). */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) yield* strings(v);
}

/**
 * The problems with what would be copied into the pod of `root`: its name, its containers' names, the
 * Speedscale annotations in `layers` and the settings `config` gives (flags, a functionConfig).
 */
export function inputProblems(
  root: Node,
  layers: readonly { path: Path; entries: [string, Node | null][] }[],
  containersPath: Path,
  config: object,
): InputProblem[] {
  const problems: InputProblem[] = [];
  const name = scalarString(nodeAt(root, ['metadata', 'name']));
  if (name !== undefined) {
    const control = controlIn(name, IN_NAME);
    if (control)
      problems.push({
        reason: 'control-character',
        message: `metadata.name contains the control character ${control}`,
        field: ['metadata', 'name'],
      });
    else if (name.length > MAX_NAME || !DNS_1123_SUBDOMAIN.test(name))
      problems.push({
        reason: 'invalid-name',
        message:
          `metadata.name "${printableName(name)}" is not a valid Kubernetes name (a DNS-1123 subdomain: lowercase letters, ` +
          `digits, '-' and '.', starting and ending with a letter or digit, at most ${MAX_NAME} characters)`,
        field: ['metadata', 'name'],
      });
  }
  const containers = nodeAt(root, containersPath);
  for (const item of isSeq(containers) ? containers.items : []) {
    const container = isMap(item) ? scalarString(item.get('name', true)) : undefined;
    const control = container === undefined ? undefined : controlIn(container, IN_NAME);
    if (control)
      problems.push({
        reason: 'control-character',
        message: `a container's name contains the control character ${control}`,
        field: [...containersPath, { name: container! }, 'name'],
      });
  }
  for (const layer of layers)
    for (const [key, value] of layer.entries) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      const control = controlIn(scalarString(value) ?? '', IN_VALUE) ?? controlIn(key, IN_NAME);
      if (control)
        problems.push({
          reason: 'control-character',
          message: `annotation ${key} contains the control character ${control}`,
          field: [...layer.path, key],
        });
    }
  for (const [key, value] of Object.entries(config))
    for (const text of strings(value)) {
      const control = controlIn(text, IN_VALUE);
      if (control) {
        problems.push({
          reason: 'control-character',
          message: `setting ${key} contains the control character ${control}`,
        });
        break;
      }
    }
  return problems;
}
