/**
 * A value in a message, as the user wrote it: its text in the YAML when known, a string as a JSON string,
 * otherwise the YAML that means it, since JSON has no word for what `yaml` made of `.inf`, a date or binary.
 */
export function shown(value: unknown, written?: string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (written !== undefined) return written;
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? '.nan' : `${value < 0 ? '-' : ''}.inf`;
  if (value instanceof Date)
    return Number.isNaN(value.getTime())
      ? 'an invalid date'
      : value.toISOString().replace(/T00:00:00\.000Z$|\.000(?=Z$)/, '');
  if (value instanceof Uint8Array) return `!!binary ${btoa(String.fromCharCode(...value))}`;
  return JSON.stringify(value) ?? String(value);
}
