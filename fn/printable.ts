/**
 * Text from the input, made safe to print on a terminal: a control character in a name (an ESC starting a
 * terminal sequence, a NUL, a carriage return that overwrites the line) is written as an escape, so a report
 * line shows what the manifest holds and cannot rewrite the screen. Line feeds are kept: they end lines.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;
/** What JSON.stringify leaves raw that a terminal may still act on (C1 controls, DEL). */
const JSON_RAW = /[\u007F-\u009F]/g;

const hex = (char: string, width: number) => char.charCodeAt(0).toString(16).padStart(width, '0');

/** For plain text: `\0`, `\x1b`. */
export const printable = (text: string): string =>
  text.replace(CONTROL, (char) => (char === '\u0000' ? '\\0' : `\\x${hex(char, 2)}`));

/** For JSON text (its strings already escape C0): `\u009b`, still valid JSON. */
export const printableJson = (json: string): string => json.replace(JSON_RAW, (char) => `\\u${hex(char, 4)}`);
