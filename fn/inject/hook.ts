/**
 * A workload that is a Helm or Argo CD hook, in words: the injector skips it unless annotated (Helm and Argo
 * wait for it to finish, and a sidecar keeps it running), and an editor must say so before it ticks one.
 */
import { HOOK_ANNOTATIONS } from '../vocabulary';
import { scalarString, type YAMLMap } from '../yaml/nodes';

/** `annotations`: the workload's metadata.annotations. `a helm.sh/hook: test hook`, or undefined. */
export function hookOf(annotations: YAMLMap | undefined): string | undefined {
  for (const key of HOOK_ANNOTATIONS) {
    const value = scalarString(annotations?.get(key, true));
    if (value !== undefined) return `a ${key}: ${value} hook`;
  }
  return undefined;
}
