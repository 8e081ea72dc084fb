/**
 * The report on stderr, after the output: one table of formats, one file each. `--quiet` keeps only the
 * entries that need action (errors, drift). A new format is one file here and one line in REPORTS.
 */
import { printable, printableJson } from '../../index';
import { FAILING, type FileEntry } from './entries';
import { github } from './github';
import { json } from './json';
import { sarif } from './sarif';
import { text } from './text';

export { FAILING, type FileEntry } from './entries';

const REPORTS = { text, json, github, sarif } satisfies Record<
  string,
  (entries: readonly FileEntry[], quiet: boolean, version: string) => string
>;

export type ReportFormat = keyof typeof REPORTS;
export const REPORT_FORMATS = Object.keys(REPORTS) as readonly ReportFormat[];

export function report(entries: readonly FileEntry[], format: ReportFormat, quiet: boolean, version = 'dev'): string {
  const shown = quiet ? entries.filter((e) => FAILING.has(e.status)) : entries;
  // Names and messages come from the input: no control character of theirs reaches the terminal.
  const out = REPORTS[format](shown, quiet, version);
  return format === 'json' || format === 'sarif' ? printableJson(out) : printable(out);
}
