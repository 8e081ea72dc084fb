/**
 * Rendering that depends on the settings alone, done once per settings object. Workloads with the same
 * annotations share one settings object (settings.ts), so a large package renders its init
 * containers and volumes once. Results are deep-frozen: the emitter writes a frozen block once and reuses
 * the text (yaml/emit.ts), and nothing can change a value another workload shares.
 */
import type { Settings } from './settings-type';

export function perSettings<T>(render: (s: Settings) => T): (s: Settings) => T {
  const made = new WeakMap<Settings, T>();
  return (s) => {
    let value = made.get(s);
    if (value === undefined) {
      value = deepFreeze(render(s));
      made.set(s, value);
    }
    return value;
  };
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
