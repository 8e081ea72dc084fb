/**
 * Rendering that depends on the settings alone, done once per Settings object. Workloads with the same
 * annotations share one Settings object (config/settings.ts), so a large package renders its init
 * containers, volumes and proxy once. `render` must read nothing but its argument; what it returns is
 * deep-frozen and shared (see fn/frozen.ts), so the emitter writes it once per place and style.
 */
import type { Settings } from '../config/settings.generated';
import { deepFreeze } from '../frozen';

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
