/**
 * Items and documents that are no resource at all: empty (`- ~`), or valid YAML that is not a map (`- x`,
 * `- [1, 2]`). Not Kubernetes, so left as they are and said once with their place, never called malformed.
 */
import { NO_META, outcome, type Outcome } from '../outcome';
import { REASONS } from '../reasons';
import type { Result } from '../results';

/** Text that holds nothing but null (`- ~`, a list item with nothing after its dash): no resource, said once. */
export function nullItem(text: string, where: string): Outcome {
  const result: Result = { message: REASONS['null-item'](where), severity: 'info', tags: { reason: 'null-item' } };
  return outcome('skipped', 'null-item', NO_META, text, [result], where);
}

/**
 * Text that holds a value other than a map (`what`: `a scalar ("x")`, `a list`), the value at `at` in it:
 * skipped and said, like a map without a kind (a directory or a pre-commit run meets Ansible play lists).
 */
export function notAnObject(text: string, where: string, what: string, at?: number): Outcome {
  const result: Result = {
    message: `${where} is ${REASONS['not-an-object'](what)}`,
    severity: 'info',
    tags: { reason: 'not-an-object' },
    ...(at !== undefined && { at }),
  };
  return { ...outcome('skipped', 'not-an-object', NO_META, text, [result], what), ...(at !== undefined && { at }) };
}
