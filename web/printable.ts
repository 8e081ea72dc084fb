/**
 * A name from elsewhere (a file in DIR, a dropped folder, a link), as the page shows it: a control character
 * (a newline in a file name, an escape) or a character that reorders the text around it (bidirectional
 * overrides) as an escape, `\n` or `\u202e`, so it never breaks a line, the layout, or what is read around it.
 */
const SHOWN_AS: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// eslint-disable-next-line no-control-regex -- the control characters are what it finds
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export const printable = (text: string): string =>
  text.replace(UNPRINTABLE, (c) => SHOWN_AS[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
