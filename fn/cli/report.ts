/**
 * The report on stderr, after the output: one line per resource with what happened and why (the same
 * facts as the KRM results), then a count. `--quiet` keeps only the lines that need action (errors,
 * drift); `--report json` gives the same entries, with their KRM results, as one JSON document; `github`
 * and `sarif` are the same findings for CI (ci-report.ts). A line and column are the file's, from 1.
 */
import { githubCommands, sarifLog } from './ci-report';
import type { Entry, Status } from './engine';

export interface FileEntry extends Entry {
  /** The file as given, or `-` for stdin. */
  file: string;
  /** Position of the resource in its file, from 0 (documents, then List items, in order). */
  index: number;
}

/** Statuses that make the exit code 1, and that `--quiet` still reports. */
export const FAILING: ReadonlySet<Status> = new Set(['error', 'drift']);
const ORDER: readonly Status[] = ['injected', 'updated', 'removed', 'unchanged', 'kept', 'skipped', 'drift', 'error'];

export const REPORT_FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function report(entries: readonly FileEntry[], format: ReportFormat, quiet: boolean, version = 'dev'): string {
  const shown = quiet ? entries.filter((e) => FAILING.has(e.status)) : entries;
  return FORMATS[format](shown, quiet, version);
}

const FORMATS: Record<ReportFormat, (entries: readonly FileEntry[], quiet: boolean, version: string) => string> = {
  text: (entries, quiet) =>
    entries.map((e) => `${line(e)}\n`).join('') + (quiet || !entries.length ? '' : `${counts(entries)}\n`),
  json: (entries) =>
    `${JSON.stringify({
      resources: entries.map(({ file, index, meta, status, why, results, line, column }) => ({
        file,
        index,
        ...meta,
        ...(line !== undefined && { line, column }),
        status,
        why,
        results,
      })),
      counts: countsOf(entries),
    })}\n`,
  github: (entries, quiet) => githubCommands(entries) + (quiet || !entries.length ? '' : `${counts(entries)}\n`),
  sarif: (entries, _quiet, version) => `${JSON.stringify(sarifLog(entries, version), null, 2)}\n`,
};

/** The place a text line names: the first finding with a line (errors first), as compilers write `file:line:col`. */
function placeOf(e: FileEntry): string {
  const found = [...e.results].sort((a, b) => RANK[a.severity] - RANK[b.severity]).find((r) => r.line !== undefined);
  return found && found.severity !== 'info' ? `:${found.line}:${found.column}` : '';
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

function line(e: FileEntry): string {
  const file = `${e.file === '-' ? '<stdin>' : e.file}${placeOf(e)}`;
  if (e.index < 0) return `${file}: ${e.status}: ${e.why}`;
  const { kind, name, namespace } = e.meta;
  const what = kind
    ? `${kind}/${name || '(no name)'}${namespace ? ` in ${namespace}` : ''}`
    : `document ${e.index + 1}`;
  return `${file}: ${what}: ${e.status}${e.why ? `: ${e.why}` : ''}`;
}

function countsOf(entries: readonly FileEntry[]): Partial<Record<Status, number>> {
  const counts: Partial<Record<Status, number>> = {};
  for (const status of ORDER) {
    const n = entries.filter((e) => e.status === status).length;
    if (n) counts[status] = n;
  }
  return counts;
}

function counts(entries: readonly FileEntry[]): string {
  const resources = entries.filter((e) => e.index >= 0);
  const parts = Object.entries(countsOf(resources)).map(([status, n]) => `${n} ${status}`);
  const files = entries.length - resources.length;
  const fileErrors = files ? `; ${files} file error${files === 1 ? '' : 's'}` : '';
  const plural = resources.length === 1 ? '' : 's';
  return `sidecar-injector: ${resources.length} resource${plural}${parts.length ? `: ${parts.join(', ')}` : ''}${fileErrors}`;
}
