/**
 * `--report github`: the findings as GitHub Actions workflow commands; the runner turns each line into an
 * annotation on the file.
 */
import type { FileEntry } from './entries';
import { findingsOf } from './findings';
import { summary } from './summary';

/** What the runner unescapes in a command's message (actions/toolkit's escapeData). */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** And in a property value, where `:` and `,` are separators too. */
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function githubCommands(entries: readonly FileEntry[]): string {
  return entries
    .flatMap(findingsOf)
    .map((f) => {
      const properties: [string, string | number | undefined][] = [
        ['file', f.file === '-' ? undefined : f.file],
        ['line', f.line],
        ['col', f.column],
        ['title', `sidecar-injector: ${f.subject}`],
      ];
      const props = properties
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(',');
      return `::${f.level} ${props}::${escapeData(f.message)}\n`;
    })
    .join('');
}

export const github = (entries: readonly FileEntry[], quiet: boolean): string =>
  githubCommands(entries) + (quiet || !entries.length ? '' : `${summary(entries)}\n`);
