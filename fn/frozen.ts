/**
 * The contract behind the function's caches: a frozen value is shared and never changes.
 *
 * - config/settings.ts resolves each distinct set of annotations once and shares the frozen Settings;
 * - render/per-settings.ts renders what depends on the settings alone once per Settings, frozen;
 * - yaml/emit.ts writes a frozen collection once per column and style and reuses the text, by identity.
 *
 * So a value is frozen only where it is complete, and whoever needs a variant copies it (render/sidecar.ts
 * adds the workload's APP_LABEL to a copy, and tells the emitter it is the copy of a template: emit.ts copyWith).
 * Freezing is what makes the emitter's cache sound: a mutable value is never cached.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
