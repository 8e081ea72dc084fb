/**
 * Values in the shell text the page generates (deploy.sh, install.sh, verify.sh, commands.sh, the CI steps):
 * every value from the user's files, link or answers goes in through these, so a file name, a namespace or a
 * registry is one inert word, whatever it holds. Fixed text around them is the page's own.
 */

/** A word a POSIX shell reads as itself: no quote, space, `$`, backtick, glob, `~`, `#`, `;`, `&`, `|`... */
const PLAIN = /^[\w./=,:@%+-]+$/;

/**
 * A value as one shell word: as it is when it holds only plain characters (`deploy/web.yaml`), else in single
 * quotes, each `'` in it written `'\''` (POSIX: nothing is special between single quotes, a newline included).
 */
export const shellWord = (value: string): string => (PLAIN.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/** A file path as one word that is no option either: `-x.yaml` is `./-x.yaml` (the same file). */
export const shellPath = (path: string): string => shellWord(path.startsWith('-') ? `./${path}` : path);

/** Characters that end a comment line or change what the terminal shows: written as escapes. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text for a `# ...` comment: a newline would end the comment and make the rest a command, so every control
 * character (line and paragraph separators too) is written as an escape (`\n`, `\x1b`, `\u2028`).
 */
export const shellComment = (text: string): string =>
  text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
  });
