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

/**
 * A name from elsewhere shown on one line (a file in DIR, a dropped folder, a link, on the page): line breaks
 * and the characters that reorder the text around them (bidirectional overrides) are escaped too, `\n` or
 * `\u202e`, so a name never breaks a line, the layout, or what is read around it.
 */
export const printableName = (text: string): string =>
  text.replace(UNPRINTABLE_NAME, (char) => NAME_ESCAPES[char] ?? `\\u${hex(char, 4)}`);

const NAME_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE_NAME = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
